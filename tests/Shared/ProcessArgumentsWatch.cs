using System.Diagnostics;
using System.Text;

namespace Clearway.Tests.Shared;

/// <summary>
/// Watches, as an unprivileged local account (<c>nobody</c>), the command line of every process on the machine, for as
/// long as it runs: what any other user of the machine can read from <c>/proc/&lt;pid&gt;/cmdline</c>. The watcher itself
/// is never told the secret (that would put it in an argument); it reports every distinct command line it sees, and
/// <see cref="StopAsync"/> looks for the secret among them.
/// </summary>
internal sealed class ProcessArgumentsWatch : IAsyncDisposable
{
    // Builtins only (mapfile reads the NUL-separated arguments), so one sweep of /proc takes milliseconds, not a fork per process.
    private const string Script = """
        declare -A seen
        while :; do
          for f in /proc/[0-9]*/cmdline; do
            mapfile -d '' parts < "$f" 2>/dev/null || continue
            line="${parts[*]}"
            if [ -n "$line" ] && [ -z "${seen[$line]+x}" ]; then seen[$line]=1; printf '%s\n' "$line"; fi
          done
        done
        """;

    private readonly Process _process;
    private readonly StringBuilder _seen = new();
    private readonly Task _reader;
    private readonly TaskCompletionSource _sawItself = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _lines;
    private int _disposed;

    private ProcessArgumentsWatch(Process process)
    {
        _process = process;
        _reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (_seen)
                {
                    _seen.AppendLine(line);
                    _lines++;
                }
                if (line.Contains("mapfile", StringComparison.Ordinal))
                    _sawItself.TrySetResult();
            }
        });
    }

    /// <summary>Starts the watcher; it has swept /proc once when this returns.</summary>
    public static async Task<ProcessArgumentsWatch> StartAsync(CancellationToken ct)
    {
        var start = new ProcessStartInfo("runuser") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-u", "nobody", "--", "bash", "-c", Script })
            start.ArgumentList.Add(argument);
        var watch = new ProcessArgumentsWatch(Process.Start(start)!);
        // Its own command line is among the first it sees: from then on it is watching.
        await watch._sawItself.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        return watch;
    }

    /// <summary>How many distinct command lines it has seen so far.</summary>
    public int Count
    {
        get
        {
            lock (_seen)
                return _lines;
        }
    }

    /// <summary>True when some command line seen so far contains <paramref name="text"/>.</summary>
    public bool Saw(string text)
    {
        lock (_seen)
            return _seen.ToString().Contains(text, StringComparison.Ordinal);
    }

    /// <summary>Stops watching; returns the command lines that contained <paramref name="secret"/> (none, if it stayed secret).</summary>
    public async Task<IReadOnlyList<string>> StopAsync(string secret)
    {
        await DisposeAsync();
        lock (_seen)
            return _seen.ToString().Split('\n').Where(l => l.Contains(secret, StringComparison.Ordinal)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        await _reader;
        _process.Dispose();
    }
}
