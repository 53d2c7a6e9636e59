using Clearway.Seeding;

namespace Clearway.Tests.Seeding;

/// <summary>The worker as a process: exit codes, one-line messages, nothing written on refusal, and a kill mid-seed.</summary>
public sealed class SeederWorkerTests(PostgresServerFixture fixture)
{
    private const string Dev = "Development";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Seeds_with_exit_0_then_skips_with_exit_0()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Server);
        string[] args = ["--profile", "tiny", "--seed", "5", "--as-of", "2026-06-15"];

        var first = await SeederProcess.RunAsync(db.ConnectionString, Dev, args);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Contains("clearway-seeder: seeded", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("Seed summary", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("Seeded table CapitalCall: 24 rows", first.Stdout, StringComparison.Ordinal);
        var fingerprints = await db.TableFingerprintsAsync();

        var second = await SeederProcess.RunAsync(db.ConnectionString, Dev, args);
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.Contains("already seeded with this plan", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(fingerprints, await db.TableFingerprintsAsync());

        // The worker and the library produce the same data.
        await using var inProcess = await SeedDatabase.CreateAsync(fixture.Server);
        await inProcess.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 5));
        Assert.Equal(await inProcess.TableFingerprintsAsync(), fingerprints);
    }

    [Fact]
    public async Task Configuration_keys_work_like_switches()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Server);
        var run = await SeederProcess.RunAsync(db.ConnectionString, Dev, "--Seeder:Profile=tiny", "--Seeder:Seed", "5", "--Seeder:AsOf=2026-06-15");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(SeedDatabase.Options(SeedProfile.Tiny, seed: 5).Fingerprint,
            await db.ScalarAsync<string>($"SELECT fingerprint FROM \"{SeedRunner.MarkerTable}\""));
    }

    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["--profile", "huge"], "unknown profile 'huge' (expected tiny, dev or large)" },
        { ["--profile", "tiny", "--scale", "0"], "scale must be a number greater than 0" },
        { ["--profile", "tiny", "--scale", "-1"], "scale must be a number greater than 0" },
        { ["--profile", "tiny", "--scale", "1e9"], "is absurd" },
        { ["--profile", "tiny", "--seed", "forty-two"], "seed must be an integer (got 'forty-two')" },
        { ["--profile", "tiny", "--as-of", "2026-02-30"], "as-of must be a date written YYYY-MM-DD (got '2026-02-30')" },
        { ["--profile", "tiny", "--as-of", "tomorrow"], "as-of must be a date written YYYY-MM-DD" },
        { ["--profile", "tiny", "--frobnicate"], "unknown option '--frobnicate'" },
        { ["--profile"], "option '--profile' needs a value" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_exits_2_with_one_line_and_writes_nothing(string[] args, string message)
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Server);
        var run = await SeederProcess.RunAsync(db.ConnectionString, Dev, args);
        Assert.Equal(2, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("clearway-seeder: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(message, lines[0], StringComparison.Ordinal);
        Assert.False(await db.MarkerExistsAsync());
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM \"Organization\""));
    }

    [Fact]
    public async Task Production_is_refused_with_exit_2_and_nothing_written()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Server);
        var run = await SeederProcess.RunAsync(db.ConnectionString, "Production", "--profile", "tiny");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("the environment is Production", run.Stderr, StringComparison.Ordinal);
        Assert.False(await db.MarkerExistsAsync());
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM \"User\""));
    }

    [Fact]
    public async Task Missing_connection_string_exits_2()
    {
        var run = await SeederProcess.RunAsync(null, Dev, "--profile", "tiny");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ConnectionStrings:clearway", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unmigrated_schema_exits_2_naming_the_migration()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Server, migrate: false);
        var run = await SeederProcess.RunAsync(db.ConnectionString, Dev, "--profile", "tiny");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not migrated (missing migration ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("_InitialSchema", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Foreign_rows_with_reset_exit_2_naming_the_table_and_stay()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Server);
        await db.ExecuteAsync("""INSERT INTO "FundMapping" (id, "fundAdministrator", "externalFundCode", "fundName", "updatedAt") VALUES ('cf1', 'CARTA', 'X-1', 'Real Fund I', now())""", TestContext.Current.CancellationToken);
        var run = await SeederProcess.RunAsync(db.ConnectionString, Dev, "--profile", "tiny", "--reset");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("table \"FundMapping\" holds 1 rows the seeder did not write", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("Real Fund I", await db.ScalarAsync<string>("SELECT \"fundName\" FROM \"FundMapping\""));
        Assert.False(await db.MarkerExistsAsync());
    }

    [Fact]
    public async Task Different_plan_without_reset_exits_2()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Server);
        await db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 1));
        var run = await SeederProcess.RunAsync(db.ConnectionString, Dev, "--profile", "tiny", "--seed", "2", "--as-of", "2026-06-15");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("pass --reset", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killing_the_seeder_mid_seed_leaves_the_database_as_it_was()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Server);
        await db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 1));
        var before = await db.TableFingerprintsAsync();
        var markerBefore = await db.ScalarAsync<string>($"SELECT fingerprint FROM \"{SeedRunner.MarkerTable}\"");

        // Reseed with another plan; the worker stops after CapitalCall inside its open transaction (28 tables
        // truncated, 15 rewritten) and says so: the kill lands at that known point, not after a sleep.
        using (var seeder = SeederProcess.Start(db.ConnectionString, Dev,
            "--profile", "tiny", "--seed", "2", "--as-of", "2026-06-15", "--reset", "--Seeder:PauseAfterTable=CapitalCall"))
        {
            await seeder.WaitForLineAsync("paused after CapitalCall", Timeout);
            Assert.Contains("Seeded table CapitalCall", seeder.Stdout, StringComparison.Ordinal);
            seeder.Kill();
            await seeder.WaitForExitAsync(Timeout);
        }

        Assert.Equal(before, await db.TableFingerprintsAsync());
        Assert.Equal(markerBefore, await db.ScalarAsync<string>($"SELECT fingerprint FROM \"{SeedRunner.MarkerTable}\""));

        // And the database is usable: the same reseed now completes.
        var run = await SeederProcess.RunAsync(db.ConnectionString, Dev, "--profile", "tiny", "--seed", "2", "--as-of", "2026-06-15", "--reset");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
    }
}
