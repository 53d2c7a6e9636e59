using Clearway.Data.Migrator;
using Clearway.Data.Schema;
using Clearway.Seeding.Copy;
using Clearway.Seeding.Tables;
using Clearway.Seeding;
using Clearway.Testing.Xunit;
using Clearway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Clearway.Tests.Seeding;

/// <summary>The load procedure: no command timeout, deferred keys restored or the transaction lost, one table list, the schema check.</summary>
public sealed class BulkLoadTests(ClearwayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Seeding_does_not_depend_on_the_command_timeout()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        const string application = "clearway-timeout-test";
        var connectionString = new NpgsqlConnectionStringBuilder(db.ConnectionString) { CommandTimeout = 1, ApplicationName = application }.ConnectionString;

        Task<SeedResult> seeding;
        await using (var blocker = await db.OpenAsync(Ct))
        await using (var transaction = await blocker.BeginTransactionAsync(Ct))
        {
            // Holding the table makes the seeder's COPY into it outlast the one-second timeout on any machine, fast or
            // loaded; SHARE blocks writes only, so the reads and key checks before it go through.
            await using (var hold = new NpgsqlCommand("LOCK TABLE \"CapitalCall\" IN SHARE MODE", blocker, transaction))
                await hold.ExecuteNonQueryAsync(Ct);
            seeding = SeedRunner.SeedAsync(connectionString, SeedDatabase.Options(SeedProfile.Dev), cancellationToken: Ct);
            await ServerActivity.WaitForRowAsync(db.ConnectionString, "the seeder's COPY waiting on the lock for twice its command timeout", null, """
                SELECT pid FROM pg_stat_activity
                WHERE application_name = $1 AND wait_event_type = 'Lock' AND starts_with(query, 'COPY "CapitalCall"')
                  AND clock_timestamp() - query_start > interval '2 seconds'
                """, application);
            Assert.False(seeding.IsCompleted);
            await transaction.RollbackAsync(Ct);
        }

        var result = await seeding.WaitAsync(ServerActivity.Limit, Ct);
        Assert.Equal(result.Rows["CapitalCall"], await db.ScalarAsync<long>("SELECT count(*) FROM \"CapitalCall\""));
        Assert.Equal(SchemaManifest.ForeignKeys.Count, await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'"));
    }

    [Fact]
    public async Task Deferred_keys_come_back_from_their_definitions()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        var before = await KeysAndIndexesAsync(db);
        await using (var connection = await db.OpenAsync(Ct))
        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            var deferral = await BulkLoadDeferral.DropAsync(connection, SeedPlan.TableOrder.ToArray(), Ct);
            Assert.True(deferral.ForeignKeyCount > 20 && deferral.IndexCount > 50, $"{deferral.ForeignKeyCount} keys, {deferral.IndexCount} indexes");
            Assert.NotEqual(before, await KeysAndIndexesAsync(connection));
            await deferral.RestoreAsync(connection, Ct);
            await transaction.CommitAsync(Ct);
        }
        Assert.Equal(before, await KeysAndIndexesAsync(db));
    }

    [Fact]
    public async Task A_row_violating_a_deferred_foreign_key_fails_the_restore_and_the_transaction_leaves_nothing()
    {
        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        var before = await KeysAndIndexesAsync(db);
        await using (var connection = await db.OpenAsync(Ct))
        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            var deferral = await BulkLoadDeferral.DropAsync(connection, ["LegalHold"], Ct);
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO \"LegalHold\" (id, \"userId\", reason, \"createdBy\") VALUES ('hold1', 'no-such-user', 'r', 'x')", connection))
                await insert.ExecuteNonQueryAsync(Ct); // accepted: the key is not there

            var e = await Assert.ThrowsAsync<PostgresException>(() => deferral.RestoreAsync(connection, Ct));
            Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, e.SqlState);
        }
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM \"LegalHold\""));
        Assert.Equal(before, await KeysAndIndexesAsync(db));
    }

    [Fact]
    public void The_seed_table_list_is_the_schema_table_list_with_parents_first()
    {
        Assert.Equal(SchemaManifest.Tables.Select(t => t.Name).Order(StringComparer.Ordinal), SeedPlan.TableOrder.Order(StringComparer.Ordinal));
        Assert.Equal(SeedPlan.TableOrder, SeedTables.All.Select(t => t.Name));
        Assert.Equal(SeedPlan.TableOrder, SeedPlan.For(SeedProfile.Dev).Tables.Select(t => t.Name));
        foreach (var key in SchemaManifest.ForeignKeys.Where(k => k.Table != k.PrincipalTable))
            Assert.True(SeedPlan.TableOrder.ToList().IndexOf(key.PrincipalTable) < SeedPlan.TableOrder.ToList().IndexOf(key.Table),
                $"{key.Table} is written before its parent {key.PrincipalTable}");
    }

    [Fact]
    public async Task Tiny_and_dev_load_with_their_keys_in_force_and_large_tables_defer_them()
    {
        Assert.All(SeedPlan.For(SeedProfile.Dev).Tables, t => Assert.True(t.Rows < SeedRunner.DeferKeysFromRows, $"{t.Name} would be deferred in dev"));
        Assert.Contains(SeedPlan.For(SeedProfile.Large).Tables, t => t.Rows >= SeedRunner.DeferKeysFromRows);

        await using var db = await SeedDatabase.CreateAsync(fixture.Factory);
        var logs = new ListLoggerProvider();
        using (var factory = LoggerFactory.Create(b => b.AddProvider(logs)))
            await SeedRunner.SeedAsync(db.ConnectionString, SeedDatabase.Options(SeedProfile.Tiny), factory, cancellationToken: Ct);
        Assert.DoesNotContain(logs.Messages, m => m.StartsWith("Rebuilt", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, m => m.StartsWith("Seeded table CapitalCall", StringComparison.Ordinal));
    }

    private static async Task<string> KeysAndIndexesAsync(TestDatabase db)
    {
        await using var connection = await db.OpenAsync();
        return await KeysAndIndexesAsync(connection);
    }

    /// <summary>Every constraint and index of schema public with its definition, one per line, sorted.</summary>
    private static async Task<string> KeysAndIndexesAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("""
            SELECT string_agg(line, E'\n' ORDER BY line) FROM (
                SELECT c.conrelid::regclass || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) AS line
                FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
                UNION ALL
                SELECT indexdef FROM pg_indexes WHERE schemaname = 'public') s
            """, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages { get { lock (_messages) return _messages.ToList(); } }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        private sealed class Logger(ListLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state,
                Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._messages) owner._messages.Add(formatter(state, exception));
            }
        }
    }
}
