using Clearway.Data.Entities;
using Clearway.Data.Schema;
using Clearway.Testing.Databases;
using Clearway.Testing.Xunit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Clearway.Tests.Fixture;

/// <summary>The per-test database: its own, migrated, isolated, gone after dispose.</summary>
public sealed class ClearwayDatabaseTests(ClearwayFixture clearway)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_empty_schema_database_is_migrated_verified_and_has_no_rows()
    {
        await using var db = await ClearwayDatabase.CreateEmptyAsync();
        await using var connection = await db.OpenConnectionAsync(Ct);

        var report = await SchemaVerifier.VerifyAsync(connection, Ct);
        Assert.True(report.IsValid, report.ToString());
        await using var context = db.CreateDbContext();
        Assert.Equal(0, await context.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task A_blank_database_has_nothing_in_it_carries_the_factorys_prefix_and_is_gone_after_dispose()
    {
        string name;
        await using (var blank = await ClearwayDatabase.CreateAsync(ClearwayDatabaseOptions.Blank))
        {
            name = blank.Name;
            Assert.StartsWith(clearway.Factory.ClonePrefix, name, StringComparison.Ordinal);
            await using var connection = await blank.OpenConnectionAsync(Ct);
            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'", connection);
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync(Ct))!);
        }
        await using var admin = new NpgsqlConnection(clearway.Server.AdminConnectionString);
        await admin.OpenAsync(Ct);
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", admin) { Parameters = { new() { Value = name } } };
        Assert.Equal(0L, (long)(await exists.ExecuteScalarAsync(Ct))!);

        var seededBlank = ClearwayDatabaseOptions.Blank with { Profile = Clearway.Seeding.SeedProfile.Tiny };
        await Assert.ThrowsAsync<ArgumentException>(() => ClearwayDatabase.CreateAsync(seededBlank));
    }

    [Fact]
    public async Task A_write_in_one_database_is_invisible_in_another()
    {
        await using var first = await ClearwayDatabase.CreateEmptyAsync();
        await using var second = await ClearwayDatabase.CreateEmptyAsync();
        await using (var context = first.CreateDbContext())
        {
            context.Organizations.Add(new Organization { Id = "org_isolation", Name = "Isolation RIA", Slug = "isolation-ria" });
            await context.SaveChangesAsync(Ct);
        }

        await using var firstContext = first.CreateDbContext();
        await using var secondContext = second.CreateDbContext();
        Assert.NotEqual(first.Name, second.Name);
        Assert.Equal(1, await firstContext.Organizations.CountAsync(Ct));
        Assert.Equal(0, await secondContext.Organizations.CountAsync(Ct));
    }

    [Fact]
    public async Task Parallel_callers_each_get_a_database_of_their_own()
    {
        var databases = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => ClearwayDatabase.CreateEmptyAsync()));
        try
        {
            Assert.Equal(6, databases.Select(d => d.Name).Distinct().Count());
            var migrated = await Task.WhenAll(databases.Select(async d =>
            {
                await using var context = d.CreateDbContext();
                return (await context.Database.GetAppliedMigrationsAsync(Ct)).Count();
            }));
            Assert.All(migrated, count => Assert.Equal(5, count));
        }
        finally
        {
            foreach (var database in databases)
                await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Dispose_drops_the_database_and_Keep_keeps_it()
    {
        var dropped = await ClearwayDatabase.CreateEmptyAsync();
        var kept = await ClearwayDatabase.CreateEmptyAsync();
        kept.Keep();

        await dropped.DisposeAsync();
        await kept.DisposeAsync();

        Assert.False(await ExistsAsync(dropped.Name));
        Assert.True(await ExistsAsync(kept.Name));
        await clearway.Server.DropDatabaseAsync(kept.Name, Ct);
    }

    [Fact]
    public async Task A_failed_tests_database_is_kept_when_keeping_is_on()
    {
        await using var factory = new ClearwayDatabaseFactory(clearway.Server, new ClearwayDatabaseFactoryOptions { PoolSize = 0, KeepFailedDatabases = true });
        var failing = await factory.CreateDatabaseAsync(keepWhen: () => true, cancellationToken: Ct);
        var passing = await factory.CreateDatabaseAsync(keepWhen: () => false, cancellationToken: Ct);

        await failing.DisposeAsync();
        await passing.DisposeAsync();

        Assert.True(await ExistsAsync(failing.Name));
        Assert.False(await ExistsAsync(passing.Name));
        await clearway.Server.DropDatabaseAsync(failing.Name, Ct);
    }

    [Fact]
    public async Task The_failure_probe_sees_an_assertion_failing_in_the_current_test()
    {
        var probe = FailedAssertionsProbe();
        Assert.False(probe());

        Assert.ThrowsAny<Exception>(() => Assert.Fail("an assertion failing on purpose, caught"));

        Assert.True(probe());
    }

    private static Func<bool> FailedAssertionsProbe() => Clearway.Testing.Xunit.FailedAssertions.ProbeForCurrentTest();

    private async Task<bool> ExistsAsync(string database)
    {
        await using var admin = new NpgsqlConnection(clearway.Server.AdminConnectionString);
        await admin.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", admin);
        command.Parameters.AddWithValue(database);
        return (bool)(await command.ExecuteScalarAsync(Ct))!;
    }
}
