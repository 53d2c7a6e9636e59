using Clearway.Seeding;
using Clearway.Testing.Databases;
using Clearway.Testing.Xunit;
using Npgsql;

namespace Clearway.Tests.Cli;

/// <summary>Each verb's happy path (and its refusals) as a real <c>clearway</c> process against a per-test database.</summary>
public sealed class VerbTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_creates_and_migrates_an_empty_database_then_is_up_to_date()
    {
        await using var blank = await ClearwayDatabase.CreateAsync(ClearwayDatabaseOptions.Blank);
        var connection = Unpooled(blank.ConnectionString);
        var run = await Cli.RunAsync("migrate", "--connection", connection);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Applied 5 migration(s)", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("schema verified", run.StdOut, StringComparison.Ordinal);

        var again = await Cli.RunAsync("migrate", "--connection", connection);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Database is up to date (5 migrations applied)", again.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_lists_every_migration_and_takes_the_connection_from_the_environment()
    {
        await using var db = await ClearwayDatabase.CreateEmptyAsync();
        var environment = Cli.Environment();
        environment["ConnectionStrings__clearway"] = db.ConnectionString;

        var run = await Cli.RunAsync(environment, "status");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var migration in new[] { "InitialSchema", "IntegrationExpansionPhase2", "Phase2CompleteSchema", "AddMaterializedViews", "HardenIntegrity" })
            Assert.Matches($@"applied\s+\S+\s+{migration}", run.StdOut);
        Assert.Contains("5 applied, 0 pending.", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_prints_sql_without_a_database()
    {
        var all = await Cli.RunAsync("script", "--idempotent");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Contains("CREATE TABLE \"CapitalCall\"", all.StdOut, StringComparison.Ordinal);
        Assert.Contains("IF NOT EXISTS", all.StdOut, StringComparison.Ordinal);

        var one = await Cli.RunAsync("script", "--from", "Phase2CompleteSchema", "--to", "AddMaterializedViews");
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Contains("CREATE MATERIALIZED VIEW", one.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("CREATE TABLE \"CapitalCall\"", one.StdOut, StringComparison.Ordinal);

        var unknown = await Cli.RunAsync("script", "--to", "NoSuchMigration");
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("NoSuchMigration", Assert.Single(unknown.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_reverts_to_the_target_and_refuses_to_drop_rows_without_force()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);

        var refused = await Cli.RunAsync("rollback", "--to", "0", "--connection", db.ConnectionString);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.StartsWith("clearway: Refusing to roll back: it would drop", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);

        var run = await Cli.RunAsync("rollback", "--to", "AddMaterializedViews", "--connection", db.ConnectionString);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Rolled back 1 migration(s) to AddMaterializedViews (2.0.1): HardenIntegrity.", run.StdOut, StringComparison.Ordinal);

        var all = await Cli.RunAsync("rollback", "--to", "0", "--force", "--connection", db.ConnectionString);
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Contains("Rolled back 4 migration(s) to 0", all.StdOut, StringComparison.Ordinal);
        Assert.False(await ScalarAsync<bool>(db.ConnectionString, "SELECT to_regclass('public.\"CapitalCall\"') IS NOT NULL"));
    }

    [Fact]
    public async Task Verify_reports_a_valid_schema_and_exits_1_on_drift()
    {
        await using var db = await ClearwayDatabase.CreateEmptyAsync();

        var run = await Cli.RunAsync("verify", "--connection", db.ConnectionString);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("schema verified: 28 tables", run.StdOut, StringComparison.Ordinal);

        await ExecuteAsync(db.ConnectionString, "ALTER TABLE \"CapitalCall\" DROP COLUMN \"bankName\"");
        var drift = await Cli.RunAsync("verify", "--connection", db.ConnectionString);
        Assert.True(drift.ExitCode == 1, drift.ToString());
        Assert.Contains("MissingColumn \"CapitalCall\".\"bankName\"", drift.StdOut, StringComparison.Ordinal);
        Assert.StartsWith("clearway: Schema verification failed", drift.ErrorLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_seeds_a_migrated_database_then_skips_the_same_seed_and_refuses_another_without_reset()
    {
        await using var db = await ClearwayDatabase.CreateEmptyAsync();
        string[] tiny = ["seed", "--profile", "tiny", "--as-of", "2026-01-15", "--connection", db.ConnectionString];

        var run = await Cli.RunAsync(tiny);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"seeded [\d,]+ rows in 28 tables", run.StdOut);
        Assert.Equal(24L, await ScalarAsync<long>(db.ConnectionString, "SELECT count(*) FROM \"CapitalCall\""));

        var again = await Cli.RunAsync(tiny);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already seeded with this plan", again.StdOut, StringComparison.Ordinal);

        var other = await Cli.RunAsync("seed", "--profile", "tiny", "--seed", "7", "--connection", db.ConnectionString);
        Assert.True(other.ExitCode == 2, other.ToString());
        Assert.Contains("pass --reset to replace it", other.ErrorLines[^1], StringComparison.Ordinal);

        var reset = await Cli.RunAsync("seed", "--profile", "tiny", "--seed", "7", "--reset", "--connection", db.ConnectionString);
        Assert.True(reset.ExitCode == 0, reset.ToString());
    }

    [Fact]
    public async Task Seed_refuses_an_unmigrated_database_and_Production()
    {
        await using var blank = await ClearwayDatabase.CreateAsync(ClearwayDatabaseOptions.Blank);
        var connection = Unpooled(blank.ConnectionString);
        var run = await Cli.RunAsync("seed", "--profile", "tiny", "--connection", connection);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("is not migrated: 5 migration(s) pending", run.ErrorLines[^1], StringComparison.Ordinal);

        var production = await Cli.RunAsync(Cli.Environment(environmentName: "Production"), "seed", "--connection", connection);
        Assert.True(production.ExitCode == 2, production.ToString());
        Assert.Contains("the environment is Production", Assert.Single(production.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_views_refreshes_both_views_concurrently()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        await ExecuteAsync(db.ConnectionString, "DELETE FROM \"Payment\"; UPDATE \"CapitalCall\" SET \"status\" = 'PENDING_REVIEW'");

        var run = await Cli.RunAsync("refresh-views", "--connection", db.ConnectionString);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Refreshed monthly_call_summary and fund_performance_summary concurrently", run.StdOut, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync<long>(db.ConnectionString, "SELECT coalesce(sum(paid_count), 0)::bigint FROM monthly_call_summary"));
    }

    [Fact]
    public async Task Refresh_views_every_interval_keeps_refreshing_until_SIGTERM()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        var environment = Cli.Environment();
        environment["CLEARWAY_PLAIN"] = "1";

        await using var loop = Cli.Start(environment, "refresh-views", "--every", "1s", "--connection", db.ConnectionString);
        await loop.WaitForOutputAsync("Refreshing both views every 1s until Ctrl+C.", TimeSpan.FromMinutes(1), Ct);
        await loop.WaitForOutputAsync("Refresh 3: Refreshed monthly_call_summary and fund_performance_summary concurrently", TimeSpan.FromMinutes(1), Ct);
        Cli.Signal(loop.Id, "TERM");

        Assert.Equal(0, await loop.WaitForExitAsync(TimeSpan.FromMinutes(1), Ct));
        Assert.Matches(@"Stopped after \d+ refreshes\.", loop.StandardOutput);
        Assert.Contains("monthly_call_summary 24 rows", loop.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_on_an_existing_server_seeds_a_database_whose_marker_outlived_its_rows()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        // What an interrupted reset or `rollback --to 0` + `migrate` leaves: the marker over 28 empty tables.
        await ExecuteAsync(db.ConnectionString, $"TRUNCATE {string.Join(", ", SeedPlan.TableOrder.Select(t => $"\"{t}\""))}");

        var run = await Cli.RunAsync("up", "--connection", db.ConnectionString);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("kept the existing seed", run.StdOut, StringComparison.Ordinal);
        Assert.True(await ScalarAsync<long>(db.ConnectionString, "SELECT count(*) FROM \"CapitalCall\"") > 0, run.ToString());
    }

    [Fact]
    public async Task Reset_with_yes_puts_a_copy_of_the_seeds_template_in_place()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        await ExecuteAsync(db.ConnectionString, "DELETE FROM \"AuditLog\"");

        var run = await Cli.RunAsync("reset", "--yes", "--profile", "tiny", "--as-of", "2026-01-15", "--connection", db.ConnectionString);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($": seeder={SeedRunner.SeederVersion};profile=tiny;seed=42;scale=1;as-of=2026-01-15 from template clearway_tpl_", run.StdOut, StringComparison.Ordinal);
        Assert.Equal(60L, await ScalarAsync<long>(db.ConnectionString, "SELECT count(*) FROM \"AuditLog\""));
    }

    [Fact]
    public async Task Reset_rebuild_drops_migrates_and_seeds_again()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        await ExecuteAsync(db.ConnectionString, "DELETE FROM \"AuditLog\"");

        var run = await Cli.RunAsync("reset", "--yes", "--rebuild", "--profile", "tiny", "--as-of", "2026-01-15", "--connection", db.ConnectionString);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("reverted 5 migration(s)", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("applied 5 migration(s)", run.StdOut, StringComparison.Ordinal);
        Assert.Contains($"migrated and seeded (seeder={SeedRunner.SeederVersion};profile=tiny;seed=42;scale=1;as-of=2026-01-15)", run.StdOut, StringComparison.Ordinal);
        Assert.Equal(60L, await ScalarAsync<long>(db.ConnectionString, "SELECT count(*) FROM \"AuditLog\""));
    }

    [Fact]
    public async Task Reset_refuses_without_a_terminal_or_yes_in_Production_and_on_a_database_that_is_not_ours()
    {
        await using var seeded = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);

        var unconfirmed = await Cli.RunAsync("reset", "--connection", seeded.ConnectionString);
        Assert.True(unconfirmed.ExitCode == 2, unconfirmed.ToString());
        Assert.Equal("clearway: refusing to reset without confirmation: there is no terminal to ask on. Fix: pass --yes to confirm.", Assert.Single(unconfirmed.ErrorLines));

        var production = await Cli.RunAsync(Cli.Environment(environmentName: "Production"), "reset", "--yes", "--connection", seeded.ConnectionString);
        Assert.True(production.ExitCode == 2, production.ToString());
        Assert.StartsWith("clearway: refusing to reset: the environment is Production", Assert.Single(production.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(24L, await ScalarAsync<long>(seeded.ConnectionString, "SELECT count(*) FROM \"CapitalCall\""));

        await using var blank = await ClearwayDatabase.CreateAsync(ClearwayDatabaseOptions.Blank);
        var foreign = Unpooled(blank.ConnectionString);
        await ExecuteAsync(foreign, "CREATE TABLE \"Organization\" (id int); INSERT INTO \"Organization\" VALUES (1), (2)");
        var run = await Cli.RunAsync("reset", "--yes", "--connection", foreign);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("table \"Organization\" holds 2 rows", run.ErrorLines[^1], StringComparison.Ordinal);
        Assert.Equal(2L, await ScalarAsync<long>(foreign, "SELECT count(*) FROM \"Organization\""));
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
