using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Clearway.Testing.Xunit;
using Npgsql;

namespace Clearway.Tests.Cli;

/// <summary><c>clearway up</c> as a real process with a temp data dir: start, seed, connect, skip on the second run, stop on SIGINT.</summary>
public sealed class UpTests : IDisposable
{
    private const string Ready = "Ready: PostgreSQL is running.";
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(60);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("clearway-cli-up-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Up_starts_migrates_seeds_prints_a_working_connection_string_skips_seeding_the_second_time_and_stops_on_SIGINT()
    {
        var environment = Cli.Environment(_dataDir);
        string[] args = ["up", "--profile", "tiny", "--as-of", "2026-01-15", "--data-dir", _dataDir];

        await using (var up = Cli.Start(environment, args))
        {
            await up.WaitForOutputAsync(Ready, StartLimit, Ct);
            var output = up.StandardOutput;
            Assert.Contains("applied 5 migration(s), schema verified", output, StringComparison.Ordinal);
            Assert.Matches(@"seed\s+[\d.]+ s\s+seeded [\d,]+ rows \(seeder=\d+;profile=tiny;seed=42;scale=1;as-of=2026-01-15\)", output);
            Assert.Matches(@"CapitalCall\s+24\b", output);
            Assert.Matches(@"monthly_call_summary \(view\)\s+\d+", output);
            Assert.Contains("refreshed concurrently", output, StringComparison.Ordinal);

            // The printed connection string works and the data is there.
            var connectionString = Line(output, "Connection string: ");
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync(Ct);
                await using var count = new NpgsqlCommand("SELECT count(*) FROM \"CapitalCall\"", connection);
                Assert.Equal(24L, (long)(await count.ExecuteScalarAsync(Ct))!);
            }
            NpgsqlConnection.ClearAllPools();

            // So does the psql command line.
            var psql = Line(output, "psql: ");
            if (PsqlAvailable(psql))
            {
                var run = await Shell($"{psql} -Atc 'SELECT count(*) FROM \"Organization\"'");
                Assert.Equal("3", run.Trim());
            }

            // The other verbs find the running server through <data-dir>/clearway-up.json.
            Assert.True(File.Exists(Path.Combine(_dataDir, "clearway-up.json")));
            var status = await Cli.RunAsync(environment, "status");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Contains("5 applied, 0 pending.", status.StdOut, StringComparison.Ordinal);
            Assert.Contains("Using the running `clearway up`", status.StdErr, StringComparison.Ordinal);

            var postmaster = PostmasterPid();
            Cli.Signal(up.Id, "INT");
            var exit = await up.WaitForExitAsync(StopLimit, Ct);
            Assert.True(exit == 0, up.Output());
            Assert.Contains("Stopped PostgreSQL; data kept in", up.StandardOutput, StringComparison.Ordinal);
            AssertNoServerLeft(postmaster);
            Assert.False(File.Exists(Path.Combine(_dataDir, "clearway-up.json")));
        }

        await using (var again = Cli.Start(environment, args))
        {
            await again.WaitForOutputAsync(Ready, StartLimit, Ct);
            Assert.Contains("up to date (5 migrations), schema verified", again.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("skipped: already seeded identically", again.StandardOutput, StringComparison.Ordinal);
            Assert.Matches(@"CapitalCall\s+24\b", again.StandardOutput);

            var postmaster = PostmasterPid();
            Cli.Signal(again.Id, "TERM");
            Assert.True(await again.WaitForExitAsync(StopLimit, Ct) == 0, again.Output());
            AssertNoServerLeft(postmaster);
        }
    }

    [Fact]
    public async Task Up_with_a_connection_uses_that_server_prints_the_summary_and_exits()
    {
        await using var db = await ClearwayDatabase.CreateEmptyAsync();
        var run = await Cli.RunAsync("up", "--connection", db.ConnectionString, "--profile", "tiny", "--as-of", "2026-01-15");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("up to date (5 migrations)", run.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"CapitalCall\s+24\b", run.StdOut);
        Assert.Contains($"Connection string: {db.ConnectionString}", run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(Ready, run.StdOut, StringComparison.Ordinal);
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
        Assert.StartsWith($"clearway: Data directory '{_dataDir}' is not a PostgreSQL data directory created by Clearway.Testing", line, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(file, Ct));
        Assert.Single(Directory.EnumerateFileSystemEntries(_dataDir));
    }

    private int PostmasterPid() =>
        int.Parse(File.ReadLines(Path.Combine(_dataDir, "pgdata", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The postmaster is gone (or a zombie), none of its children is left, and no postgres process names this data dir.</summary>
    private void AssertNoServerLeft(int postmaster)
    {
        Assert.False(File.Exists(Path.Combine(_dataDir, "pgdata", "postmaster.pid")), "postmaster.pid is still there");
        var leftovers = new List<string>();
        foreach (var proc in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)))
        {
            try
            {
                var status = File.ReadAllLines($"/proc/{proc}/status");
                if (status.Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal)))
                    continue; // a zombie has exited; only its parent (init, for a daemon) has yet to reap it
                var cmdline = File.ReadAllText($"/proc/{proc}/cmdline").Replace('\0', ' ');
                var parent = status.First(l => l.StartsWith("PPid:", StringComparison.Ordinal))[5..].Trim();
                var isPostgres = cmdline.StartsWith("postgres", StringComparison.Ordinal) || cmdline.Split(' ')[0].EndsWith("/postgres", StringComparison.Ordinal);
                if (proc == postmaster.ToString(System.Globalization.CultureInfo.InvariantCulture) || parent == postmaster.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    || (isPostgres && cmdline.Contains(_dataDir, StringComparison.Ordinal)))
                    leftovers.Add($"{proc}: {cmdline}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // the process ended while we looked
            }
        }
        Assert.True(leftovers.Count == 0, "left running: " + string.Join("; ", leftovers));
    }

    private static string Line(string output, string prefix) =>
        output.Split('\n').Select(l => l.TrimEnd()).First(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    private static bool PsqlAvailable(string psqlLine)
    {
        var tool = psqlLine.Split(' ').First(p => p.EndsWith("psql", StringComparison.Ordinal));
        return tool.Contains('/', StringComparison.Ordinal) ? File.Exists(tool)
            : (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));
    }

    private static async Task<string> Shell(string command)
    {
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command }, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = await shell.StandardOutput.ReadToEndAsync(Ct);
        var stderr = await shell.StandardError.ReadToEndAsync(Ct);
        await shell.WaitForExitAsync(Ct);
        Assert.True(shell.ExitCode == 0, $"{command}: exit {shell.ExitCode}: {stderr}");
        return stdout;
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
