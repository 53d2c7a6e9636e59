using System.Net.Sockets;
using Npgsql;

namespace Clearway;

/// <summary>Turns the common PostgreSQL errors into a next step for the operator.</summary>
public static class PostgresErrorHints
{
    /// <summary>A hint for the SQLSTATE, or null when there is none.</summary>
    public static string? For(string? sqlState, PostgresException? error = null) => sqlState switch
    {
        "42P07" or "42710" =>
            "the object already exists: the database has drifted from the migration history; run `status` and compare, then drop the stray object or restore from backup",
        "23503" =>
            $"foreign-key violation{Where(error)}: a row references a missing parent (or is still referenced); fix or delete that row first",
        "42501" =>
            $"permission denied{Where(error)}: the role needs the missing privilege (e.g. GRANT CREATE ON SCHEMA public, or ownership of the table) ",
        "28P01" or "28000" =>
            "authentication failed: check Username/Password in ConnectionStrings__clearway and pg_hba.conf",
        "3D000" => "the database does not exist",
        "57P01" or "57P02" or "57P03" =>
            "the server ended the session (an administrator, idle_session_timeout, a pooler or a shutdown); nothing of the migration under way was committed; run again",
        "55P03" or "57014" => "a lock or statement timed out: another session holds a conflicting lock; find it in pg_stat_activity",
        { } s when s.StartsWith("08", StringComparison.Ordinal) =>
            "cannot connect: check Host and Port, that the server is running and accepts TCP connections (listen_addresses, firewall)",
        _ => null,
    };

    /// <summary>A hint for any exception met while connecting or migrating.</summary>
    public static string? For(Exception exception) => exception switch
    {
        PostgresException pg => For(pg.SqlState, pg),
        NpgsqlException { InnerException: SocketException or TimeoutException } or NpgsqlException { IsTransient: true } => For("08000"),
        _ => null,
    };

    private static string Where(PostgresException? e)
    {
        if (e is null)
            return "";
        var parts = new[] { e.TableName is null ? null : $"table \"{e.TableName}\"", e.ConstraintName is null ? null : $"constraint \"{e.ConstraintName}\"", e.Detail }
            .Where(p => !string.IsNullOrEmpty(p));
        var joined = string.Join(", ", parts);
        return joined.Length == 0 ? "" : $" ({joined})";
    }
}
