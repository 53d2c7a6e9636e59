using Npgsql;

namespace Clearway.Data.Migrator;

/// <summary>
/// What a database has applied, set against the migrations of this build: read once per run and used by every verb and
/// guard (migrate, rollback, status, the production confirmation, the seeder's "is it migrated?").
/// </summary>
public sealed class MigrationPlan
{
    private readonly HashSet<string> _applied;

    private MigrationPlan(IReadOnlyList<string> appliedIds)
    {
        AppliedIds = appliedIds;
        _applied = new HashSet<string>(appliedIds, StringComparer.Ordinal);
        Applied = MigrationList.All.Where(m => _applied.Contains(m.Id)).ToList();
        Pending = MigrationList.All.Where(m => !_applied.Contains(m.Id)).ToList();
        Unknown = appliedIds.Where(id => MigrationList.All.All(m => m.Id != id)).ToList();
    }

    /// <summary>A database that does not exist yet (or has no history table): nothing applied.</summary>
    public static MigrationPlan None { get; } = new([]);

    /// <summary>Every id in the history table, in order, including ones this build does not know.</summary>
    public IReadOnlyList<string> AppliedIds { get; }

    /// <summary>The migrations of this build the database has applied, oldest first.</summary>
    public IReadOnlyList<MigrationInfo> Applied { get; }

    /// <summary>The migrations of this build the database has not applied, oldest first.</summary>
    public IReadOnlyList<MigrationInfo> Pending { get; }

    /// <summary>Applied ids this build does not have (the database is newer than the build).</summary>
    public IReadOnlyList<string> Unknown { get; }

    /// <summary>Reads the history table on <paramref name="connection"/>.</summary>
    public static async Task<MigrationPlan> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default) =>
        new(await MigrationJournal.AppliedAsync(connection, cancellationToken));

    public bool IsApplied(MigrationInfo migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return _applied.Contains(migration.Id);
    }

    /// <summary>
    /// The applied migrations after <paramref name="target"/> (null: all), newest first: what a rollback to it reverts.
    /// Refuses (exit 2) a target that is not applied: a rollback only goes down.
    /// </summary>
    public IReadOnlyList<MigrationInfo> RevertTo(MigrationInfo? target)
    {
        if (target is not null && !IsApplied(target))
            throw MigratorException.Refusal(
                $"Cannot roll back to {target}: it is not applied (applied: {(Applied.Count == 0 ? "none" : string.Join(", ", Applied.Select(m => m.Name)))}); rollback only goes down.");
        var targetIndex = MigrationList.IndexOf(target);
        return MigrationList.All.Where((m, i) => i > targetIndex && IsApplied(m)).Reverse().ToList();
    }
}
