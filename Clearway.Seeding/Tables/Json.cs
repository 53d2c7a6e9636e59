using System.Globalization;
using System.Text;

namespace Clearway.Seeding.Tables;

/// <summary>Minimal JSON writing for generated payloads (fast, allocation-light, invariant culture).</summary>
internal static class Json
{
    /// <summary>A JSON string literal.</summary>
    public static string Q(string value)
    {
        if (value.AsSpan().IndexOfAny('"', '\\') < 0) return "\"" + value + "\"";
        var sb = new StringBuilder(value.Length + 8).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    public static string N(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string D(DateTime value) => Q(value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    public static string Day(DateTime value) => Q(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static string Array(IEnumerable<string> values) => "[" + string.Join(",", values.Select(Q)) + "]";

    public static string B(bool value) => value ? "true" : "false";
}

/// <summary>Addresses from the documentation ranges only (SCHEMA.md D5: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24).</summary>
internal static class DocIps
{
    private static readonly string[] Prefixes = ["192.0.2.", "198.51.100.", "203.0.113."];

    public static string For(ulong value) => Prefixes[(int)(value % 3)] + (1 + (int)(value / 3 % 254)).ToString(CultureInfo.InvariantCulture);
}
