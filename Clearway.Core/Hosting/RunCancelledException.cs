namespace Clearway.Hosting;

/// <summary>The host was asked to stop (a signal, the dashboard's Stop) before its work finished: exit 1.</summary>
public sealed class RunCancelledException(Exception? innerException = null)
    : OperationCanceledException("stopped before the work finished; every step that had not committed was rolled back", innerException), IClearwayFailure
{
    public int ExitCode => ExitCodes.Failure;

    public string? Hint => null;
}
