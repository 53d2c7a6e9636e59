using System.Diagnostics;
using System.Reflection;
using Clearway.Tests.Infrastructure;

namespace Clearway.Tests.Migrations;

/// <summary>What a finished Clearway.MigrationService process left behind.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    public string Output => StdOut + StdErr;

    /// <summary>Non-empty lines of stderr.</summary>
    public IReadOnlyList<string> ErrorLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalMilliseconds:0} ms{Environment.NewLine}--- stdout ---{Environment.NewLine}{StdOut}--- stderr ---{Environment.NewLine}{StdErr}";
}

/// <summary>The built worker run as a real process (<see cref="WorkerProcess"/>) in a clean environment.</summary>
public static class MigrationServiceProcess
{
    /// <summary>Variables the outer environment might carry that would change what the worker does.</summary>
    private static readonly string[] Scrubbed =
    [
        "ConnectionStrings__clearway", "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT", "CONFIRM_MIGRATION",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "Migrator__ServerWaitLimit", "Migrator__LockWaitLimit", "Migrator__PgDumpPath",
    ];

    public static string DllPath { get; } = typeof(MigrationServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ClearwayMigrationServiceDll").Value!;

    /// <summary>Starts the worker. <paramref name="environment"/> null values remove a variable.</summary>
    public static WorkerProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var clean = Scrubbed.ToDictionary(name => name, _ => (string?)null);
        foreach (var (name, value) in environment)
            clean[name] = value;
        return WorkerProcess.Start(DllPath, args, clean);
    }

    /// <summary>Runs the worker to completion (at most two minutes).</summary>
    public static async Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        await using var process = Start(environment, args);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        return new ProcessResult(exitCode, process.StandardOutput, process.StandardError, clock.Elapsed);
    }
}
