using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clearway.States;

/// <summary>What kind of state a database of the store is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StateKind>))]
public enum StateKind
{
    /// <summary>A complete template: migrations and a seed recipe.</summary>
    Template,

    /// <summary>A copy of a developer's database, taken by name.</summary>
    Snapshot,

    /// <summary>The live database a swap put in place (its label says where it came from).</summary>
    Live,
}

/// <summary>
/// The label a state database carries as its comment (<c>COMMENT ON DATABASE</c>, JSON): what it holds, the
/// migrations it was made at, when it was made and last used. A database's comment stays with it through a rename and
/// is not copied to its clones.
/// </summary>
public sealed record StateLabel
{
    public required StateKind Kind { get; init; }

    /// <summary>The seed recipe (<c>seeder=…;profile=…;seed=…;scale=…;as-of=…</c>) or <c>schema only</c>; a snapshot's is the seed it was taken over.</summary>
    public string? Recipe { get; init; }

    /// <summary>A snapshot's name; for a live database, the snapshot it was restored from.</summary>
    public string? Name { get; init; }

    /// <summary>The migrations applied when it was made (a snapshot restored later may need migrating forward).</summary>
    public IReadOnlyList<string> Migrations { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastUsedAt { get; init; }

    /// <summary>One phrase: what this database holds.</summary>
    public string Describe() => Kind switch
    {
        StateKind.Snapshot => $"snapshot {Name}",
        StateKind.Live when Name is not null => $"restored from snapshot {Name}",
        _ => Recipe ?? "?",
    };

    public string ToJson() => JsonSerializer.Serialize(this, StateLabelJson.Default.StateLabel);

    /// <summary>The label in a database's comment; null when the comment is not one.</summary>
    public static StateLabel? Parse(string? comment)
    {
        if (string.IsNullOrWhiteSpace(comment) || comment[0] != '{')
            return null;
        try
        {
            return JsonSerializer.Deserialize(comment, StateLabelJson.Default.StateLabel);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StateLabel))]
internal sealed partial class StateLabelJson : JsonSerializerContext;
