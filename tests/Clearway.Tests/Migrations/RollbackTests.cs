using Clearway.Data.Schema;
using Clearway.Seeding;
using Clearway.Testing.Xunit;
using Npgsql;

namespace Clearway.Tests.Migrations;

/// <summary>rollback: all the way down and back up, the non-empty-table guard, --force, bad targets.</summary>
public sealed class RollbackTests(ClearwayFixture fixture) : MigrationTestBase(fixture)
{
    [Fact]
    public async Task Rollback_to_0_removes_every_object_and_migrating_again_verifies()
    {
        var db = NewDatabaseName();
        Assert.Equal(0, (await RunAsync(db)).ExitCode);

        var down = await RunAsync(db, "rollback", "--to", "0");

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Empty(await HistoryAsync(db));
        // Only the platform's bookkeeping tables remain: no table, view, type or sequence of the schema.
        Assert.Equal(0L, await ScalarAsync<long>(db, """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'S') AND c.relname NOT LIKE '\_\_%'
            """));
        Assert.Equal(0L, await ScalarAsync<long>(db, """
            SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'
            """));
        Assert.Equal(All.Count, await ScalarAsync<long>(db, """SELECT count(*) FROM "__ClearwayMigrationLog" WHERE "direction" = 'down'"""));

        var up = await RunAsync(db);

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(All.Select(m => m.Id), await HistoryAsync(db));
        var report = await VerifyAsync(db);
        Assert.True(report.IsValid, report.ToString());
    }

    [Fact]
    public async Task Rollback_refuses_to_drop_tables_holding_rows_naming_them_and_force_overrides()
    {
        var db = NewDatabaseName();
        Assert.Equal(0, (await RunAsync(db)).ExitCode);
        await ExecuteAsync(db, """
            INSERT INTO "Organization" ("id", "name", "slug", "updatedAt") VALUES ('org_1', 'Acme', 'acme', now()), ('org_2', 'Beta', 'beta', now());
            """);
        var history = await HistoryAsync(db);

        var refused = await RunAsync(db, "rollback", "--to", "0");

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("\"Organization\" (2 rows)", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("--force", refused.StdErr, StringComparison.Ordinal);
        Assert.Equal(history, await HistoryAsync(db));
        Assert.Equal(2L, await ScalarAsync<long>(db, """SELECT count(*) FROM "Organization" """));

        var forced = await RunAsync(db, "rollback", "--to", "0", "--force");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Empty(await HistoryAsync(db));
        Assert.False(await TableExistsAsync(db, "Organization"));
    }

    [Fact]
    public async Task Rollback_to_an_intermediate_migration_reverts_only_the_later_ones()
    {
        var db = NewDatabaseName();
        Assert.Equal(0, (await RunAsync(db)).ExitCode);

        var run = await RunAsync(db, "rollback", "--to", All[2].Name);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(All.Take(3).Select(m => m.Id), await HistoryAsync(db));
        Assert.True(await TableExistsAsync(db, "Payment"));
        Assert.Equal(0L, await ScalarAsync<long>(db, "SELECT count(*) FROM pg_matviews WHERE schemaname = 'public'"));

        var again = await RunAsync(db, "rollback", "--to", All[2].Version); // by version: already there
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Nothing to roll back", again.Output, StringComparison.Ordinal);

        var up = await RunAsync(db, "rollback", "--to", All[^1].Name); // rollback never goes up
        Assert.True(up.ExitCode == 2, up.ToString());
        Assert.Contains("is not applied", up.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rolling_back_the_seeded_tables_drops_the_seed_marker_in_the_same_transaction()
    {
        await using var seeded = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        var env = new Dictionary<string, string?> { ["ConnectionStrings__clearway"] = seeded.ConnectionString, ["DOTNET_ENVIRONMENT"] = "Development" };
        Assert.True(await MarkerExistsAsync(seeded.ConnectionString));

        // HardenIntegrity's Down drops no table: the rows, and so the marker, stay.
        var keep = await MigrationServiceProcess.RunAsync(env, "rollback", "--to", All[3].Name);
        Assert.True(keep.ExitCode == 0, keep.ToString());
        Assert.True(await MarkerExistsAsync(seeded.ConnectionString));

        var down = await MigrationServiceProcess.RunAsync(env, "rollback", "--to", "0", "--force");

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.False(await MarkerExistsAsync(seeded.ConnectionString));
    }

    private static async Task<bool> MarkerExistsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        return await PostgresCatalog.RelationExistsAsync(connection, PlatformTables.SeedMarker, Ct);
    }
}
