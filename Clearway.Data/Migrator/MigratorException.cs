namespace Clearway.Data.Migrator;

/// <summary>
/// A migrator run that stopped: <see cref="Exception.Message"/> is one line for the operator,
/// <see cref="Hint"/> an optional next step, <see cref="ExitCode"/> 1 (failure) or 2 (refusal/bad input).
/// </summary>
public sealed class MigratorException : Exception, IClearwayFailure
{
    public MigratorException() : this(ExitCodes.Failure, "Migration failed.") { }

    public MigratorException(string message) : this(ExitCodes.Failure, message) { }

    public MigratorException(string message, Exception innerException) : this(ExitCodes.Failure, message, null, innerException) { }

    public MigratorException(int exitCode, string message, string? hint = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
        Hint = hint;
    }

    /// <summary>1 for a failure, 2 for bad input or a refusal.</summary>
    public int ExitCode { get; }

    /// <summary>What to do about it, when known.</summary>
    public string? Hint { get; }

    /// <summary>The SQLSTATE of the PostgreSQL error behind it, when there is one.</summary>
    public string? SqlState { get; init; }

    /// <summary>The migration that failed, when the failure is one.</summary>
    public string? Migration { get; init; }

    internal static MigratorException Configuration(string message) => new(ExitCodes.Refused, message);

    internal static MigratorException Refusal(string message, string? hint = null) => new(ExitCodes.Refused, message, hint);

    internal static MigratorException Failure(string message, string? hint = null, Exception? inner = null, string? sqlState = null) =>
        new(ExitCodes.Failure, message, hint, inner) { SqlState = sqlState };
}
