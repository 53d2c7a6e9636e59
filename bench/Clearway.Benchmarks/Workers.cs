using System.Diagnostics;
using System.Globalization;

namespace Clearway.Benchmarks;

/// <summary>The built workers (same configuration as this benchmark), run as processes the way Aspire and CI run them.</summary>
internal static class Workers
{
    public static string SeederDll => Dll("Clearway.Seeder");

    public static string MigrationServiceDll => Dll("Clearway.MigrationService");

    /// <summary>`clearway` (its assembly is Clearway.Cli; the tool command name is only the packaged tool's).</summary>
    public static string CliDll => Dll("Clearway.Cli");

    public sealed record Run(int ExitCode, TimeSpan Elapsed, long PeakBytes, string StandardError);

    /// <summary>Runs a worker to exit; samples its peak resident set from /proc every 50 ms (VmHWM only grows).</summary>
    public static async Task<Run> RunAsync(string dll, IEnumerable<string> arguments, string connectionString, Action<string>? onLine = null)
    {
        var info = StartInfo(dll, arguments, connectionString);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) onLine?.Invoke(line); };
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peakKb = 0;
        // The clock stops at the exit itself, not at the next sample: runs of a second or two are timed here too.
        var exited = process.WaitForExitAsync();
        while (!exited.IsCompleted)
        {
            peakKb = Math.Max(peakKb, ReadVmHwmKb(process.Id));
            await Task.WhenAny(exited, Task.Delay(50));
        }
        await exited;
        var elapsed = clock.Elapsed;
        return new Run(process.ExitCode, elapsed, peakKb * 1024, errors.ToString());
    }

    /// <summary>
    /// Starts a worker that runs until it is stopped (e.g. `clearway test-server`); every line of its stdout and stderr
    /// goes to <paramref name="onLine"/>. Stop it with <see cref="StopAsync"/>.
    /// </summary>
    public static Process Start(string dll, IEnumerable<string> arguments, string connectionString, Action<string> onLine)
    {
        var process = Process.Start(StartInfo(dll, arguments, connectionString))!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) onLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) onLine(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// SIGTERM to <paramref name="process"/> (one this benchmark started, by its id, never by name), as Ctrl+C or a
    /// service manager would stop it, then a bounded wait; killed only if it does not exit. Returns its exit code.
    /// </summary>
    public static async Task<int> StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill")
                   {
                       ArgumentList = { "-s", "TERM", process.Id.ToString(CultureInfo.InvariantCulture) },
                       RedirectStandardError = true,
                       UseShellExecute = false,
                   })!)
            {
                await kill.WaitForExitAsync();
            }
            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        return process.ExitCode;
    }

    /// <summary>The checkout this benchmark was built from (the folder holding Clearway.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static ProcessStartInfo StartInfo(string dll, IEnumerable<string> arguments, string connectionString)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ConnectionStrings__clearway"] = connectionString;
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        // A web worker (test-server) listens where ASPNETCORE_URLS says when it is set: it picks a free port of its own instead.
        info.Environment.Remove("ASPNETCORE_URLS");
        return info;
    }

    private static string FindRepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Clearway.sln"))) root = root.Parent;
        return root?.FullName ?? throw new InvalidOperationException("Clearway.sln not found");
    }

    private static string Dll(string project)
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var dll = Path.Combine(RepositoryRoot, project, "bin", baseDir.Parent!.Name, baseDir.Name, project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build {project} first", dll);
    }

    private static long ReadVmHwmKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }
}
