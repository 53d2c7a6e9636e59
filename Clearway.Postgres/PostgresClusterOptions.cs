namespace Clearway.Postgres;

/// <summary>Which cluster directory <see cref="PostgresCluster"/> prepares and <see cref="LocalPostgresServer"/> starts.</summary>
public sealed record PostgresClusterOptions
{
    /// <summary>
    /// The server's own directory (cluster, socket, log, password). Missing or empty: created and initialised. Otherwise
    /// it must be one Clearway created before; it is then reused, with its password.
    /// </summary>
    public required string Directory { get; init; }

    /// <summary>TCP port on 127.0.0.1. Null: a free one, chosen now.</summary>
    public int? Port { get; init; }

    /// <summary>
    /// True (the default): PostgreSQL's own durability settings, for data that is kept. False: fsync,
    /// synchronous_commit and full_page_writes off, for throwaway test servers (a host crash may corrupt the cluster).
    /// </summary>
    public bool Durable { get; init; } = true;

    /// <summary>Statements slower than this (ms) have their plan in the server's log; -1 turns that off.</summary>
    public int SlowQueryMs { get; init; } = ServerSettings.DefaultSlowQueryMs;

    /// <summary>Where initdb and postgres are. Null: <see cref="PostgresBinaries.Locate()"/>.</summary>
    public string? BinDirectory { get; init; }
}
