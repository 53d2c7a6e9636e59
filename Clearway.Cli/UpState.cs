using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clearway.Cli;

/// <summary>
/// <c>&lt;data-dir&gt;/clearway-up.json</c>: written by a running <c>clearway up</c> (mode 0600: it holds the password),
/// deleted when it stops; the other verbs connect to that server when nothing else is configured.
/// </summary>
internal sealed record UpState(string ConnectionString, int Pid, string DataDirectory, int Port, DateTimeOffset StartedAt)
{
    public const string FileName = "clearway-up.json";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    public static UpState? TryRead(string dataDirectory)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(PathIn(dataDirectory)), UpStateJson.Default.UpState);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Write()
    {
        // Born 0600: it holds the password.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(PathIn(DataDirectory), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options);
        writer.Write(JsonSerializer.Serialize(this, UpStateJson.Default.UpState));
    }

    public void Delete()
    {
        try
        {
            File.Delete(PathIn(DataDirectory));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: readers check that the server answers
        }
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UpState))]
internal sealed partial class UpStateJson : JsonSerializerContext;
