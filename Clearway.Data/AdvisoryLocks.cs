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
}
