using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Hosting;

namespace Clearway.Hosting;

/// <summary>
/// How a run-to-completion worker's one piece of work ended. The worker reports it once; that stops the host, and
/// <see cref="RunToCompletionExtensions.RunToCompletionAsync"/> turns it into the process's exit code.
/// </summary>
public sealed class RunOutcome(IHostApplicationLifetime lifetime)
{
    private ExceptionDispatchInfo? _failure;
    private int _reported;

    /// <summary>True once the work has ended, either way.</summary>
    public bool IsReported => Volatile.Read(ref _reported) != 0;

    /// <summary>The work is done: exit 0.</summary>
    public void Succeeded() => Report(null);

    /// <summary>The work stopped on <paramref name="exception"/>: the host exits with its code and line (<see cref="Failures"/>).</summary>
    public void Failed(Exception exception) => Report(ExceptionDispatchInfo.Capture(exception));

    /// <summary>Rethrows what stopped the work, if anything did.</summary>
    internal void ThrowIfFailed() => _failure?.Throw();

    private void Report(ExceptionDispatchInfo? failure)
    {
        if (Interlocked.Exchange(ref _reported, 1) != 0)
            return;
        _failure = failure;
        lifetime.StopApplication();
    }
}
