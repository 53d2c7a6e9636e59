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
/// skips); an empty AppHost (no resources at all) to its dashboard, for what Aspire itself costs before any of
/// Clearway's resources; then the dbmanager's commands from the command to its result (the manager answers once the
/// database is in place; no seeder run is involved): Reseed… dev seed 7 the first time (its template is built), Reset
/// database, Reseed… dev seed 7 again (a recipe seeded before: cached), Save snapshot…, Restore snapshot…. The runs use
/// a data volume of their own, removed at the end with the snapshot in it; the developer's volume is left alone (its
/// container is recreated on their next run).
/// Arguments after the verb go to Clearway's AppHost, e.g. the locally built image and no pgAdmin where no registry answers.
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
            await BuildAsync(AppHostProject);
            await BuildAsync(EmptyAppHostProject);
            var first = await DotnetRunAsync(appHost);
            Print("dotnet run, fresh volume", first);
            var second = await DotnetRunAsync(appHost);
            Print("dotnet run, same volume", second);
            // Twice, as Clearway's: the second is compared, the first also warms what both runs read from disk.
            var emptyFirst = await EmptyRunAsync();
            var empty = await EmptyRunAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {"dotnet run, empty AppHost",-36} {empty.TotalSeconds,6:N1} s  to dashboard up (first run {emptyFirst.TotalSeconds:N1} s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {"Clearway (same volume) - empty",-36} {(second.Started - empty).TotalSeconds,6:+0.0;-0.0} s  to dashboard up ({second.Started.TotalSeconds:N1} against {empty.TotalSeconds:N1} s); " +
                $"seeder Finished {(second.Seeded - empty).TotalSeconds:+0.0;-0.0} s after the empty AppHost's dashboard"));
            var commands = await CommandsAsync(appHost);
            foreach (var (name, elapsed) in commands)
                Print(name, elapsed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"apphost: first run {first.Seeded.TotalSeconds:N1} s, second run {second.Seeded.TotalSeconds:N1} s to seeder Finished (empty AppHost {empty.TotalSeconds:N1} s to its dashboard); " +
                $"{string.Join(", ", commands.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} {c.Elapsed.TotalSeconds:N1} s")))}"));
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

    private static void Print(string name, TimeSpan command) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {name,-36} {command.TotalSeconds,6:N1} s  command to result"));

    private static void Print(string name, Run run) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {name,-36} {run.Seeded.TotalSeconds,6:N1} s  to seeder Finished (dashboard up {run.Started.TotalSeconds:N1} s, migrations Finished {run.Migrated.TotalSeconds:N1} s)"));

    /// <summary>Unmeasured: the runs below measure `dotnet run` on a built AppHost, as a developer's second command is.</summary>
    private static async Task BuildAsync(string project)
    {
        var build = await RunToExitAsync("dotnet", "build", project, "--nologo", "--verbosity", "quiet");
        if (build.ExitCode != 0)
            throw new BenchmarkFailedException($"building {Path.GetFileName(project)} failed: {build.Output}");
    }

    /// <summary>The dashboard is up: its first line, or the AppHost's own line once everything it was given has started.</summary>
    private static bool DashboardUp(string line) =>
        line.Contains("Now listening on:", StringComparison.Ordinal) || line.Contains("Distributed application started", StringComparison.Ordinal);

    /// <summary>`dotnet run` of an AppHost, every line of its output (stdout and stderr) to <paramref name="onLine"/>.</summary>
    private static Process StartDotnetRun(string project, string[] appHostArgs, Action<string> onLine)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["run", "--project", project]) info.ArgumentList.Add(a);
        if (appHostArgs.Length > 0)
        {
            info.ArgumentList.Add("--");
            foreach (var a in appHostArgs) info.ArgumentList.Add(a);
        }
        info.Environment["Logging__LogLevel__Aspire.Hosting.ApplicationModel.ResourceNotificationService"] = "Debug";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) onLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) onLine(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// `dotnet run --project bench/Clearway.Benchmarks.EmptyAppHost` (an AppHost with no resources, ports of its own) to its
    /// dashboard being up, then stopped with SIGTERM: what Aspire costs before any resource of Clearway's.
    /// </summary>
    private static async Task<TimeSpan> EmptyRunAsync()
    {
        var clock = Stopwatch.StartNew();
        var up = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tail = new Queue<string>();
        using var process = StartDotnetRun(EmptyAppHostProject, [], line =>
        {
            Remember(tail, line);
            if (DashboardUp(line)) up.TrySetResult(clock.Elapsed);
        });
        try
        {
            var exited = process.WaitForExitAsync();
            if (await Task.WhenAny(up.Task, exited).WaitAsync(Limit) == exited)
                throw new BenchmarkFailedException($"the empty AppHost exited ({process.ExitCode}) before its dashboard was up:{Environment.NewLine}{Tail(tail)}");
            return await up.Task;
        }
        catch (TimeoutException)
        {
            throw new BenchmarkFailedException($"the empty AppHost's dashboard was not up within {Limit.TotalMinutes} minutes:{Environment.NewLine}{Tail(tail)}");
        }
        finally
        {
            await Workers.StopAsync(process);
        }
    }

    /// <summary>
    /// Exactly the onboarding command, timed from its start to the state changes the AppHost logs (Aspire's
    /// ResourceNotificationService at Debug), then stopped with SIGTERM as Ctrl+C would.
    /// </summary>
    private static async Task<Run> DotnetRunAsync(string[] appHostArgs)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? started = null, migrated = null;
        var seeded = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tail = new Queue<string>();
        void OnLine(string line)
        {
            Remember(tail, line);
            if (DashboardUp(line)) started ??= clock.Elapsed; // the same moment the empty AppHost is timed to
            if (StateChange().Match(line) is not { Success: true } change) return;
            var (resource, state) = (change.Groups["resource"].Value, change.Groups["state"].Value);
            if (resource == "migrations" && state == "Finished") migrated ??= clock.Elapsed;
            if (resource == "seeder" && state == "Finished") seeded.TrySetResult(clock.Elapsed);
            if (resource is "migrations" or "seeder" && state is "FailedToStart" or "Exited")
                seeded.TrySetException(new BenchmarkFailedException($"{resource} ended {state}"));
        }
        using var process = StartDotnetRun(AppHostProject, appHostArgs, OnLine);
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
            await Workers.StopAsync(process);
        }
    }

    /// <summary>
    /// The dbmanager's commands as the dashboard runs them (ResourceCommandService), on the AppHost built in-process, each
    /// from the command to its result; in this order, so the second Reseed… finds the template the first one built.
    /// </summary>
    private static async Task<List<(string Name, TimeSpan Elapsed)>> CommandsAsync(string[] appHostArgs)
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
        // The commands are the manager's: it answers them once it is healthy (its endpoint up, its database reachable).
        await app.ResourceNotifications.WaitForResourceHealthyAsync(Manager, limit.Token);

        (string Name, string Value)[] reseed = [("profile", "dev"), ("seed", "7"), ("scale", "1"), ("asOf", "2026-01-15")];
        var snapshot = "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return
        [
            ("Reseed… dev seed 7, first time", await TimeCommandAsync(app, Manager, "reseed", limit.Token, reseed)),
            ("Reset database", await TimeCommandAsync(app, Manager, "reset-database", limit.Token)),
            ("Reseed… dev seed 7, seeded before", await TimeCommandAsync(app, Manager, "reseed", limit.Token, reseed)),
            ("Save snapshot…", await TimeCommandAsync(app, Manager, "save-snapshot", limit.Token, ("name", snapshot))),
            ("Restore snapshot…", await TimeCommandAsync(app, Manager, "restore-snapshot", limit.Token, ("name", snapshot), ("migrate", "false"))),
        ];
    }

    private static async Task<TimeSpan> TimeCommandAsync(DistributedApplication app, string resource, string command, CancellationToken ct, params (string Name, string Value)[] values)
    {
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.Commands.Any(c => c.Name == command && c.State == ResourceCommandState.Enabled), ct);
        var declared = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource)
            .Annotations.OfType<ResourceCommandAnnotation>().Single(a => a.Name == command).Arguments;
        var service = app.Services.GetRequiredService<ResourceCommandService>();
        var clock = Stopwatch.StartNew();
        var result = values.Length == 0
            ? await service.ExecuteCommandAsync(resource, command, ct)
            : await service.ExecuteCommandAsync(resource, command, new InteractionInputCollection(declared.Select(d => new InteractionInput
            {
                Name = d.Name, InputType = d.InputType, Label = d.Label, Options = d.Options, Required = d.Required, DynamicLoading = d.DynamicLoading,
                Value = values.Single(v => v.Name == d.Name).Value,
            }).ToList()), ct);
        var elapsed = clock.Elapsed;
        if (!result.Success)
            throw new BenchmarkFailedException($"{command} on {resource} failed: {result.Message}");
        return elapsed;
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

    private static string EmptyAppHostProject => Path.Combine(Workers.RepositoryRoot, "bench", "Clearway.Benchmarks.EmptyAppHost");

    /// <summary>The resource the database commands are on (Clearway.AppHost's ResourceNames.Manager).</summary>
    private const string Manager = "dbmanager";

    /// <summary>The last lines of a process's output, for the message when it fails.</summary>
    private static void Remember(Queue<string> tail, string line)
    {
        lock (tail)
        {
            tail.Enqueue(line);
            if (tail.Count > 20) tail.Dequeue();
        }
    }

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
}
