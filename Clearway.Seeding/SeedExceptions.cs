namespace Clearway.Seeding;

/// <summary>Base of the seeder's expected refusals: the message is one line meant for the operator (exit 2).</summary>
public abstract class SeedException(string message, string? hint) : Exception(message), IClearwayFailure
{
    public int ExitCode => ExitCodes.Refused;

    public string? Hint { get; } = hint;
}

/// <summary>Bad input: an unknown profile, a malformed seed, scale or date. Nothing was written.</summary>
public sealed class SeedInputException(string message) : SeedException(message, "see --help");

/// <summary>
/// The seeder refused to touch the database (not migrated, seeded with another plan, foreign rows,
/// Production). Nothing was written.
/// </summary>
public sealed class SeedRefusedException(string message, string? hint = null) : SeedException(message, hint);

/// <summary>
/// The server closed the connection (it stopped or crashed, or the session was terminated) while seeding; the
/// message says during which step. The transaction died with the connection: nothing was written.
/// </summary>
public sealed class SeedConnectionLostException(string message, Exception innerException) : Npgsql.NpgsqlException(message, innerException), IClearwayFailure
{
    public int ExitCode => ExitCodes.Failure;

    public string? Hint => "check that the server is running, then seed again";
}
