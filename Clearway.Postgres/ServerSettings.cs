using System.Globalization;

namespace Clearway.Postgres;

/// <summary>
/// What every server Clearway starts runs with (the local clusters of <c>up</c>, the tests and the AppHost's local mode,
/// and the AppHost's container): the query statistics and the slow-query plans a developer debugs the schema with, and
/// the least WAL a dev server needs (no replicas), so a template's bulk load into tables it truncated writes none.
/// </summary>
public static class ServerSettings
{
    /// <summary>Statements slower than this have their plan logged (auto_explain), by default.</summary>
    public const int DefaultSlowQueryMs = 250;

    /// <summary>The settings, as name and value; <paramref name="slowQueryMs"/> below 0 turns the plan logging off.</summary>
    public static IReadOnlyList<(string Name, string Value)> For(int slowQueryMs) =>
    [
        ("shared_preload_libraries", "pg_stat_statements,auto_explain"),
        ("pg_stat_statements.track", "top"),
        ("auto_explain.log_min_duration", Math.Max(-1, slowQueryMs).ToString(CultureInfo.InvariantCulture)),
        ("wal_level", "minimal"),
        ("max_wal_senders", "0"),
    ];

    /// <summary>The same as <c>postgres -c name=value</c> arguments (a container's command line).</summary>
    public static IReadOnlyList<string> AsArguments(int slowQueryMs) => For(slowQueryMs).SelectMany(s => new[] { "-c", $"{s.Name}={s.Value}" }).ToList();
}
