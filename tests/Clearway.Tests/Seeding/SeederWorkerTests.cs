using Clearway.Seeding;
using Clearway.Testing.Xunit;
using Clearway.Testing;
using Clearway.Testing.Databases;
using Clearway.Tests.Infrastructure;
using Npgsql;

namespace Clearway.Tests.Seeding;

/// <summary>The worker as a process: exit codes, one-line messages, nothing written on refusal, and a kill mid-seed.</summary>
public sealed class SeederWorkerTests(ClearwayFixture fixture)
{
    private const string Dev = "Development";
    private static readonly TimeSpan Timeout = SeederProcess.Timeout;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Seeds_in_place_with_exit_0_then_skips_with_exit_0()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        string[] args = ["--profile", "tiny", "--seed", "5", "--as-of", "2026-06-15", "--in-place"];

        var first = await SeederProcess.RunAsync(db.ConnectionString, Dev, args);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        Assert.Contains("Seeder done (Seeded): seeded", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("Seed summary", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("Seeded table CapitalCall: 24 rows", first.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Rebuilt", first.Stdout, StringComparison.Ordinal); // tiny loads with its keys in force
        var fingerprints = await db.TableFingerprintsAsync();

        var second = await SeederProcess.RunAsync(db.ConnectionString, Dev, args);
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.Contains("already seeded with this plan", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(fingerprints, await db.TableFingerprintsAsync());

        // The worker and the library produce the same data.
        await using var inProcess = await SeedDatabase.CreateAsync(fixture.Factory);
        await inProcess.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 5));
        Assert.Equal(await inProcess.TableFingerprintsAsync(), fingerprints);
    }

    [Fact]
    public async Task Configuration_keys_work_like_switches()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
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
        { ["--profile"], "Required argument missing for option: '--profile'" },
        { ["--profile", ""], "profile is empty (expected tiny, dev or large" },
        { ["--profile", "tiny", "--seed", ""], "seed is empty (expected an integer" },
        { ["--profile", "tiny", "--scale", ""], "scale is empty (expected a number greater than 0" },
        { ["--profile", "tiny", "--as-of", ""], "as-of is empty (expected a date written YYYY-MM-DD" },
        { ["--profile", "tiny", "--Seeder:Seed="], "'' at 'Seeder:Seed'" },
        { ["--profile", "tiny", "--Seeder:Reset", "maybe"], "'maybe' at 'Seeder:Reset'" },
        { ["--profile", "tiny", "--reset", "--keep-existing"], "--reset and --keep-existing contradict each other" },
        { ["--profile", "tiny", "--Seeder:Reset=true", "--Seeder:KeepExisting=true"], "Seeder:Reset and Seeder:KeepExisting contradict each other" },
        { ["--profile", "tiny", "stray"], "unexpected argument 'stray'" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_exits_2_with_one_line_and_writes_nothing(string[] args, string message)
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
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
    public async Task Help_prints_the_options_and_exits_0()
    {
        var run = await SeederProcess.RunAsync(null, Dev, "--help");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        foreach (var option in new[] { "--profile", "--seed", "--scale", "--as-of", "--reset" })
            Assert.Contains(option, run.Stdout, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=abc;Database=clearway;Username=postgres", "the connection string is malformed")]
    [InlineData("Host=127.0.0.1;Username=postgres", "the connection string names no Database")]
    public async Task An_unusable_connection_string_exits_2_with_one_line(string connectionString, string message)
    {
        var run = await SeederProcess.RunAsync(connectionString, Dev, "--profile", "tiny");
        Assert.True(run.ExitCode == 2, run.Stdout + run.Stderr);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("clearway-seeder: " + message, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_marker_that_outlived_its_tables_does_not_make_an_empty_database_look_seeded()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        string[] args = ["--profile", "tiny", "--seed", "5", "--as-of", "2026-06-15"];
        var first = await SeederProcess.RunAsync(db.ConnectionString, Dev, args);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);

        // What `rollback --to 0 --force` then `migrate` leaves: every table empty, the marker table untouched.
        await db.MigrateToAsync("0", Ct);
        await db.MigrateToAsync(null, Ct);
        Assert.True(await db.MarkerExistsAsync());

        var again = await SeederProcess.RunAsync(db.ConnectionString, Dev, args);
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Contains("Seeder done (Seeded): seeded", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(24, await db.ScalarAsync<long>("SELECT count(*) FROM \"CapitalCall\""));
    }

    [Fact]
    public async Task Production_is_refused_with_exit_2_and_nothing_written()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
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
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory, migrate: false);
        var run = await SeederProcess.RunAsync(db.ConnectionString, Dev, "--profile", "tiny");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not migrated (missing migration ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("_InitialSchema", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Foreign_rows_with_reset_exit_2_naming_the_table_and_stay()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
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
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        await db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 1));
        var run = await SeederProcess.RunAsync(db.ConnectionString, Dev, "--profile", "tiny", "--seed", "2", "--as-of", "2026-06-15");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("pass --reset", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keep_existing_skips_a_different_seed_and_leaves_its_rows_and_reset_replaces_it_but_not_both_together()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        await db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 1));
        var before = await db.TableFingerprintsAsync();

        var kept = await SeederProcess.RunAsync(db.ConnectionString, Dev, "--profile", "tiny", "--seed", "2", "--as-of", "2026-06-15", "--keep-existing");
        Assert.True(kept.ExitCode == 0, kept.Stdout + kept.Stderr);
        Assert.Contains("kept the existing seed", kept.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, await db.TableFingerprintsAsync());

        // Both at once would silently replace a seed the user asked to keep: refused, nothing written.
        var both = await SeederProcess.RunAsync(db.ConnectionString, Dev, "--profile", "tiny", "--seed", "2", "--as-of", "2026-06-15", "--keep-existing", "--reset");
        Assert.True(both.ExitCode == 2, both.Stdout + both.Stderr);
        Assert.Contains("choose one", Assert.Single(both.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal(before, await db.TableFingerprintsAsync());

        var replaced = await SeederProcess.RunAsync(db.ConnectionString, Dev, "--profile", "tiny", "--seed", "2", "--as-of", "2026-06-15", "--reset");
        Assert.True(replaced.ExitCode == 0, replaced.Stdout + replaced.Stderr);
        Assert.NotEqual(before, await db.TableFingerprintsAsync());
    }

    [Fact]
    public async Task Killing_the_seeder_mid_seed_leaves_the_database_as_it_was()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        await db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 1));
        var before = await db.TableFingerprintsAsync();
        var markerBefore = await db.ScalarAsync<string>($"SELECT fingerprint FROM \"{SeedRunner.MarkerTable}\"");

        // Reseed with another plan while this connection holds a lock that conflicts with writing the marker: the
        // seeder truncates and rewrites all 28 tables, refreshes the views, then blocks on its last statement
        // inside its open transaction, where the kill lands.
        await using (var holder = await db.OpenAsync(Ct))
        await using (var hold = await holder.BeginTransactionAsync(Ct))
        {
            await using (var lockMarker = new NpgsqlCommand($"LOCK TABLE \"{SeedRunner.MarkerTable}\" IN EXCLUSIVE MODE", holder))
                await lockMarker.ExecuteNonQueryAsync(Ct);
            await using var seeder = SeederProcess.Start(db.ConnectionString, Dev, "--profile", "tiny", "--seed", "2", "--as-of", "2026-06-15", "--reset", "--in-place");
            await ServerActivity.WaitUntilBlockedAsync(db.ConnectionString, $"INSERT INTO public.\"{SeedRunner.MarkerTable}\"", seeder);
            Assert.Contains("Seeded table ReportExecution", seeder.StandardOutput, StringComparison.Ordinal);
            seeder.Kill();
            await seeder.WaitForExitAsync(Timeout, Ct);
        }

        Assert.Equal(before, await db.TableFingerprintsAsync());
        Assert.Equal(markerBefore, await db.ScalarAsync<string>($"SELECT fingerprint FROM \"{SeedRunner.MarkerTable}\""));

        // And the database is usable: the same reseed now completes.
        var run = await SeederProcess.RunAsync(db.ConnectionString, Dev, "--profile", "tiny", "--seed", "2", "--as-of", "2026-06-15", "--reset");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task A_server_that_dies_mid_seed_is_reported_as_that_naming_the_table()
    {
        // A private server of this test's own: killing a backend makes PostgreSQL restart every session of it.
        await using var server = await PostgresServer.StartPrivateAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var factory = new ClearwayDatabaseFactory(server);
        await using var db = await TestDatabase.CreateAsync(factory, cancellationToken: Ct);

        await using (var holder = await db.OpenAsync(Ct))
        await using (var hold = await holder.BeginTransactionAsync(Ct))
        {
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE \"ReportExecution\" IN SHARE MODE", holder))
                await lockTable.ExecuteNonQueryAsync(Ct);
            await using var seeder = SeederProcess.Start(db.ConnectionString, Dev, "--profile", "tiny", "--as-of", "2026-06-15", "--in-place");
            var backend = await ServerActivity.WaitUntilBlockedAsync(db.ConnectionString, "COPY \"ReportExecution\"", seeder);

            // Only a process of the server this test started: the backend's parent is its postmaster.
            var parent = File.ReadAllText($"/proc/{backend}/stat").Split(' ')[3];
            Assert.Equal(server.PostmasterPid.ToString(), parent);
            using (var process = System.Diagnostics.Process.GetProcessById(backend))
                process.Kill(); // SIGKILL: the connection ends without a word, as when a server or container dies

            Assert.Equal(1, await seeder.WaitForExitAsync(Timeout, Ct));
            var line = Assert.Single(seeder.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("clearway-seeder: the server closed the connection while seeding table ReportExecution", line, StringComparison.Ordinal);
            Assert.Contains("nothing was written", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Attempted to read past the end of the stream", seeder.StandardError, StringComparison.Ordinal);
        }
        // The killed backend sent the server through crash recovery; the database is dropped once it is back.
        await WaitUntilAcceptingConnectionsAsync(db.ConnectionString);
    }

    /// <summary>Bounded: until the server, back from crash recovery, accepts a connection again (57P03 until then).</summary>
    private static async Task WaitUntilAcceptingConnectionsAsync(string connectionString)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(Ct);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CannotConnectNow && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct); // asking the server again, not a sleep standing in for an event
            }
        }
    }
}

