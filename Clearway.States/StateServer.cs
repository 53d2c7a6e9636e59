using Clearway.Data.Schema;
using Npgsql;

namespace Clearway.States;

/// <summary>
/// The server the states live on, reached as an administrator (a role that may create, rename and drop databases):
/// the few statements on whole databases that the store, the swap and the snapshots are made of.
/// </summary>
public sealed class StateServer
{
    /// <param name="adminConnectionString">A connection string to any database of the server; the maintenance database is used.</param>
    public StateServer(string adminConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = "postgres", Pooling = false, CommandTimeout = 0 };
        AdminConnectionString = builder.ConnectionString;
    }

    /// <summary>The administrator's connection string to the maintenance database (unpooled: whole-database statements want no idle sessions around).</summary>
    public string AdminConnectionString { get; }

    /// <summary>The server of a database's connection string, with the same credentials.</summary>
    public static StateServer Of(string databaseConnectionString) => new(databaseConnectionString);

    /// <summary>The administrator's connection string with <paramref name="database"/>.</summary>
    public string ConnectionStringFor(string database)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;
    }

    public async Task<NpgsqlConnection> OpenAdminAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAdminAsync(cancellationToken);
        await ExecuteAsync(connection, sql, cancellationToken);
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> ExistsAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAdminAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", connection);
        command.Parameters.AddWithValue(database);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>An empty database, sorting text as the server's default does (see <see cref="ByteOrderCollation"/>).</summary>
    public async Task CreateAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAdminAsync(cancellationToken);
        var collation = await ByteOrderCollation.CreateDatabaseClauseAsync(connection, cancellationToken);
        await ExecuteAsync(connection, $"CREATE DATABASE {PostgresIdentifier.Quote(database)}{collation}", cancellationToken);
    }

    /// <summary>A copy of <paramref name="template"/>, which nobody may be connected to.</summary>
    public Task CloneAsync(string template, string database, CloneStrategy strategy, CancellationToken cancellationToken) =>
        ExecuteAsync($"CREATE DATABASE {PostgresIdentifier.Quote(database)} TEMPLATE {PostgresIdentifier.Quote(template)} STRATEGY {(strategy == CloneStrategy.FileCopy ? "FILE_COPY" : "WAL_LOG")}", cancellationToken);

    /// <summary>Drops a database, ending its sessions (<c>WITH (FORCE)</c>), a template too; a missing one is ignored.</summary>
    public async Task DropAsync(string database, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        await using var connection = await OpenAdminAsync(cancellationToken);
        await using (var isTemplate = new NpgsqlCommand("SELECT datistemplate FROM pg_database WHERE datname = $1", connection))
        {
            isTemplate.Parameters.AddWithValue(database);
            if (await isTemplate.ExecuteScalarAsync(cancellationToken) is true)
                await ExecuteAsync(connection, $"ALTER DATABASE {PostgresIdentifier.Quote(database)} WITH IS_TEMPLATE false", cancellationToken);
        }
        await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {PostgresIdentifier.Quote(database)} WITH (FORCE)", cancellationToken);
        // Pooled connections to the dropped database are dead: never hand them out again.
        using var stale = new NpgsqlConnection(ConnectionStringFor(database));
        NpgsqlConnection.ClearPool(stale);
    }

    /// <summary>Bytes a database takes on disk.</summary>
    public async Task<long> SizeAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAdminAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_database_size($1)", connection);
        command.Parameters.AddWithValue(database);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>How <c>CREATE DATABASE ... TEMPLATE</c> copies (PostgreSQL 15+).</summary>
public enum CloneStrategy
{
    /// <summary>Copies block by block through the WAL: no checkpoint, cost grows with size.</summary>
    WalLog,

    /// <summary>Copies the files: two checkpoints, then a cost that grows slowly with size.</summary>
    FileCopy,
}
