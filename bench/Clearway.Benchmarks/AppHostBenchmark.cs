using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Clearway.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clearway.Benchmarks;

/// <summary>
/// `apphost`: where a developer waits on the dashboard. `dotnet run --project Clearway.AppHost` to the seeder's
/// Finished state, first on a fresh data volume, then again on the same one (migrations apply nothing, the seeder
/// skips); then the Reseed… (dev, another seed) and Reset database commands, from the command to its result (both
/// return when the seeder run they started has Finished). The runs use a data volume of their own, removed at the end;
/// the developer's volume is left alone (its container is recreated on their next run).
/// Arguments after the verb go to the AppHost, e.g. the locally built image and no pgAdmin where no registry answers.
/// </summary>
internal static partial class AppHostBenchmark
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) || !a.Contains('=', StringComparison.Ordinal)) is { } bad)
        {
            Console.Error.WriteLine($"apphost: '{bad}' is not an AppHost setting: pass settings as --Section:Key=value, e.g. --Clearway:Postgres:PgAdmin=true");
            return ExitCodes.Refused;
        }
        if (await DockerAsync("info", "--format", "{{.ServerVersion}}") is not { ExitCode: 0 })
        {
            Console.Error.WriteLine("apphost: no container engine answers `docker info`: start one (e.g. sudo dockerd), or run the AppHost in local mode by hand.");
            return ExitCodes.Refused;
        }

        var volume = "clearway-bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        string[] appHost = [$"--Clearway:Postgres:DataVolume={volume}", .. args];
        Console.WriteLine($"Clearway AppHost benchmark: {Environment.ProcessorCount} cores, data volume {volume} (removed at the end)");
        try
        {
            await BuildAppHostAsync();
            var first = await DotnetRunAsync(appHost);
            Print("dotnet run, fresh volume", first);
            var second = await DotnetRunAsync(appHost);
            Print("dotnet run, same volume", second);
            var (reseed, reset) = await CommandsAsync(appHost);
            Print("Reseed… (dev, seed 7)", reseed);
            Print("Reset database", reset);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"apphost: first run {first.Seeded.TotalSeconds:N1} s, second run {second.Seeded.TotalSeconds:N1} s to seeder Finished; reseed dev {reseed.Result.TotalSeconds:N1} s, reset {reset.Result.TotalSeconds:N1} s"));
            return ExitCodes.Success;
        }
        catch (BenchmarkFailedException e)
        {
            Console.Error.WriteLine($"apphost: {e.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            await RemoveVolumeAsync(volume);
        }
    }

    private sealed record Run(TimeSpan Started, TimeSpan Migrated, TimeSpan Seeded);

    private static void Print(string name, CommandTime command) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {name,-28} {command.Result.TotalSeconds,6:N1} s  command to result (the seeder run it started exited at {command.SeederExited.TotalSeconds:N1} s)"));

    private static void Print(string name, Run run) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {name,-28} {run.Seeded.TotalSeconds,6:N1} s  to seeder Finished (dashboard up {run.Started.TotalSeconds:N1} s, migrations Finished {run.Migrated.TotalSeconds:N1} s)"));

    /// <summary>Unmeasured: the runs below measure `dotnet run` on a built AppHost, as a developer's second command is.</summary>
    private static async Task BuildAppHostAsync()
    {
        var build = await RunToExitAsync("dotnet", "build", AppHostProject, "--nologo", "--verbosity", "quiet");
        if (build.ExitCode != 0)
            throw new BenchmarkFailedException($"building the AppHost failed: {build.Output}");
    }

    /// <summary>
    /// Exactly the onboarding command, timed from its start to the state changes the AppHost logs (Aspire's
    /// ResourceNotificationService at Debug), then stopped with SIGTERM as Ctrl+C would.
    /// </summary>
    private static async Task<Run> DotnetRunAsync(string[] appHostArgs)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["run", "--project", AppHostProject, "--", .. appHostArgs]) info.ArgumentList.Add(a);
        info.Environment["Logging__LogLevel__Aspire.Hosting.ApplicationModel.ResourceNotificationService"] = "Debug";

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        TimeSpan? started = null, migrated = null;
        var seeded = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tail = new Queue<string>();
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (tail) { tail.Enqueue(line); if (tail.Count > 20) tail.Dequeue(); }
            if (line.Contains("Now listening on:", StringComparison.Ordinal)) started ??= clock.Elapsed; // the dashboard's first line
            if (StateChange().Match(line) is not { Success: true } change) return;
            var (resource, state) = (change.Groups["resource"].Value, change.Groups["state"].Value);
            if (resource == "migrations" && state == "Finished") migrated ??= clock.Elapsed;
            if (resource == "seeder" && state == "Finished") seeded.TrySetResult(clock.Elapsed);
            if (resource is "migrations" or "seeder" && state is "FailedToStart" or "Exited")
                seeded.TrySetException(new BenchmarkFailedException($"{resource} ended {state}"));
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync();
            if (await Task.WhenAny(seeded.Task, exited).WaitAsync(Limit) == exited)
                throw new BenchmarkFailedException($"the AppHost exited ({process.ExitCode}) before the seeder finished:{Environment.NewLine}{Tail(tail)}");
            return new Run(started ?? TimeSpan.Zero, migrated ?? TimeSpan.Zero, await seeded.Task);
        }
        catch (TimeoutException)
        {
            throw new BenchmarkFailedException($"the seeder did not finish within {Limit.TotalMinutes} minutes:{Environment.NewLine}{Tail(tail)}");
        }
        finally
        {
            await StopAsync(process);
        }
    }

    /// <summary>The two commands as the dashboard runs them (ResourceCommandService), on the AppHost built in-process.</summary>
    /// <summary>From the command to its result, and to the exit of the seeder run it started (DCP's stop time stamp).</summary>
    private sealed record CommandTime(TimeSpan Result, TimeSpan SeederExited);

    private static async Task<(CommandTime Reseed, CommandTime Reset)> CommandsAsync(string[] appHostArgs)
    {
        using var limit = new CancellationTokenSource(Limit);
        // With the dashboard, as a developer has it: without one, every worker's last telemetry export retries against
        // a port nobody listens on until the exporter's 10 s timeout, and each run ends 10 s late.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Clearway_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true }, appHostArgs, limit.Token);
        // The benchmark's table, not every resource's console log.
        builder.Services.AddLogging(logging => logging.AddFilter("Aspire.Hosting", LogLevel.Warning).AddFilter("Clearway.AppHost.Resources", LogLevel.None));
        await using var app = await builder.BuildAsync(limit.Token);
        await app.StartAsync(limit.Token);
        await app.ResourceNotifications.WaitForResourceAsync("seeder", KnownResourceStates.Finished, limit.Token);

        var reseed = await TimeCommandAsync(app, "seeder", "reseed", limit.Token, ("profile", "dev"), ("seed", "7"), ("scale", "1"), ("asOf", "2026-01-15"));
        var reset = await TimeCommandAsync(app, "clearway", "reset-database", limit.Token);
        return (reseed, reset);
    }

    private static async Task<CommandTime> TimeCommandAsync(DistributedApplication app, string resource, string command, CancellationToken ct, params (string Name, string Value)[] values)
    {
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.Commands.Any(c => c.Name == command && c.State == ResourceCommandState.Enabled), ct);
        var declared = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource)
            .Annotations.OfType<ResourceCommandAnnotation>().Single(a => a.Name == command).Arguments;
        var service = app.Services.GetRequiredService<ResourceCommandService>();
        var startedAt = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var result = values.Length == 0
            ? await service.ExecuteCommandAsync(resource, command, ct)
            : await service.ExecuteCommandAsync(resource, command, new InteractionInputCollection(declared.Select(d => new InteractionInput
            {
                Name = d.Name, InputType = d.InputType, Label = d.Label, Options = d.Options, Required = d.Required,
                Value = values.Single(v => v.Name == d.Name).Value,
            }).ToList()), ct);
        var elapsed = clock.Elapsed;
        if (!result.Success)
            throw new BenchmarkFailedException($"{command} on {resource} failed: {result.Message}");
        // Both commands end with a seeder run.
        var exited = app.ResourceNotifications.TryGetCurrentState("seeder", out var seeder) && seeder.Snapshot.StopTimeStamp is { } stop
            ? stop.ToUniversalTime() - startedAt
            : elapsed;
        return new CommandTime(elapsed, exited);
    }

    /// <summary>SIGTERM (the process is ours), then a bounded wait; `dotnet run` passes it on to the AppHost, which stops DCP.</summary>
    private static async Task StopAsync(Process process)
    {
        if (process.HasExited) return;
        await RunToExitAsync("kill", "-s", "TERM", process.Id.ToString(CultureInfo.InvariantCulture));
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The runs' persistent container mounts the volume: it goes too (the developer's next run recreates it on theirs).</summary>
    private static async Task RemoveVolumeAsync(string volume)
    {
        var users = await DockerAsync("ps", "--all", "--quiet", "--filter", $"volume={volume}");
        foreach (var id in (users?.Output ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            await DockerAsync("rm", "--force", id);
        await DockerAsync("volume", "rm", "--force", volume);
    }

    private static string AppHostProject => Path.Combine(Workers.RepositoryRoot, "Clearway.AppHost");

    private static string Tail(Queue<string> tail)
    {
        lock (tail) return string.Join(Environment.NewLine, tail);
    }

    private static async Task<(int ExitCode, string Output)?> DockerAsync(params string[] args)
    {
        try
        {
            return await RunToExitAsync("docker", args);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no docker client at all
        }
    }

    private static async Task<(int ExitCode, string Output)> RunToExitAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output) + (await error));
    }

    // e.g. "Resource seeder/seeder-yzzeamhx changed state: Running -> Finished"
    [GeneratedRegex(@"Resource (?<resource>[\w-]+)/\S+ changed state: (?:.+ -> )?(?<state>\w+)$")]
    private static partial Regex StateChange();

    private sealed class BenchmarkFailedException(string message) : Exception(message);
}
