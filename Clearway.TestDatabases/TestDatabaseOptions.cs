namespace Clearway.TestDatabases;

/// <summary>The test-database service's settings (section <c>Clearway:TestDatabases</c>).</summary>
public sealed class TestDatabaseOptions
{
    public const string Section = "Clearway:TestDatabases";

    /// <summary>
    /// The secret first segment of every path: clients get <c>http://127.0.0.1:PORT/&lt;token&gt;/</c> as their base URL.
    /// Empty: one is made at start (and printed by the host).
    /// </summary>
    public string? Token { get; set; }

    /// <summary>A database handed out and neither returned nor unlocked within this is reclaimed (dropped and made again).</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Databases kept ready per template.</summary>
    public int InitialPoolSize { get; set; } = 2;

    /// <summary>Databases per template at most, handed out or not.</summary>
    public int MaxPoolSize { get; set; } = 8;

    /// <summary>How long a request for a database waits for its template to be finalized.</summary>
    public TimeSpan FinalizeWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a request for a database waits for one to be ready (503 after that).</summary>
    public TimeSpan ReadyWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The role the databases and the credentials handed out belong to: never a superuser.</summary>
    public string Role { get; set; } = "clearway_testdbs";

    /// <summary>One line naming the first bad value, or null.</summary>
    public string? Problem() =>
        Token is { } token && !System.Text.RegularExpressions.Regex.IsMatch(token, "^[A-Za-z0-9_-]{16,}$")
            ? $"{Section}:Token must be at least 16 letters, digits, '-' or '_' (it is a secret path segment), or left out for a generated one"
        : LeaseTime < TimeSpan.FromSeconds(1) ? $"{Section}:LeaseTime must be at least 1 second (got {LeaseTime})"
        : InitialPoolSize < 0 ? $"{Section}:InitialPoolSize must not be negative (got {InitialPoolSize})"
        : MaxPoolSize < Math.Max(1, InitialPoolSize) ? $"{Section}:MaxPoolSize must be at least 1 and at least InitialPoolSize (got {MaxPoolSize})"
        : FinalizeWait <= TimeSpan.Zero || ReadyWait <= TimeSpan.Zero ? $"{Section}:FinalizeWait and ReadyWait must be positive"
        : string.IsNullOrWhiteSpace(Role) ? $"{Section}:Role is empty: name the role, or leave it out for clearway_testdbs"
        : null;
}
