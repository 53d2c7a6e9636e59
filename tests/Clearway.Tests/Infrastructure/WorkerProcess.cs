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
        process.OutputDataReceived += (_, e) => Append(worker._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(worker._stderr, e.Data);
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

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (buffer)
            buffer.AppendLine(line);
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
