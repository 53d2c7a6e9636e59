using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clearway.Cli;

/// <summary>
/// <c>&lt;data-dir&gt;/clearway-up.json</c>: written by a running <c>clearway up</c> (mode 0600: it holds the password),
/// deleted when it stops; the other verbs connect to that server when nothing else is configured.
/// </summary>
internal sealed record UpState(string ConnectionString, int Pid, string DataDirectory, int Port, DateTimeOffset StartedAt)
{
    /// <summary>The same database as the Node/Prisma app reads it.</summary>
    public string DatabaseUrl => Clearway.DatabaseUrl.From(ConnectionString);

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

    /// <summary>Written owner-only (it holds the password).</summary>
    public Task WriteAsync() => OwnerOnlyFile.WriteAsync(PathIn(DataDirectory), JsonSerializer.Serialize(this, UpStateJson.Default.UpState), CancellationToken.None);

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
