using System.Net;
using System.Net.Sockets;
using Clearway.Testing.Xunit;
using Npgsql;

namespace Clearway.Tests.Cli;

/// <summary><c>clearway up</c> as a real process with a temp data dir: start, seed, connect, skip on the second run, stop on a signal.</summary>
public sealed class UpTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("clearway-cli-up-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Up_starts_migrates_seeds_prints_a_working_connection_string_skips_seeding_the_second_time_keeps_a_snapshot_and_stops_on_SIGINT()
    {
        var environment = Cli.Environment(_dataDir);
        var args = Up.Args(_dataDir);

        await using (var up = Cli.Start(environment, args))
        {
            await up.WaitForOutputAsync(Up.Ready, Up.StartLimit, Ct);
            var output = up.StandardOutput;
            Assert.Contains("applied 5 migration(s), schema verified", output, StringComparison.Ordinal);
            Assert.Matches(@"seed\s+[\d.]+ s\s+seeded [\d,]+ rows \(seeder=\d+;profile=tiny;seed=42;scale=1;as-of=2026-01-15\)", output);
            Assert.Matches(@"CapitalCall\s+24\b", output);
            Assert.Matches(@"monthly_call_summary \(view\)\s+\d+", output);
            Assert.Contains("populated by the seed", output, StringComparison.Ordinal);

            // The printed connection string works and the data is there.
            var connectionString = Up.Line(output, "Connection string: ");
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync(Ct);
                await using var count = new NpgsqlCommand("SELECT count(*) FROM \"CapitalCall\"", connection);
                Assert.Equal(24L, (long)(await count.ExecuteScalarAsync(Ct))!);
            }
            NpgsqlConnection.ClearAllPools();

            // So does the psql command line.
            var psql = Up.Line(output, "psql: ");
            if (PsqlAvailable(psql))
            {
                var run = await Up.RunAsync(null, "/bin/sh", "-c", $"{psql} -Atc 'SELECT count(*) FROM \"Organization\"'");
                Assert.True(run.ExitCode == 0, run.Output);
                Assert.Equal("3", run.Output.Trim());
            }

            // The other verbs find the running server through <data-dir>/clearway-up.json.
            Assert.True(File.Exists(Path.Combine(_dataDir, "clearway-up.json")));
            var status = await Cli.RunAsync(environment, "status");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Contains("5 applied, 0 pending.", status.StdOut, StringComparison.Ordinal);
            Assert.Contains("Using the running `clearway up`", status.StdErr, StringComparison.Ordinal);

            // A snapshot of the developer's own state, kept in the data directory across the restart below.
            var saved = await Cli.RunAsync(environment, "snapshot", "save", "across-up");
            Assert.True(saved.ExitCode == 0, saved.ToString());
            await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString))
            {
                await connection.OpenAsync(Ct);
                await new NpgsqlCommand("""DELETE FROM "AuditLog" """, connection).ExecuteNonQueryAsync(Ct);
            }

            var postmaster = Up.PostmasterPid(_dataDir);
            Cli.Signal(up.Id, "INT");
            var exit = await up.WaitForExitAsync(Up.StopLimit, Ct);
            Assert.True(exit == 0, up.Output());
            Assert.Contains("Stopped PostgreSQL; data kept in", up.StandardOutput, StringComparison.Ordinal);
            Up.AssertNoServerLeft(_dataDir, postmaster);
            Assert.False(File.Exists(Path.Combine(_dataDir, "clearway-up.json")));
        }

        await using (var again = Cli.Start(environment, args))
        {
            await again.WaitForOutputAsync(Up.Ready, Up.StartLimit, Ct);
            Assert.Contains("up to date (5 migrations), schema verified", again.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("skipped: already seeded identically", again.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("refreshed concurrently", again.StandardOutput, StringComparison.Ordinal);
            Assert.Matches(@"CapitalCall\s+24\b", again.StandardOutput);

            // The snapshot survived the restart, and puts back the rows deleted after it was taken.
            var listed = await Cli.RunAsync(environment, "snapshot", "list");
            Assert.True(listed.ExitCode == 0, listed.ToString());
            Assert.Contains("across-up", listed.StdOut, StringComparison.Ordinal);
            var restored = await Cli.RunAsync(environment, "snapshot", "restore", "across-up");
            Assert.True(restored.ExitCode == 0, restored.ToString());
            await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Up.Line(again.StandardOutput, "Connection string: ")) { Pooling = false }.ConnectionString))
            {
                await connection.OpenAsync(Ct);
                Assert.True((long)(await new NpgsqlCommand("""SELECT count(*) FROM "AuditLog" """, connection).ExecuteScalarAsync(Ct))! > 0, "the snapshot did not put AuditLog back");
            }

            var postmaster = Up.PostmasterPid(_dataDir);
            Cli.Signal(again.Id, "TERM");
            Assert.True(await again.WaitForExitAsync(Up.StopLimit, Ct) == 0, again.Output());
            Up.AssertNoServerLeft(_dataDir, postmaster);
        }
    }

    [Fact]
    public async Task SIGHUP_stops_up_cleanly_like_SIGTERM_and_hide_password_keeps_the_password_out_of_its_output()
    {
        await using var up = Up.Start(_dataDir, "--hide-password");
        await up.WaitForOutputAsync(Up.Ready, Up.StartLimit, Ct);

        var connectionLine = Up.Line(up.StandardOutput, "Connection string: ").Split(" (", 2);
        Assert.Null(new NpgsqlConnectionStringBuilder(connectionLine[0]).Password);
        Assert.Contains(Path.Combine(_dataDir, "clearway-up.json"), connectionLine[1], StringComparison.Ordinal);
        Assert.DoesNotContain("PGPASSWORD", Up.Line(up.StandardOutput, "psql: "), StringComparison.Ordinal);
        var state = await File.ReadAllTextAsync(Path.Combine(_dataDir, "clearway-up.json"), Ct);
        var password = new NpgsqlConnectionStringBuilder(System.Text.Json.JsonDocument.Parse(state).RootElement.GetProperty("connectionString").GetString()).Password;
        Assert.False(string.IsNullOrEmpty(password));
        Assert.DoesNotContain(password, up.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(password, up.StandardError, StringComparison.Ordinal);

        var postmaster = Up.PostmasterPid(_dataDir);
        Cli.Signal(up.Id, "HUP");
        var exit = await up.WaitForExitAsync(Up.StopLimit, Ct);

        Assert.True(exit == 0, up.Output());
        Assert.Contains("Stopped PostgreSQL; data kept in", up.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dataDir, "clearway-up.json")), "the state file outlived up");
        Up.AssertNoServerLeft(_dataDir, postmaster);
    }

    [Fact]
    public async Task A_signal_the_moment_up_says_Ready_is_a_clean_stop()
    {
        await using var up = Up.Start(_dataDir);
        await up.WaitForOutputAsync(Up.Ready, Up.StartLimit, Ct);
        Cli.Signal(up.Id, "INT");

        var exit = await up.WaitForExitAsync(Up.StopLimit, Ct);

        Assert.True(exit == 0, up.Output());
        Assert.DoesNotContain("cancelled", up.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dataDir, "clearway-up.json")));
    }

    [Fact]
    public async Task A_killed_up_has_its_server_stopped_by_the_watchdog()
    {
        await using var up = Up.Start(_dataDir);
        await up.WaitForOutputAsync(Up.Ready, Up.StartLimit, Ct);
        var postmaster = Up.PostmasterPid(_dataDir);

        Cli.Signal(up.Id, "KILL");
        await up.WaitForExitAsync(Up.StopLimit, Ct);

        await Up.WaitUntilStoppedAsync(postmaster, Up.StopLimit);
        Up.AssertNoServerLeft(_dataDir, postmaster);
    }

    [Fact]
    public async Task Up_with_a_connection_uses_that_server_prints_the_summary_without_the_callers_password_and_exits()
    {
        await using var db = await ClearwayDatabase.CreateEmptyAsync();
        var given = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        Assert.False(string.IsNullOrEmpty(given.Password));

        var run = await Cli.RunAsync("up", "--connection", db.ConnectionString, "--profile", "tiny", "--as-of", "2026-01-15");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("up to date (5 migrations)", run.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"CapitalCall\s+24\b", run.StdOut);
        var printed = new NpgsqlConnectionStringBuilder(Up.Line(run.StdOut, "Connection string: ").Split(" (", 2)[0]);
        Assert.Equal((given.Host, given.Port, given.Database, given.Username), (printed.Host, printed.Port, printed.Database, printed.Username));
        Assert.DoesNotContain(given.Password!, run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(given.Password!, run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(Up.Ready, run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_on_a_port_in_use_exits_2_with_one_line()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        var run = await Cli.RunAsync(Cli.Environment(_dataDir), "up", "--profile", "tiny", "--data-dir", _dataDir, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"clearway: Port {port} on 127.0.0.1 is already in use: choose another port or leave Port unset to get a free one.", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Up_on_a_data_dir_that_is_not_ours_exits_2_and_leaves_it_alone()
    {
        var file = Path.Combine(_dataDir, "precious.txt");
        await File.WriteAllTextAsync(file, "keep me", Ct);

        var run = await Cli.RunAsync(Cli.Environment(_dataDir), "up", "--profile", "tiny", "--data-dir", _dataDir);

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"clearway: Data directory '{_dataDir}' is not a PostgreSQL data directory created by Clearway", line, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(file, Ct));
        Assert.Single(Directory.EnumerateFileSystemEntries(_dataDir));
    }

    private static bool PsqlAvailable(string psqlLine)
    {
        var tool = psqlLine.Split(' ').First(p => p.EndsWith("psql", StringComparison.Ordinal));
        return tool.Contains('/', StringComparison.Ordinal) ? File.Exists(tool)
            : (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort
        }
    }
}
