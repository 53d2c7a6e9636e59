namespace Clearway.Cli;

/// <summary>A stop decided by the CLI itself: one line for stderr and an exit code (1 failure, 2 bad input or refusal).</summary>
internal sealed class CliException(int exitCode, string message, string? hint = null) : Exception(message), IClearwayFailure
{
    public int ExitCode { get; } = exitCode;

    public string? Hint { get; } = hint;

    public static CliException Refusal(string message, string? hint = null) => new(ExitCodes.Refused, message, hint);

    public static CliException Failure(string message, string? hint = null) => new(ExitCodes.Failure, message, hint);
}
