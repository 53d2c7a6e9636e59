using Clearway.Data.Schema;
using Clearway.Testing.Xunit;

namespace Clearway.Tests.Migrations;

/// <summary>
/// Issue 12 item 6: a database is ours only when its history names a migration (or it has no table at all); nothing of
/// the migrator's bookkeeping is committed before the first migration commits.
/// </summary>
public sealed class OwnershipTests(ClearwayFixture fixture) : MigrationTestBase(fixture)
{
    [Fact]
    public async Task A_failed_forced_migration_of_a_foreign_database_leaves_it_as_it_was_and_a_plain_migrate_still_refuses_it()
    {
        var db = await CreateDatabaseAsync();
        await ExecuteAsync(db, """CREATE TABLE "User" ("id" integer); INSERT INTO "User" VALUES (1)"""); // conflicts with InitialSchema
        var before = await PublicRelationsAsync(db);

        var forced = await RunAsync(db, "--force");

        Assert.True(forced.ExitCode == 1, forced.ToString());
        Assert.Contains($"Migration {All[0].Name} ({All[0].Version}) up failed", forced.StdErr, StringComparison.Ordinal);
        Assert.Contains("SQLSTATE 42P07", forced.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, await PublicRelationsAsync(db)); // no history table, no migration log
        Assert.False(await TableExistsAsync(db, PlatformTables.MigrationHistory));

        var plain = await RunAsync(db);

        Assert.True(plain.ExitCode == 2, plain.ToString());
        Assert.Contains("is not a Clearway database: it has 1 table(s) (User) and no migration history", plain.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, await PublicRelationsAsync(db));
    }

    [Fact]
    public async Task An_empty_migration_history_is_no_proof_of_ownership()
    {
        var db = await CreateDatabaseAsync();
        await ExecuteAsync(db, """
            CREATE TABLE customers ("id" integer);
            CREATE TABLE "__EFMigrationsHistory" ("MigrationId" varchar(150) PRIMARY KEY, "ProductVersion" varchar(32) NOT NULL);
            """);

        var run = await RunAsync(db);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("is not a Clearway database: it has 1 table(s) (customers) and no migration history", run.StdErr, StringComparison.Ordinal);
        Assert.False(await TableExistsAsync(db, "Organization"));
    }

    [Fact]
    public async Task An_empty_database_is_ours_and_its_first_migration_commits_the_bookkeeping_with_it()
    {
        var db = await CreateDatabaseAsync();

        var run = await RunAsync(db);

        Assert.True(run.ExitCode == 0, run.ToString());
        // The history table, the log table and the first migration's history row were all written by one transaction.
        Assert.Equal(1L, await ScalarAsync<long>(db, $"""
            SELECT count(DISTINCT x) FROM (
                SELECT xmin::text AS x FROM pg_class WHERE relnamespace = 'public'::regnamespace
                  AND relname IN ('{PlatformTables.MigrationHistory}', '{PlatformTables.MigrationLog}')
                UNION ALL SELECT xmin::text FROM "{PlatformTables.MigrationHistory}" WHERE "MigrationId" = '{All[0].Id}'
                UNION ALL SELECT xmin::text FROM "{PlatformTables.MigrationLog}" WHERE "migrationId" = '{All[0].Id}') AS writers
            """));
    }

    private Task<string> PublicRelationsAsync(string database) => ScalarAsync<string>(database, """
        SELECT coalesce(string_agg(relname || ':' || relkind::text, ',' ORDER BY relname), '')
        FROM pg_class WHERE relnamespace = 'public'::regnamespace
        """);
}
