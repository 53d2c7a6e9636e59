using Clearway.Data.Schema;
using Clearway.Seeding;
using Npgsql;

namespace Clearway.Testing.Databases;

/// <summary>
/// One database shared by many tests, put back to its seeded state by <see cref="ResetAsync"/> (truncate the 28
/// tables, reseed: the Respawn approach). Use it when tests need a stable connection string for their whole
/// run (an app started once against it) and run one at a time; prefer a clone per test otherwise.
/// </summary>
public sealed class SharedClearwayDatabase : IAsyncDisposable
{
    private readonly ClearwayTestDatabase _database;

    internal SharedClearwayDatabase(ClearwayTestDatabase database) => _database = database;

    public string Name => _database.Name;
    public string ConnectionString => _database.ConnectionString;
    public ClearwayDatabaseOptions Options => _database.Options;

    public Data.ClearwayDbContext CreateDbContext() => _database.CreateDbContext();

    public Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) => _database.OpenConnectionAsync(cancellationToken);

    /// <summary>Empties the 28 tables and, for a seeded database, writes the same seed again.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        if (Options.ToSeedOptions() is { } seed)
        {
            await SeedRunner.SeedAsync(ConnectionString, seed with { Reset = true }, cancellationToken: cancellationToken);
            return;
        }
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await ClearwayTables.TruncateAllAsync(connection, cancellationToken);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
