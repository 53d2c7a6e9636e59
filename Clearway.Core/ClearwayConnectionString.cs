using Npgsql;

namespace Clearway;

/// <summary>The <c>clearway</c> connection string every host reads (<c>ConnectionStrings:clearway</c>), and its checks.</summary>
public static class ClearwayConnectionString
{
    /// <summary>The connection string name, the database name and the Aspire resource name.</summary>
    public const string Name = "clearway";

    /// <summary>The configuration key, as the environment spells it.</summary>
    public const string EnvironmentVariable = "ConnectionStrings__" + Name;

    /// <summary>The one line every host prints when it is missing.</summary>
    public const string NotSetMessage =
        "connection string 'ConnectionStrings:" + Name + "' is not set (environment variable " + EnvironmentVariable + ")";

    /// <summary>Parses and checks a connection string: it must be set, parse, and name a host and a database.</summary>
    /// <exception cref="InvalidConnectionStringException">One line naming what is wrong.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidConnectionStringException(NotSetMessage);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new InvalidConnectionStringException($"the connection string is malformed: {e.Message.TrimEnd('.')}");
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new InvalidConnectionStringException("the connection string names no Host");
        if (string.IsNullOrWhiteSpace(builder.Database))
            throw new InvalidConnectionStringException("the connection string names no Database");
        return builder;
    }
}

/// <summary>
/// The same database as a <c>DATABASE_URL</c>, the form the Node/Prisma app reads:
/// <c>postgresql://USER:PASSWORD@HOST:PORT/DATABASE?schema=public</c>, each part percent-encoded.
/// </summary>
public static class DatabaseUrl
{
    /// <summary>The environment variable the app reads it from.</summary>
    public const string EnvironmentVariable = "DATABASE_URL";

    /// <summary>The URL of the database <paramref name="connectionString"/> names; without its password when <paramref name="hidePassword"/>.</summary>
    /// <exception cref="InvalidConnectionStringException">The connection string is missing or unusable.</exception>
    public static string From(string? connectionString, bool hidePassword = false)
    {
        var builder = ClearwayConnectionString.Parse(connectionString);
        var user = Uri.EscapeDataString(builder.Username ?? "postgres");
        var password = hidePassword || string.IsNullOrEmpty(builder.Password) ? "" : ":" + Uri.EscapeDataString(builder.Password);
        var host = builder.Host!.Split(',')[0];
        if (host.Contains(':', StringComparison.Ordinal))
            host = $"[{host}]"; // an IPv6 address
        return $"postgresql://{user}{password}@{host}:{builder.Port}/{Uri.EscapeDataString(builder.Database!)}?schema=public";
    }
}

/// <summary>A connection string that is missing or unusable: bad input (exit code 2), the message is one line.</summary>
public sealed class InvalidConnectionStringException(string message) : Exception(message), IClearwayFailure
{
    public int ExitCode => ExitCodes.Refused;

    public string? Hint => $"set {ClearwayConnectionString.EnvironmentVariable} to an Npgsql connection string like Host=localhost;Port=5432;Database=clearway;Username=postgres;Password=...";
}