/// <summary>The seeder meeting a server it cannot reach: the migrator's words (host:port, database, a hint) and its wait limit.</summary>
public sealed class SeederConnectionTests
{
    public static TheoryData<string, string> Unreachable => new()
    {
        { "Host=127.0.0.1;Port=1;Database=clearway;Username=postgres;Password=x", "127.0.0.1:1, database \"clearway\"" },
        { "Host=no-such-host.invalid;Database=clearway;Username=postgres;Password=x", "no-such-host.invalid:5432, database \"clearway\"" },
    };

    [Theory]
    [MemberData(nameof(Unreachable))]
    public async Task An_unreachable_server_is_named_with_its_database_and_a_hint_within_the_wait_limit(string connectionString, string named)
    {
        await using var run = await RunAsync(connectionString);

        Assert.True(run.ExitCode == 1, run.Output());
        var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("clearway-seeder: Cannot reach PostgreSQL at " + named, line, StringComparison.Ordinal);
        Assert.Contains("Fix: cannot connect: check Host and Port", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output(), StringComparison.Ordinal); // the stack trace is kept at Debug
    }

    [Fact]
    public async Task A_port_that_never_answers_ends_at_the_wait_limit_naming_it()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the kernel's backlog) and never says a word
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;

        await using var run = await RunAsync($"Host=127.0.0.1;Port={port};Database=clearway;Username=postgres;Password=x");

        Assert.True(run.ExitCode == 1, run.Output());
        var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"Cannot reach PostgreSQL at 127.0.0.1:{port}, database \"clearway\"", line, StringComparison.Ordinal);
        Assert.Contains("no answer before the wait limit", line, StringComparison.Ordinal);
    }

    private static async Task<WorkerProcess> RunAsync(string connectionString)
    {
        var seeder = WorkerProcess.Start(Telemetry.WorkerTelemetryEnvironment.SeederDll, ["--profile", "tiny"], new Dictionary<string, string?>
        {
            ["ConnectionStrings__clearway"] = connectionString,
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["Migrator__ServerWaitLimit"] = "00:00:02",
        });
        await seeder.WaitForExitAsync(SeederProcess.Timeout, TestContext.Current.CancellationToken);
        return seeder;
    }
}
