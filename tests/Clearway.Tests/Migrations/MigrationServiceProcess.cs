using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Clearway.Tests.Migrations;

/// <summary>What a finished Clearway.MigrationService process left behind.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    public string Output => StdOut + StdErr;

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalMilliseconds:0} ms{Environment.NewLine}--- stdout ---{Environment.NewLine}{StdOut}--- stderr ---{Environment.NewLine}{StdErr}";
}

/// <summary>Runs the built worker as a real process: <c>dotnet Clearway.MigrationService.dll ...</c>.</summary>
public sealed class MigrationServiceProcess : IDisposable
{
    /// <summary>Variables the outer environment might carry that would change what the worker does.</summary>
    private static readonly string[] Scrubbed =
    [
        "ConnectionStrings__clearway", "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT", "CONFIRM_MIGRATION",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "Migrator__ServerWaitLimit", "Migrator__LockWaitLimit", "Migrator__PgDumpPath",
        "CLEARWAY_MIGRATOR_TEST_PAUSE_BEFORE_COMMIT",
    ];

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Marker, TaskCompletionSource Seen)> _waits = [];

    private MigrationServiceProcess(Process process) => _process = process;

    public static string DllPath { get; } = FindDll();

    /// <summary>Starts the worker. <paramref name="environment"/> null values remove a variable.</summary>
    public static MigrationServiceProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in Scrubbed)
            start.Environment.Remove(name);
        foreach (var (name, value) in environment)
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start };
        var runner = new MigrationServiceProcess(process);
        process.OutputDataReceived += (_, e) => runner.OnLine(runner._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => runner.OnLine(runner._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    /// <summary>Runs the worker to completion (at most two minutes).</summary>
    public static async Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Start(environment, args);
        return await process.WaitAsync(TimeSpan.FromMinutes(2));
    }

    /// <summary>Completes when a stdout or stderr line contains <paramref name="marker"/>.</summary>
    public Task WaitForLineAsync(string marker)
    {
        lock (_waits)
        {
            if (_stdout.ToString().Contains(marker, StringComparison.Ordinal) || _stderr.ToString().Contains(marker, StringComparison.Ordinal))
                return Task.CompletedTask;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((marker, seen));
            return seen.Task;
        }
    }

    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<ProcessResult> WaitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Clearway.MigrationService did not finish within {limit}: {Snapshot(-1)}");
        }
        _process.WaitForExit(); // drains the redirected streams
        return Snapshot(_process.ExitCode);
    }

    private ProcessResult Snapshot(int exitCode)
    {
        lock (_waits)
            return new ProcessResult(exitCode, _stdout.ToString(), _stderr.ToString(), _clock.Elapsed);
    }

    private void OnLine(StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (_waits)
        {
            buffer.AppendLine(line);
            foreach (var wait in _waits.Where(w => line.Contains(w.Marker, StringComparison.Ordinal)).ToList())
            {
                wait.Seen.TrySetResult();
                _waits.Remove(wait);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            Kill();
        _process.Dispose();
    }

    private static string FindDll()
    {
        var path = typeof(MigrationServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ClearwayMigrationServiceDll").Value!;
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build Clearway.MigrationService first: {path} not found.");
    }
}
