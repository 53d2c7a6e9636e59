namespace Clearway.Data;

/// <summary>The PostgreSQL advisory lock keys Clearway's processes coordinate with (one definition, every user reads it here).</summary>
public static class AdvisoryLocks
{
    /// <summary>
    /// Held exclusively, for its transaction, by whatever rewrites the tables (a seed, emptying them, each migration
    /// step); a view refresh takes it shared first, so it waits for that transaction to commit instead of deadlocking
    /// with its DDL, TRUNCATE, COPY and index rebuilds, and a rewrite waits for a refresh in progress.
    /// </summary>
    public const long TableRewrite = 0x436C656172536565; // "ClearSee"

    /// <summary>Takes <see cref="TableRewrite"/> exclusively until the transaction ends (a seed, emptying, a migration step).</summary>
    public static readonly string RewriteTablesSql = $"SELECT pg_advisory_xact_lock({TableRewrite})";

    /// <summary>Takes <see cref="TableRewrite"/> shared until the transaction ends (a view refresh).</summary>
    public static readonly string ReadForRefreshSql = $"SELECT pg_advisory_xact_lock_shared({TableRewrite})";
}
