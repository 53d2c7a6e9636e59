using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clearway.Postgres;

/// <summary>
/// <c>clearway-postgres.json</c> (0600): what makes a directory ours, with the superuser password generated at initdb,
/// so every start of that cluster uses the same one.
/// </summary>
internal sealed record ClusterMarker(string Kind, string Password)
{
    public const string FileName = "clearway-postgres.json";
    private const string CurrentKind = "Clearway local PostgreSQL server";

    /// <summary>Directories made before this library was split out of Clearway.Testing carry this name and kind.</summary>
    private const string FormerFileName = "clearway-testing.json";
    private const string FormerKind = "Clearway.Testing private PostgreSQL server";

    public static ClusterMarker New(string password) => new(CurrentKind, password);

    /// <summary>The marker of <paramref name="layout"/>, or null when there is none we wrote.</summary>
    public static ClusterMarker? Read(ClusterLayout layout)
    {
        var path = File.Exists(layout.MarkerFile) ? layout.MarkerFile : Path.Combine(layout.Root, FormerFileName);
        try
        {
            var marker = JsonSerializer.Deserialize(File.ReadAllText(path), ClusterMarkerJson.Default.ClusterMarker);
            return marker is { Kind: CurrentKind or FormerKind, Password.Length: > 0 } ? marker : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes this marker under the current name (removing a former one).</summary>
    public void Write(ClusterLayout layout)
    {
        OwnerOnly.WriteFile(layout.MarkerFile, JsonSerializer.Serialize(this with { Kind = CurrentKind }, ClusterMarkerJson.Default.ClusterMarker));
        File.Delete(Path.Combine(layout.Root, FormerFileName));
    }
}

[JsonSerializable(typeof(ClusterMarker))]
internal sealed partial class ClusterMarkerJson : JsonSerializerContext;
