namespace Clearway.States;

/// <summary>A state operation refused or failed with a reason for the operator (one line) and, when known, the fix.</summary>
public sealed class StateException(string message, string? hint = null, int exitCode = ExitCodes.Refused) : Exception(message), IClearwayFailure
{
    public int ExitCode { get; } = exitCode;

    public string? Hint { get; } = hint;
}
