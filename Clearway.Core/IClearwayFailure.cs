namespace Clearway;

/// <summary>
/// An expected way for Clearway's work to stop: the exception's message is one line for the operator, <see cref="Hint"/>
/// the next step when there is one, <see cref="ExitCode"/> what the host exits with. <see cref="Failures.Describe"/>
/// turns any of them into the host's exit code and its one stderr line.
/// </summary>
public interface IClearwayFailure
{
    /// <summary><see cref="ExitCodes.Failure"/> when the work failed, <see cref="ExitCodes.Refused"/> for bad input or a refusal.</summary>
    int ExitCode { get; }

    /// <summary>What to do about it, when known (without a trailing period).</summary>
    string? Hint { get; }
}
