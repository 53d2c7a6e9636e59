using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Clearway.Tests.Cli;

/// <summary>
/// <c>up</c> only ever touches what it started (issue 12, item 2), and one data directory has one owner at a time
/// (item 3): a stale <c>postmaster.pid</c> naming someone else's process is never acted on, and a second <c>up</c> on
/// a directory in use exits 2 at once, naming the first.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UpOwnershipTests : IDisposable
{
    private readonly List<string> _directories = [];
    private readonly List<Process> _victims = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failed_start_leaves_alive_an_unrelated_process_that_a_stale_postmaster_pid_names()
    {
        var dataDir = NewDirectory();
        await StartAndStopAsync(dataDir);
        // After a reboot the pid in a stale postmaster.pid may belong to anything; this one even calls itself postgres.
        var victim = StartVictim();
        await WriteStalePidFileAsync(dataDir, victim.Id);
        // And this start fails, so that whatever cleans up after a failed start runs.
        await File.AppendAllTextAsync(Path.Combine(dataDir, "pgdata", "postgresql.auto.conf"), "shared_buffers = 'not a size'\n", Ct);

        var run = await Cli.RunAsync(Cli.Environment(dataDir), Up.Args(dataDir));

        Assert.True(run.ExitCode == 1, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("shared_buffers", line, StringComparison.Ordinal);
        Assert.False(victim.HasExited, $"the unrelated process {victim.Id} named in the stale postmaster.pid was killed: {run}");
    }

    [Fact]
    public async Task A_failed_start_does_not_stop_another_clusters_postmaster_that_a_stale_postmaster_pid_names()
    {
        var dataDir = NewDirectory();
        await StartAndStopAsync(dataDir);
        var otherDir = NewDirectory();
        await using var other = Up.Start(otherDir);
        await other.WaitForOutputAsync(Up.Ready, Up.StartLimit, Ct);
        var otherPostmaster = Up.PostmasterPid(otherDir);
        await WriteStalePidFileAsync(dataDir, otherPostmaster);

        var run = await Cli.RunAsync(Cli.Environment(dataDir), Up.Args(dataDir));

        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Contains("postmaster.pid", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.True(Up.IsRunning(otherPostmaster), $"the other cluster's postmaster {otherPostmaster} was stopped: {run}");
        await using (var connection = new NpgsqlConnection(Up.Line(other.StandardOutput, "Connection string: ")))
        {
            await connection.OpenAsync(Ct);
        }
        NpgsqlConnection.ClearAllPools();
        Assert.False(other.HasExited, other.Output());
        Cli.Signal(other.Id, "TERM");
        Assert.True(await other.WaitForExitAsync(Up.StopLimit, Ct) == 0, other.Output());
    }

    [Fact]
    public async Task Of_two_ups_started_at_once_on_one_directory_one_exits_2_naming_the_other_which_carries_on()
    {
        var dataDir = NewDirectory();
        await using var a = Up.Start(dataDir);
        await using var b = Up.Start(dataDir);

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var aExit = a.WaitForExitAsync(Up.StartLimit, stopWaiting.Token);
        var bExit = b.WaitForExitAsync(Up.StartLimit, stopWaiting.Token);
        var firstExit = await Task.WhenAny(aExit, bExit);
        await stopWaiting.CancelAsync();
        var (loser, winner) = firstExit == aExit ? (a, b) : (b, a);

        Assert.True(loser.ExitCode == 2, loser.Output());
        var line = Assert.Single(loser.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains($"pid {winner.Id.ToString(CultureInfo.InvariantCulture)}", line, StringComparison.Ordinal);
        Assert.Contains(dataDir, line, StringComparison.Ordinal);

        // The first goes on undisturbed: ready, fully seeded, and it stops cleanly.
        await winner.WaitForOutputAsync(Up.Ready, Up.StartLimit, Ct);
        Assert.Matches(@"seed\s+[\d.]+ s\s+seeded [\d,]+ rows", winner.StandardOutput);
        await using (var connection = new NpgsqlConnection(Up.Line(winner.StandardOutput, "Connection string: ")))
        {
            await connection.OpenAsync(Ct);
            await using var count = new NpgsqlCommand("SELECT count(*) FROM \"CapitalCall\"", connection);
            Assert.Equal(24L, (long)(await count.ExecuteScalarAsync(Ct))!);
        }
        NpgsqlConnection.ClearAllPools();
        var postmaster = Up.PostmasterPid(dataDir);
        Cli.Signal(winner.Id, "TERM");
        Assert.True(await winner.WaitForExitAsync(Up.StopLimit, Ct) == 0, winner.Output());
        Up.AssertNoServerLeft(dataDir, postmaster);
    }

    private static async Task StartAndStopAsync(string dataDir)
    {
        await using var up = Up.Start(dataDir);
        await up.WaitForOutputAsync(Up.Ready, Up.StartLimit, Ct);
        Cli.Signal(up.Id, "TERM");
        Assert.True(await up.WaitForExitAsync(Up.StopLimit, Ct) == 0, up.Output());
    }

    /// <summary>postmaster.pid as a server that died without removing it left it, naming <paramref name="pid"/>.</summary>
    private static Task WriteStalePidFileAsync(string dataDir, int pid)
    {
        var pgdata = Path.Combine(dataDir, "pgdata");
        var started = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        return File.WriteAllTextAsync(Path.Combine(pgdata, "postmaster.pid"),
            string.Join('\n', pid.ToString(CultureInfo.InvariantCulture), pgdata, started.ToString(CultureInfo.InvariantCulture), "5432", Path.Combine(dataDir, "sock"), "127.0.0.1", "  5432001         0", "ready   ", ""), Ct);
    }

    /// <summary>A process of the test's own that has nothing to do with PostgreSQL but is called <c>postgres</c>: a copy of sleep.</summary>
    private Process StartVictim()
    {
        var dir = NewDirectory();
        Directory.CreateDirectory(dir);
        var program = Path.Combine(dir, "postgres");
        File.Copy(File.Exists("/usr/bin/sleep") ? "/usr/bin/sleep" : "/bin/sleep", program);
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var victim = Process.Start(new ProcessStartInfo(program, "600") { UseShellExecute = false })!;
        _victims.Add(victim);
        return victim;
    }

    private string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "clearway-cli-own-" + Guid.NewGuid().ToString("N")[..8]);
        _directories.Add(dir);
        return dir;
    }

    public void Dispose()
    {
        foreach (var victim in _victims)
        {
            try
            {
                victim.Kill();
                victim.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            victim.Dispose();
        }
        foreach (var dir in _directories)
        {
            try
            {
                if (Directory.Exists(dir))
                    Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // best effort
            }
        }
    }
}
