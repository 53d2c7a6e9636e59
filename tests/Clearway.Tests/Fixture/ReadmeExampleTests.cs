// The example of README.md, "Using Clearway as a test fixture", compiled and run as it is printed there.
// (The README's [assembly: AssemblyFixture(typeof(ClearwayFixture))] line lives in AssemblyInfo.cs here.)
using Clearway.Data.Entities;
using Clearway.Seeding;
using Clearway.Testing.Xunit;
using Microsoft.EntityFrameworkCore;

namespace Clearway.Tests.Fixture;

public sealed class CapitalCallTests
{
    [Fact]
    public async Task Every_paid_call_has_a_paid_date()
    {
        await using var db = await ClearwayDatabase.CreateAsync(SeedProfile.Tiny);
        await using var context = db.CreateDbContext();

        var paid = await context.CapitalCalls
            .Where(c => c.Status == CapitalCallStatus.Paid)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(paid);
        Assert.All(paid, call => Assert.NotNull(call.PaidAt));
    }

    [Fact]
    public async Task A_test_can_start_from_an_empty_schema()
    {
        await using var db = await ClearwayDatabase.CreateEmptyAsync();
        await using var context = db.CreateDbContext();

        context.Organizations.Add(new Organization { Id = "org_acme", Name = "Acme RIA", Slug = "acme-ria" });
        await context.SaveChangesAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, await context.Organizations.CountAsync(TestContext.Current.CancellationToken));
    }
}
