namespace Clearway.Hosting;

/// <summary>
/// The database manager's HTTP surface as the AppHost calls it: the paths, the command key's header and setting, and
/// the JSON answers. Commands are Aspire HTTP commands; the key keeps other local accounts out.
/// </summary>
public static class ManagerApi
{
    /// <summary><c>GET</c>: how stale the views are, as a <see cref="HealthReply"/>.</summary>
    public const string FreshnessPath = "/freshness";

    /// <summary><c>POST</c>: refresh both views now; a <see cref="CommandReply"/>.</summary>
    public const string RefreshViewsPath = "/commands/refresh-views";

    /// <summary><c>POST</c>: compare the database with the schema manifest; a <see cref="CommandReply"/> (409 when it differs).</summary>
    public const string VerifySchemaPath = "/commands/verify-schema";

    /// <summary><c>POST</c> a <see cref="SeedRequest"/>: the live database replaced by a clone of that recipe's template; a <see cref="CommandReply"/>.</summary>
    public const string ReseedPath = "/commands/reseed";

    /// <summary><c>POST</c>: the default recipe (the seeder's) put back from its template; a <see cref="CommandReply"/>.</summary>
    public const string ResetPath = "/commands/reset";

    /// <summary><c>GET</c>: what the live database holds and what the store keeps, as JSON.</summary>
    public const string StatePath = "/commands/state";

    /// <summary><c>GET</c>: the snapshots (JSON); <c>POST</c> a <see cref="SnapshotRequest"/>: save one.</summary>
    public const string SnapshotsPath = "/commands/snapshots";

    /// <summary><c>POST</c> a <see cref="SnapshotRequest"/>: restore one.</summary>
    public const string RestorePath = "/commands/snapshots/restore";

    /// <summary><c>POST</c>, optionally <c>?top=N</c>: the statements with the most total time; a <see cref="CommandReply"/> (one line when the server keeps none).</summary>
    public const string QueriesPath = "/commands/queries";

    /// <summary><c>POST</c>: start the statement and index statistics afresh; a <see cref="CommandReply"/>.</summary>
    public const string ResetStatisticsPath = "/commands/queries/reset";

    /// <summary><c>POST</c>: indexes never scanned since the reset, and foreign keys without an index; a <see cref="CommandReply"/>.</summary>
    public const string IndexesPath = "/commands/indexes";

    /// <summary>The header every command carries.</summary>
    public const string CommandKeyHeader = "X-Clearway-Command-Key";

    /// <summary>The setting (environment <c>Clearway__CommandKey</c>) the AppHost gives the manager its key in.</summary>
    public const string CommandKeySetting = "Clearway:CommandKey";
}

/// <summary>A health check's answer in words: <c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>, and why.</summary>
public sealed record HealthReply(string Status, string Description);

/// <summary>A command's answer: one line for the dashboard's notification, the whole report for its result view.</summary>
public sealed record CommandReply(string Summary, string Report);

/// <summary>A seed asked for from the dashboard, in the words of the seeder's options (parsed by its own parsers).</summary>
public sealed record SeedRequest(string Profile, string Seed, string Scale, string AsOf);

/// <summary>A snapshot to save (no name: the time) or to restore (migrated forward when <see cref="Migrate"/>).</summary>
public sealed record SnapshotRequest(string? Name, bool Migrate = false);

/// <summary>One snapshot as the dashboard lists it.</summary>
public sealed record SnapshotItem(string Name, string Describe, long Bytes, DateTimeOffset CreatedAt);

/// <summary>What the live database holds and what the store keeps, for the <c>clearway</c> resource's properties.</summary>
public sealed record StateReply(string Database, string? Holds, int Templates, int Snapshots, long StoreBytes);
