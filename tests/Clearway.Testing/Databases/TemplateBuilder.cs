using Clearway.Data.Schema;
using Npgsql;

namespace Clearway.Testing.Databases;

/// <summary>
/// Ensures a template database exists on a server, building it at most once across every process that asks
/// at the same time: under a session advisory lock, into a scratch name that is renamed only when complete,
/// so a crash mid-build leaves no half-made template behind (the next caller drops the scratch and rebuilds).
/// </summary>
internal static class TemplateBuilder
{
    public static async Task<bool> EnsureAsync(PostgresServer server, TemplateKey key, Func<string, CancellationToken, Task> build, CancellationToken cancellationToken)
    {
        await using var admin = new NpgsqlConnection(server.AdminConnectionString);
        await admin.OpenAsync(cancellationToken);
        await ExecuteAsync(admin, $"SELECT pg_advisory_lock({key.LockKey})", cancellationToken);
        try
        {
            if (await ExistsAsync(admin, key.DatabaseName, cancellationToken))
                return false;

            var scratch = key.DatabaseName + "_build";
            await server.DropDatabaseAsync(scratch, cancellationToken);
            await server.CreateDatabaseAsync(scratch, cancellationToken);
            try
            {
                // Unpooled: a connection left idle in a pool (EF keeps its own) would block the rename below.
                var unpooled = new NpgsqlConnectionStringBuilder(server.ConnectionStringFor(scratch)) { Pooling = false };
                await build(unpooled.ConnectionString, cancellationToken);
                var name = PostgresIdentifier.Quote(key.DatabaseName);
                await ExecuteAsync(admin, $"ALTER DATABASE {PostgresIdentifier.Quote(scratch)} RENAME TO {name}", cancellationToken);
                // No connections, ever: CREATE DATABASE ... TEMPLATE refuses a source anyone is connected to.
                await ExecuteAsync(admin, $"ALTER DATABASE {name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", cancellationToken);
                await ExecuteAsync(admin, $"COMMENT ON DATABASE {name} IS '{key.Description.Replace("'", "''", StringComparison.Ordinal)}'", cancellationToken);
                return true;
            }
            catch
            {
                await server.DropDatabaseAsync(scratch, CancellationToken.None);
                throw;
            }
        }
        finally
        {
            await ExecuteAsync(admin, $"SELECT pg_advisory_unlock({key.LockKey})", CancellationToken.None);
        }
    }

    /// <summary>Drops a template (it must be unmarked as template first).</summary>
    public static async Task DropAsync(PostgresServer server, string name, CancellationToken cancellationToken)
    {
        await server.ExecuteAsync($"ALTER DATABASE {PostgresIdentifier.Quote(name)} WITH IS_TEMPLATE false", cancellationToken);
        await server.DropDatabaseAsync(name, cancellationToken);
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection admin, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", admin);
        command.Parameters.AddWithValue(name);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
