using System.Diagnostics;
using System.Reflection;
using Clearway.Tests.Infrastructure;

namespace Clearway.Tests.Cli;

/// <summary>What a finished <c>clearway</c> process left behind.</summary>
public sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Non-empty lines of stderr.</summary>
    public IReadOnlyList<string> ErrorLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}--- stdout ---{Environment.NewLine}{StdOut}--- stderr ---{Environment.NewLine}{StdErr}";
}

/// <summary>Runs the built <c>Clearway.Cli.dll</c> as a real process (via <see cref="WorkerProcess"/>), in a clean environment.</summary>
public static class Cli
{
    public static string DllPath { get; } = typeof(Cli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ClearwayCliDll").Value!;

    /// <summary>
    /// Variables that would change what the CLI does are removed; <c>CLEARWAY_DATA_DIR</c> points at an empty directory
    /// unless the test gives one, so no test ever finds a developer's own `clearway up`.
    /// </summary>
    public static Dictionary<string, string?> Environment(string? dataDirectory = null, string? environmentName = null) => new()
    {
        ["ConnectionStrings__clearway"] = null,
        ["DOTNET_ENVIRONMENT"] = environmentName,
        ["ASPNETCORE_ENVIRONMENT"] = null,
        ["CONFIRM_MIGRATION"] = null,
        ["Migrator__ServerWaitLimit"] = null,
        ["Migrator__LockWaitLimit"] = null,
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
        ["CLEARWAY_PLAIN"] = null,
        ["CLEARWAY_DATA_DIR"] = dataDirectory ?? EmptyDataDirectory,
    };

    private static readonly string EmptyDataDirectory = Directory.CreateTempSubdirectory("clearway-cli-none-").FullName;

    public static WorkerProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        WorkerProcess.Start(DllPath, args, environment);

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(Environment(), args);

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        await using var process = Start(environment, args);
        var exit = await process.WaitForExitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        return new CliResult(exit, process.StandardOutput, process.StandardError);
    }

    /// <summary>Sends a POSIX signal (INT, TERM) to a process, as Ctrl+C or a service manager would.</summary>
    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
