using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.Seeding;

/// <summary>
/// What a seed with given options may do to a database, by the seeder's rules, whoever writes it (in place, or by
/// swapping in a template's clone): skip it (the same seed, the same recipe dated another day, a seed it is asked to
/// keep), replace the seed it holds (with Reset), write into empty tables, or refuse (not migrated, another seed without
/// Reset, rows the seeder did not write).
/// </summary>
public sealed record SeedDecision((SeedOutcome Outcome, string Message)? Skip, SeedMarker? Existing)
{
    /// <summary>Decides for the database <paramref name="connection"/> is open on.</summary>
    /// <exception cref="SeedRefusedException">The database must not be seeded with these options.</exception>
    public static async Task<SeedDecision> DecideAsync(NpgsqlConnection connection, SeedOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        var pending = await ClearwayMigrator.PendingAsync(connection, cancellationToken);
        if (pending.Count > 0)
            throw new SeedRefusedException(
                $"refusing to seed: the schema is not migrated (missing migration {pending[0].Id}" +
                (pending.Count > 1 ? $" and {pending.Count - 1} more" : "") + ")", "run the migration service first");

        var marker = await SeedMarker.ReadRowAsync(connection, cancellationToken);
        var nonEmpty = await NonEmptyTablesAsync(connection, cancellationToken);
        if (marker is not null && nonEmpty.Count == 0)
        {
            // The marker outlived its rows (the tables were emptied or dropped and migrated again): there is
            // nothing to protect and nothing seeded, so seed as into a fresh database.
            SeedLog.StaleMarker(logger, marker.Fingerprint, marker.Canonical);
            marker = null;
        }

        var skip = marker switch
        {
            { } same when same.Fingerprint == options.Fingerprint && !options.Reset =>
                (SeedOutcome.AlreadySeeded, $"already seeded with this plan (fingerprint {same.Fingerprint}, {same.Canonical}); nothing to do"),
            // As-of left to default (today): the same recipe seeded on another day is this seed, only dated then.
            { } sameRecipe when options.AsOfIsDefault && !options.Reset && sameRecipe.Canonical.StartsWith(options.Recipe + ";as-of=", StringComparison.Ordinal) =>
                (SeedOutcome.AlreadySeededAnotherDay, $"already seeded with this recipe as of another day ({sameRecipe.Canonical}); nothing to do (pass --as-of to choose the date, with --reset to replace it)"),
            { } existing when options.KeepExisting && !options.Reset =>
                (SeedOutcome.KeptExisting, $"kept the existing seed ({existing.Canonical}, fingerprint {existing.Fingerprint})"),
            _ => ((SeedOutcome, string)?)null,
        };
        if (skip is not null)
            return new SeedDecision(skip, marker);

        if (marker is { } other && !options.Reset)
            throw new SeedRefusedException(
                $"database was seeded with a different plan (fingerprint {other.Fingerprint}, {other.Canonical})", "pass --reset to replace it");
        if (marker is null && nonEmpty.Count > 0)
        {
            // Not seeded by us: only an entirely empty set of tables may be written to (with or without --reset).
            var table = nonEmpty[0];
            await using var count = SeedSql.Command(connection, $"SELECT count(*) FROM public.{PostgresIdentifier.Quote(table)}");
            var rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            throw new SeedRefusedException(
                $"refusing to seed: table \"{table}\" holds {rows:N0} rows the seeder did not write (no {PlatformTables.SeedMarker} marker); nothing was changed");
        }
        return new SeedDecision(null, marker);
    }

    /// <summary>The tables of the 28 that hold at least one row, in write order (one statement).</summary>
    private static async Task<IReadOnlyList<string>> NonEmptyTablesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var sql = string.Join(" UNION ALL ", SeedPlan.TableOrder.Select((t, i) =>
            $"SELECT {i} AS i WHERE EXISTS (SELECT 1 FROM public.{PostgresIdentifier.Quote(t)})"));
        var result = new List<string>();
        await using var command = SeedSql.Command(connection, $"SELECT i FROM ({sql}) s ORDER BY i");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result.Add(SeedPlan.TableOrder[reader.GetInt32(0)]);
        return result;
    }
}
