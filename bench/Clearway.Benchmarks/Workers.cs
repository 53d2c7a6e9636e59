using System.Diagnostics;
using System.Globalization;

namespace Clearway.Benchmarks;

/// <summary>The built workers (same configuration as this benchmark), run as processes the way Aspire and CI run them.</summary>
internal static class Workers
{
    public static string SeederDll => Dll("Clearway.Seeder");

    public static string MigrationServiceDll => Dll("Clearway.MigrationService");

    public sealed record Run(int ExitCode, TimeSpan Elapsed, long PeakBytes, string StandardError);

    /// <summary>Runs a worker to exit; samples its peak resident set from /proc every 50 ms (VmHWM only grows).</summary>
    public static async Task<Run> RunAsync(string dll, IEnumerable<string> arguments, string connectionString, Action<string>? onLine = null)
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

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) onLine?.Invoke(line); };
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peakKb = 0;
        while (!process.HasExited)
        {
            peakKb = Math.Max(peakKb, ReadVmHwmKb(process.Id));
            await Task.Delay(50);
        }
        await process.WaitForExitAsync();
        return new Run(process.ExitCode, clock.Elapsed, peakKb * 1024, errors.ToString());
    }

    /// <summary>The checkout this benchmark was built from (the folder holding Clearway.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

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
