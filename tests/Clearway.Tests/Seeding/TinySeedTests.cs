using Clearway.Seeding;
using Clearway.Testing.Xunit;
using Clearway.Tests.Infrastructure;

namespace Clearway.Tests.Seeding;

/// <summary>The seeder in-process on the tiny profile: determinism, coverage, plan, skip, refusals, reset.</summary>
public sealed class TinySeedTests(ClearwayFixture fixture)
{
    private Task<TestDatabase> NewDatabaseAsync(bool migrate = true) => SeedDatabase.CreateAsync(fixture.Factory, migrate);

    [Fact]
    public async Task Same_options_give_identical_tables_and_another_seed_gives_different_ones()
    {
        await using var a = await NewDatabaseAsync();
        await using var b = await NewDatabaseAsync();
        await using var c = await NewDatabaseAsync();
        await a.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 7));
        await b.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 7));
        await c.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 8));

        var fa = await a.TableFingerprintsAsync();
        var fb = await b.TableFingerprintsAsync();
        var fc = await c.TableFingerprintsAsync();
        Assert.Equal(28, fa.Count);
        foreach (var table in SeedPlan.TableOrder)
            Assert.True(fa[table] == fb[table], $"{table} differs between two seeds with the same options");
        var differing = SeedPlan.TableOrder.Where(t => fa[t] != fc[t]).ToList();
        Assert.Contains("CapitalCall", differing);
        Assert.Contains("Payment", differing);
        Assert.True(differing.Count >= 24, $"only {differing.Count} tables differ with another seed: {string.Join(", ", differing)}");
    }

    [Fact]
    public async Task Every_table_gets_rows_and_exact_tables_match_the_plan()
    {
        await using var db = await NewDatabaseAsync();
        var result = await db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny));

        Assert.False(result.Skipped);
        Assert.Equal(SeedPlan.TableOrder, result.Tables.Select(t => t.Table));
        var counts = await db.TableFingerprintsAsync();
        foreach (var planned in result.Plan.Tables)
        {
            var actual = long.Parse(counts[planned.Name].Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(actual > 0, $"{planned.Name} is empty in tiny");
            Assert.Equal(actual, result.Rows[planned.Name]);
            if (!planned.IsEstimate) Assert.True(planned.Rows == actual, $"{planned.Name}: planned {planned.Rows}, wrote {actual}");
        }
        Assert.Contains("Total", result.FormatSummary(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Personas_have_fixed_ids_and_emails_whatever_the_seed()
    {
        foreach (var seed in new[] { 1, 2 })
        {
            await using var db = await NewDatabaseAsync();
            await db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed));
            foreach (var p in Personas.Users)
            {
                Assert.Equal(1, await db.ScalarAsync<long>(
                    $"SELECT count(*) FROM \"User\" WHERE id = '{p.Id}' AND email = '{p.Email}' AND \"clerkId\" = '{p.ClerkId}'"));
                Assert.True(await db.ScalarAsync<long>($"SELECT count(*) FROM \"CapitalCall\" WHERE \"userId\" = '{p.Id}'") > 0, $"{p.Email} has no calls");
            }
            foreach (var o in Personas.Organizations)
                Assert.Equal(1, await db.ScalarAsync<long>($"SELECT count(*) FROM \"Organization\" WHERE id = '{o.Id}' AND slug = '{o.Slug}' AND plan = '{o.Plan}'"));
            Assert.Equal("Admin", await db.ScalarAsync<string>(
                $"SELECT role FROM \"OrganizationMember\" WHERE \"userId\" = '{Personas.DemoRiaAdmin.Id}' AND \"organizationId\" = '{Personas.DemoRia.Id}'"));
            Assert.Equal(3, await db.ScalarAsync<long>(
                $"SELECT count(*) FROM \"FundAdminConnection\" WHERE \"organizationId\" = '{Personas.NorthwindCapital.Id}'"));
        }
    }

    [Fact]
    public async Task Re_running_the_same_plan_skips_and_changes_nothing()
    {
        await using var db = await NewDatabaseAsync();
        var options = SeedDatabase.Options(SeedProfile.Tiny);
        await db.SeedAsync(options);
        var before = await db.TableFingerprintsAsync();

        var again = await db.SeedAsync(options);

        Assert.True(again.Skipped);
        Assert.Contains("already seeded", again.Message, StringComparison.Ordinal);
        Assert.Empty(again.Tables);
        Assert.Equal(before, await db.TableFingerprintsAsync());
        Assert.Equal(options.Fingerprint, await db.ScalarAsync<string>($"SELECT fingerprint FROM \"{SeedRunner.MarkerTable}\""));
    }

    [Fact]
    public async Task A_restart_on_another_day_without_as_of_skips_but_an_explicit_other_as_of_is_refused()
    {
        await using var db = await NewDatabaseAsync();
        var yesterday = SeedOptions.Parse("tiny", null, null, asOf: null, reset: false, today: SeedDatabase.AsOf);
        await db.SeedAsync(yesterday);
        var before = await db.TableFingerprintsAsync();

        var today = SeedOptions.Parse("tiny", null, null, asOf: null, reset: false, today: SeedDatabase.AsOf.AddDays(1));
        var restarted = await db.SeedAsync(today);

        Assert.True(today.AsOfIsDefault);
        Assert.NotEqual(yesterday.Fingerprint, today.Fingerprint);
        Assert.True(restarted.Skipped, restarted.Message);
        Assert.Contains("as of another day", restarted.Message, StringComparison.Ordinal);
        Assert.Equal(before, await db.TableFingerprintsAsync());

        var explicitDate = SeedOptions.Parse("tiny", null, null, SeedDatabase.AsOf.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), reset: false);
        await Assert.ThrowsAsync<SeedRefusedException>(() => db.SeedAsync(explicitDate));
        var otherSeed = SeedOptions.Parse("tiny", "43", null, asOf: null, reset: false, today: SeedDatabase.AsOf.AddDays(1));
        await Assert.ThrowsAsync<SeedRefusedException>(() => db.SeedAsync(otherSeed));
        Assert.Equal(before, await db.TableFingerprintsAsync());
    }

    [Fact]
    public async Task A_different_plan_is_refused_without_reset_and_replaces_the_seed_with_it()
    {
        await using var db = await NewDatabaseAsync();
        await db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 1));
        var seed1 = await db.TableFingerprintsAsync();

        var ex = await Assert.ThrowsAsync<SeedRefusedException>(() => db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 2)));
        Assert.Contains("different plan", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--reset", ex.Hint, StringComparison.Ordinal);
        Assert.Equal(seed1, await db.TableFingerprintsAsync());

        var reset = await db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 2, reset: true));
        Assert.False(reset.Skipped);
        await using var fresh = await NewDatabaseAsync();
        await fresh.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, seed: 2));
        Assert.Equal(await fresh.TableFingerprintsAsync(), await db.TableFingerprintsAsync());
        Assert.Equal(SeedDatabase.Options(SeedProfile.Tiny, seed: 2).Fingerprint,
            await db.ScalarAsync<string>($"SELECT fingerprint FROM \"{SeedRunner.MarkerTable}\""));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_database_with_foreign_rows_is_refused_naming_a_table_and_left_intact(bool reset)
    {
        await using var db = await NewDatabaseAsync();
        await db.ExecuteAsync("""
            INSERT INTO "Organization" (id, name, slug, "updatedAt") VALUES ('corg', 'Real Customer', 'real-customer', now());
            INSERT INTO "User" (id, "clerkId", email, "updatedAt") VALUES ('cu1', 'user_1', 'a@customer.example', now()), ('cu2', 'user_2', 'b@customer.example', now());
            """, TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<SeedRefusedException>(() => db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, reset: reset)));

        Assert.Contains("\"Organization\" holds 1 rows", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM \"Organization\""));
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM \"User\""));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM \"CapitalCall\""));
        Assert.False(await db.MarkerExistsAsync());
    }

    [Fact]
    public async Task An_unmigrated_database_is_refused_naming_the_missing_migration()
    {
        await using var db = await NewDatabaseAsync(migrate: false);
        var ex = await Assert.ThrowsAsync<SeedRefusedException>(() => db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny)));
        Assert.Contains("not migrated", ex.Message, StringComparison.Ordinal);
        Assert.Contains("_InitialSchema", ex.Message, StringComparison.Ordinal);
        Assert.Contains("and 4 more", ex.Message, StringComparison.Ordinal);
        Assert.False(await db.MarkerExistsAsync());
    }

    [Fact]
    public async Task Reset_on_an_empty_migrated_database_seeds_it()
    {
        await using var db = await NewDatabaseAsync();
        var result = await db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny, reset: true));
        Assert.False(result.Skipped);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM \"CapitalCall\"") > 0);
    }

    [Theory]
    [InlineData(SeedProfile.Dev, 0.02, 80)]
    [InlineData(SeedProfile.Tiny, 0.001, 12)]
    [InlineData(SeedProfile.Tiny, 3, 72)]
    public async Task Scaled_profiles_seed_coherently_with_the_planned_counts(SeedProfile profile, double scale, long calls)
    {
        await using var db = await NewDatabaseAsync();
        var result = await db.SeedAsync(SeedDatabase.Options(profile) with { Scale = scale });
        Assert.Equal(calls, result.Rows["CapitalCall"]);
        foreach (var planned in result.Plan.Tables.Where(t => !t.IsEstimate))
            Assert.True(planned.Rows == result.Rows[planned.Name], $"{planned.Name}: planned {planned.Rows}, wrote {result.Rows[planned.Name]}");
        Assert.All(result.Tables, t => Assert.True(t.Rows > 0, $"{t.Table} is empty at {profile} x {scale}"));
    }

    [Fact]
    public async Task The_contents_of_a_seed_are_pinned_so_a_change_bumps_the_seeder_version()
    {
        await using var db = await NewDatabaseAsync();
        var options = SeedDatabase.Options(SeedProfile.Tiny);
        await db.SeedAsync(options);
        // A different hash means the generated rows changed: bump SeedRunner.SeederVersion, then update both values.
        Assert.Equal("seeder=2;profile=tiny;seed=42;scale=1;as-of=2026-06-15", options.Canonical);
        Assert.Equal(TinyContentsHash, await db.ContentsHashAsync());
    }

    private const string TinyContentsHash = "1b6ae000b78bdcc5e128deea0a8d50eb3073b15ec13ffd99984b1fbdc69e10b7";

    [Fact]
    public async Task A_marker_over_tables_emptied_behind_its_back_is_distrusted_and_the_seed_written_again()
    {
        await using var db = await NewDatabaseAsync();
        var options = SeedDatabase.Options(SeedProfile.Tiny);
        await db.SeedAsync(options);
        var seeded = await db.TableFingerprintsAsync();
        await db.ExecuteAsync($"TRUNCATE {string.Join(", ", SeedPlan.TableOrder.Select(t => $"\"{t}\""))}", TestContext.Current.CancellationToken);

        var again = await db.SeedAsync(options);

        Assert.False(again.Skipped, again.Message);
        Assert.Equal(seeded, await db.TableFingerprintsAsync());
        Assert.True((await db.SeedAsync(options)).Skipped);
    }

    [Fact]
    public async Task Clearing_empties_the_tables_and_removes_the_marker_together()
    {
        await using var db = await NewDatabaseAsync();
        await db.SeedAsync(SeedDatabase.Options(SeedProfile.Tiny));

        await SeedRunner.ClearAsync(db.ConnectionString, TestContext.Current.CancellationToken);

        Assert.False(await db.MarkerExistsAsync());
        Assert.All((await db.TableFingerprintsAsync()).Values, v => Assert.StartsWith("0:", v, StringComparison.Ordinal));
        await SeedRunner.ClearAsync(db.ConnectionString, TestContext.Current.CancellationToken); // nothing left: still fine
    }

    [Fact]
    public void Production_is_refused()
    {
        var ex = Assert.Throws<SeedRefusedException>(() => SeedRunner.EnsureNotProduction("Production"));
        Assert.Contains("Production", ex.Message, StringComparison.Ordinal);
        SeedRunner.EnsureNotProduction("Development");
        SeedRunner.EnsureNotProduction(null);
    }
}
