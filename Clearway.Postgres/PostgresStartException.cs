namespace Clearway.Postgres;

/// <summary>
/// Why a local server could not be prepared or started: a <see cref="PostgresStartRefusedException"/> (bad input,
/// nothing was started or changed) or a <see cref="PostgresStartFailedException"/> (the work failed). The message is
/// one line naming the problem and the fix.
/// </summary>
public abstract class PostgresStartException : Exception, IClearwayFailure
{
    private protected PostgresStartException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public abstract int ExitCode { get; }

    public string? Hint => null;
}

/// <summary>Bad input, refused before anything was started; the directory is as it was (a host exits 2).</summary>
public sealed class PostgresStartRefusedException : PostgresStartException
{
    public PostgresStartRefusedException(PostgresRefusal reason, string message)
        : base(message, innerException: null) => Reason = reason;

    public PostgresRefusal Reason { get; }

    public override int ExitCode => ExitCodes.Refused;
}

/// <summary>initdb or the server failed; the reason the server gave is in the message (a host exits 1).</summary>
public sealed class PostgresStartFailedException : PostgresStartException
{
    public PostgresStartFailedException(string message, string? logFile = null, Exception? innerException = null)
        : base(message, innerException) => LogFile = logFile;

    public override int ExitCode => ExitCodes.Failure;

    /// <summary>The server log with the whole story, when there is one.</summary>
    public string? LogFile { get; }
}

/// <summary>What a <see cref="PostgresStartRefusedException"/> refused.</summary>
public enum PostgresRefusal
{
    /// <summary>A value was given but empty.</summary>
    EmptyValue,
    PortOutOfRange,
    PortInUse,
    /// <summary>Below <c>net.ipv4.ip_unprivileged_port_start</c>: only root may bind it, and the server never runs as root.</summary>
    PrivilegedPort,
    DirectoryIsAFile,
    /// <summary>Neither empty nor a directory Clearway created.</summary>
    DirectoryNotOurs,
    /// <summary>As root, the server's <c>postgres</c> account cannot enter a parent of the directory.</summary>
    DirectoryNotReachable,
    /// <summary>Another process owns the directory (holds its lock) right now.</summary>
    DirectoryInUse,
    /// <summary>The Unix socket path would be longer than the 107 bytes the OS allows.</summary>
    SocketPathTooLong,
}
