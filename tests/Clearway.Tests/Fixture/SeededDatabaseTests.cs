using Clearway.Seeding;
using Clearway.Testing.Databases;
using Clearway.Testing.Xunit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Clearway.Tests.Fixture;

/// <summary>Seeded templates: the plan's rows in every clone, a different template for a different seed.</summary>
public sealed class SeededDatabaseTests(ClearwayFixture clearway)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tiny_database_holds_the_tiny_plan_in_every_table()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        var plan = SeedPlan.For(SeedProfile.Tiny);

        await using var connection = await db.OpenConnectionAsync(Ct);
        foreach (var table in plan.Tables.Where(t => !t.IsEstimate))
            Assert.Equal(table.Rows, await CountAsync(connection, table.Name));
        await using var context = db.CreateDbContext();
        Assert.Equal(plan.CapitalCalls, await context.CapitalCalls.LongCountAsync(Ct));
    }

    [Fact]
    public async Task A_changed_seed_builds_a_new_template_with_different_data()
    {
        var options = ClearwayDatabaseOptions.Seeded(SeedProfile.Tiny);
        var other = options with { Seed = options.Seed + 1 };

        Assert.NotEqual(await clearway.Factory.EnsureTemplateAsync(options, Ct), await clearway.Factory.EnsureTemplateAsync(other, Ct));
        await using var first = await clearway.Factory.CreateDatabaseAsync(options, cancellationToken: Ct);
        await using var second = await clearway.Factory.CreateDatabaseAsync(other, cancellationToken: Ct);
        Assert.NotEqual(await FingerprintAsync(first), await FingerprintAsync(second));
    }

    [Fact]
    public async Task Clones_of_one_template_hold_identical_data()
    {
        await using var first = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        await using var second = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);

        Assert.Equal(await FingerprintAsync(first), await FingerprintAsync(second));
    }

    private static async Task<string> FingerprintAsync(ClearwayTestDatabase db)
    {
        await using var connection = await db.OpenConnectionAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT md5(string_agg(c::text, '|' ORDER BY id)) FROM \"CapitalCall\" c", connection);
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}

/// <summary>The shared-database mode: one database for the class, reset to its seed on demand.</summary>
public sealed class SharedDatabaseTests(SharedClearwayDatabaseFixture shared) : IClassFixture<SharedClearwayDatabaseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reset_removes_what_a_test_wrote_and_restores_the_seed()
    {
        var plan = SeedPlan.For(SeedProfile.Tiny);
        await using (var context = shared.Database.CreateDbContext())
        {
            await context.AuditLogs.Where(a => a.SecurityLevel == "LOW").ExecuteDeleteAsync(Ct);
            context.Organizations.Add(new Data.Entities.Organization { Id = "org_shared_write", Name = "Written", Slug = "written-by-a-test" });
            await context.SaveChangesAsync(Ct);
        }

        await shared.Database.ResetAsync(Ct);

        await using var after = shared.Database.CreateDbContext();
        Assert.False(await after.Organizations.AnyAsync(o => o.Id == "org_shared_write", Ct));
        Assert.Equal(plan.RowsOf("AuditLog"), await after.AuditLogs.LongCountAsync(Ct));
        Assert.Equal(plan.RowsOf("Organization"), await after.Organizations.LongCountAsync(Ct));
    }
}
