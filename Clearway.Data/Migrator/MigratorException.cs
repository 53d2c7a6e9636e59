namespace Clearway.Data.Migrator;

/// <summary>Exit codes every Clearway host uses for migrator runs (Aspire's WaitForCompletion reads them).</summary>
public static class MigratorExitCodes
{
    /// <summary>Done (or nothing to do).</summary>
    public const int Success = 0;

    /// <summary>A failure: server unreachable, authentication, a migration or the verification failed.</summary>
    public const int Failure = 1;

    /// <summary>Bad configuration or input, or a refusal; nothing was changed.</summary>
    public const int Refused = 2;
}

/// <summary>
/// A migrator run that stopped: <see cref="Exception.Message"/> is one line for the operator,
/// <see cref="Hint"/> an optional next step, <see cref="ExitCode"/> 1 (failure) or 2 (refusal/bad input).
/// </summary>
public sealed class MigratorException : Exception
{
    public MigratorException() : this(MigratorExitCodes.Failure, "Migration failed.") { }

    public MigratorException(string message) : this(MigratorExitCodes.Failure, message) { }

    public MigratorException(string message, Exception innerException) : this(MigratorExitCodes.Failure, message, null, innerException) { }

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

    internal static MigratorException Configuration(string message) => new(MigratorExitCodes.Refused, message);

    internal static MigratorException Refusal(string message, string? hint = null) => new(MigratorExitCodes.Refused, message, hint);

    internal static MigratorException Failure(string message, string? hint = null, Exception? inner = null, string? sqlState = null) =>
        new(MigratorExitCodes.Failure, message, hint, inner) { SqlState = sqlState };
}
