using System.Diagnostics;
using System.Text;

namespace Clearway.Tests.Seeding;

/// <summary>The Clearway.Seeder worker started as a real process (dotnet Clearway.Seeder.dll), as Aspire and CI start it.</summary>
internal sealed class SeederProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    private SeederProcess(Process process) => _process = process;

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Path of the worker's build output next to this test build (same configuration).</summary>
    public static string WorkerDll
    {
        get
        {
            var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
            var framework = baseDir.Name;                // net10.0
            var configuration = baseDir.Parent!.Name;   // Debug or Release
            var root = baseDir;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Clearway.sln"))) root = root.Parent;
            if (root is null) throw new InvalidOperationException("Clearway.sln not found above " + AppContext.BaseDirectory);
            var dll = Path.Combine(root.FullName, "Clearway.Seeder", "bin", configuration, framework, "Clearway.Seeder.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build Clearway.Seeder first", dll);
        }
    }

    public static SeederProcess Start(string? connectionString, string environment, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(WorkerDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_ENVIRONMENT"] = environment;
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (connectionString is null) info.Environment.Remove("ConnectionStrings__clearway");
        else info.Environment["ConnectionStrings__clearway"] = connectionString;

        var process = new Process { StartInfo = info };
        var seeder = new SeederProcess(process);
        process.OutputDataReceived += (_, e) => seeder.OnLine(seeder._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => seeder.OnLine(seeder._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return seeder;
    }

    private void OnLine(StringBuilder sink, string? line)
    {
        if (line is null) return;
        lock (sink) sink.AppendLine(line);
        lock (_waiters)
            foreach (var (text, seen) in _waiters)
                if (line.Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
    }

    /// <summary>Completes when a line containing <paramref name="text"/> is printed (the deterministic progress marker).</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters) _waiters.Add((text, seen));
        if (Stdout.Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (done != seen.Task)
            throw new TimeoutException($"'{text}' not printed (exited: {_process.HasExited}).\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drain redirected output
        return _process.ExitCode;
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string? connectionString, string environment, params string[] args)
    {
        using var p = Start(connectionString, environment, args);
        var code = await p.WaitForExitAsync(TimeSpan.FromMinutes(3));
        return (code, p.Stdout, p.Stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        _process.Dispose();
    }
}
