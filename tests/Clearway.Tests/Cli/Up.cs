using System.Diagnostics;
using System.Globalization;
using Clearway.Tests.Infrastructure;

namespace Clearway.Tests.Cli;

/// <summary>What the <c>clearway up</c> tests share: the arguments, the limits, reading its output, and proving no server is left.</summary>
public static class Up
{
    public const string Ready = "Ready: PostgreSQL is running.";

    /// <summary>initdb, migrate and seed on a loaded 2-core machine: generous.</summary>
    public static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(3);

    public static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(60);

    /// <summary><c>up</c> with the tiny seed pinned to a date, on <paramref name="dataDir"/>, plus <paramref name="extra"/>.</summary>
    public static string[] Args(string dataDir, params string[] extra) =>
        ["up", "--profile", "tiny", "--as-of", "2026-01-15", "--data-dir", dataDir, .. extra];

    /// <summary>Starts <c>up</c> on <paramref name="dataDir"/> (also its CLEARWAY_DATA_DIR, so the other verbs find it).</summary>
    public static WorkerProcess Start(string dataDir, params string[] extra) => Cli.Start(Cli.Environment(dataDir), Args(dataDir, extra));

    /// <summary>The rest of the first stdout line starting with <paramref name="prefix"/>.</summary>
    public static string Line(string output, string prefix) =>
        output.Split('\n').Select(l => l.TrimEnd()).First(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    public static int PostmasterPid(string dataDir) =>
        int.Parse(File.ReadLines(Path.Combine(dataDir, "pgdata", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    /// <summary>Alive and not a zombie (a stopped daemon is reparented to init, which reaps it when it likes).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits for a process that is not our child (so not one we can await) to exit: its /proc entry is gone or a
    /// zombie. Bounded by <paramref name="limit"/>; throws when it still runs then.
    /// </summary>
    public static async Task WaitUntilStoppedAsync(int pid, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (IsRunning(pid))
        {
            if (clock.Elapsed > limit)
                throw new TimeoutException($"process {pid} still runs after {limit.TotalSeconds:0} s");
            await Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The postmaster is gone (or a zombie), none of its children is left, and no postgres process names this data dir.</summary>
    public static void AssertNoServerLeft(string dataDir, int postmaster)
    {
        Assert.False(File.Exists(Path.Combine(dataDir, "pgdata", "postmaster.pid")), "postmaster.pid is still there");
        var leftovers = new List<string>();
        var postmasterText = postmaster.ToString(CultureInfo.InvariantCulture);
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
                if (proc == postmasterText || parent == postmasterText || (isPostgres && cmdline.Contains(dataDir, StringComparison.Ordinal)))
                    leftovers.Add($"{proc}: {cmdline}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // the process ended while we looked
            }
        }
        Assert.True(leftovers.Count == 0, "left running: " + string.Join("; ", leftovers));
    }

    /// <summary>Runs a program to its end (bounded), optionally as another OS account via runuser; returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string? asUser, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(asUser is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asUser is not null)
        {
            foreach (var a in new[] { "-u", asUser, "--", program })
                psi.ArgumentList.Add(a);
        }
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("PGPASSWORD");
        psi.Environment.Remove("PGPASSFILE");
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
