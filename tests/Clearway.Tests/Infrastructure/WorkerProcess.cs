using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Clearway.Tests.Infrastructure;

/// <summary>
/// A built worker (MigrationService, Seeder) run as a real process: <c>dotnet &lt;dll&gt; args</c> with the given
/// environment (a null value removes an inherited variable), stdout and stderr captured, killed on dispose.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(string Marker, TaskCompletionSource Seen)> _waits = [];
    private bool _disposed;

    private WorkerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string StandardOutput { get { lock (_stdout) return _stdout.ToString(); } }
    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    public static WorkerProcess Start(string dllPath, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!File.Exists(dllPath))
            throw new FileNotFoundException($"Worker {dllPath} is not built.", dllPath);

        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dllPath)),
        };
        psi.ArgumentList.Add(dllPath);
        foreach (var argument in arguments)
            psi.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                psi.Environment.Remove(name);
            else
                psi.Environment[name] = value;
        }

        var process = new Process { StartInfo = psi };
        var worker = new WorkerProcess(process, Path.GetFileNameWithoutExtension(dllPath));
        process.OutputDataReceived += (_, e) => worker.OnLine(worker._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => worker.OnLine(worker._stderr, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits for exit (and the end of its output); on timeout kills it and throws with its output.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:0.#}s.{Environment.NewLine}{Output()}");
        }
        return _process.ExitCode;
    }

    /// <summary>
    /// Completes when a line of stdout or stderr contains <paramref name="marker"/>; throws with the output when the
    /// process exits first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task WaitForOutputAsync(string marker, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource seen;
        lock (_waits)
        {
            if (StandardOutput.Contains(marker, StringComparison.Ordinal) || StandardError.Contains(marker, StringComparison.Ordinal))
                return;
            seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((marker, seen));
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var exited = _process.WaitForExitAsync(cts.Token);
        try
        {
            if (await Task.WhenAny(seen.Task, exited) == seen.Task)
                return;
            await exited; // throws when the timeout passed
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} did not print '{marker}' within {timeout.TotalSeconds:0.#}s.{Environment.NewLine}{Output()}");
        }
        if (!seen.Task.IsCompleted)
            throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) without printing '{marker}'.{Environment.NewLine}{Output()}");
    }

    /// <summary>Kills the process and its children if still running.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
    }

    /// <summary>stdout then stderr, labelled, for assertion messages.</summary>
    public string Output() => $"--- {Name} stdout ---{Environment.NewLine}{StandardOutput}--- {Name} stderr ---{Environment.NewLine}{StandardError}";

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // leave it to the OS; nothing more to do
        }
        _process.Dispose();
    }

    private void OnLine(StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (_waits)
        {
            lock (buffer)
                buffer.AppendLine(line);
            foreach (var wait in _waits.Where(w => line.Contains(w.Marker, StringComparison.Ordinal)).ToList())
            {
                wait.Seen.TrySetResult();
                _waits.Remove(wait);
            }
        }
    }

    /// <summary>The dotnet host running these tests (DOTNET_HOST_PATH under dotnet test/run), else the one beside the runtime, else PATH.</summary>
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            return fromSdk;
        var beside = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return File.Exists(beside) ? beside : "dotnet";
    }
}
