using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Clearway.Seeding.Tables;

/// <summary>
/// The generated JSON payloads, written with <see cref="Utf8JsonWriter"/> (escaping done by System.Text.Json, not
/// by hand). One reusable writer per thread: <see cref="Start"/>, write one value, <see cref="Finish"/>.
/// </summary>
internal static class Json
{
    // Relaxed: non-ASCII text and characters such as ' + & stay literal, as before; quotes, backslashes and
    // control characters are escaped. jsonb stores the decoded value either way.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>This thread's writer, emptied; write exactly one value, then call <see cref="Finish"/>.</summary>
    public static Utf8JsonWriter Start()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, Options);
        writer.Reset(buffer);
        return writer;
    }

    /// <summary>The value written since <see cref="Start"/>, as a string.</summary>
    public static string Finish(Utf8JsonWriter writer)
    {
        writer.Flush();
        return Encoding.UTF8.GetString(t_buffer!.WrittenSpan);
    }

    /// <summary>A decimal as .NET prints it (scale kept: 1200.50).</summary>
    public static void WriteDecimal(this Utf8JsonWriter writer, string name, decimal value)
    {
        writer.WritePropertyName(name);
        writer.WriteRawValue(value.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
    }

    /// <summary>A score with at most three decimals (0.9, 0.873).</summary>
    public static void WriteScore(this Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        writer.WriteRawValue(value.ToString("0.###", CultureInfo.InvariantCulture), skipInputValidation: true);
    }

    /// <summary>A UTC instant to the millisecond: <c>"2026-06-15T09:30:00.000Z"</c>.</summary>
    public static void WriteInstant(this Utf8JsonWriter writer, string name, DateTime value) =>
        writer.WriteString(name, value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    /// <summary>A calendar day: <c>"2026-06-15"</c>.</summary>
    public static void WriteDay(this Utf8JsonWriter writer, string name, DateTime value) =>
        writer.WriteString(name, value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}

/// <summary>Addresses from the documentation ranges only (SCHEMA.md D5: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24).</summary>
internal static class DocIps
{
    private static readonly string[] Prefixes = ["192.0.2.", "198.51.100.", "203.0.113."];

    public static string For(ulong value) => Prefixes[(int)(value % 3)] + (1 + (int)(value / 3 % 254)).ToString(CultureInfo.InvariantCulture);
}
