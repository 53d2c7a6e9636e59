namespace Clearway.Seeding;

/// <summary>Base of the seeder's expected failures: the message is one line meant for the operator.</summary>
public abstract class SeedException(string message) : Exception(message);

/// <summary>Bad input: an unknown profile, a malformed seed, scale or date. Nothing was written.</summary>
public sealed class SeedInputException(string message) : SeedException(message);

/// <summary>
/// The seeder refused to touch the database (not migrated, seeded with another plan, foreign rows,
/// Production). Nothing was written.
/// </summary>
public sealed class SeedRefusedException(string message) : SeedException(message);
