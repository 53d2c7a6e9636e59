using Npgsql;

namespace Clearway.Data;

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

/// <summary>A connection string that is missing or unusable: bad input (exit code 2), the message is one line.</summary>
public sealed class InvalidConnectionStringException(string message) : Exception(message);
