using Clearway.Seeding;
using Clearway.Seeding.Generation;

namespace Clearway.Tests.Seeding;

/// <summary>Options, fingerprint and plan: pure, no database.</summary>
public sealed class SeedOptionsTests
{
    [Theory]
    [InlineData("huge", null, null, null, "unknown profile 'huge'")]
    [InlineData(null, "abc", null, null, "seed must be an integer")]
    [InlineData(null, "1.5", null, null, "seed must be an integer")]
    [InlineData(null, "99999999999", null, null, "seed must be an integer")]
    [InlineData(null, null, "0", null, "scale must be a number greater than 0")]
    [InlineData(null, null, "-2", null, "scale must be a number greater than 0")]
    [InlineData(null, null, "x", null, "scale must be a number greater than 0")]
    [InlineData(null, null, "NaN", null, "scale must be a number greater than 0")]
    [InlineData(null, null, "5000", null, "is absurd")]
    [InlineData("large", null, "200", null, "would plan")]
    [InlineData(null, null, null, "2026-13-01", "as-of must be a date written YYYY-MM-DD")]
    [InlineData(null, null, null, "15/06/2026", "as-of must be a date written YYYY-MM-DD")]
    [InlineData(null, null, null, "1900-01-01", "out of range")]
    [InlineData("", null, null, null, "profile is empty")]
    [InlineData(" ", null, null, null, "profile is empty")]
    [InlineData(null, "", null, null, "seed is empty")]
    [InlineData(null, null, "", null, "scale is empty")]
    [InlineData(null, null, null, "", "as-of is empty")]
    public void Bad_input_is_rejected_with_one_line_naming_it(string? profile, string? seed, string? scale, string? asOf, string expected)
    {
        var ex = Assert.Throws<SeedInputException>(() => SeedOptions.Parse(profile, seed, scale, asOf, reset: false));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Parse_reads_every_option_and_defaults_the_rest()
    {
        var o = SeedOptions.Parse("TINY", "-7", "2.5", "2026-01-31", reset: true);
        Assert.Equal(new SeedOptions { Profile = SeedProfile.Tiny, Seed = -7, Scale = 2.5, AsOf = new DateOnly(2026, 1, 31), Reset = true }, o);

        var d = SeedOptions.Parse(null, null, null, null, reset: false, today: new DateOnly(2026, 3, 1));
        Assert.Equal(SeedProfile.Dev, d.Profile);
        Assert.Equal(SeedOptions.DefaultSeed, d.Seed);
        Assert.Equal(1.0, d.Scale);
        Assert.Equal(new DateOnly(2026, 3, 1), d.AsOf);
    }

    [Fact]
    public void Fingerprint_is_stable_ignores_reset_and_changes_with_every_data_option()
    {
        var a = SeedDatabase.Options(SeedProfile.Dev);
        Assert.Matches("^[0-9a-f]{16}$", a.Fingerprint);
        Assert.Equal(a.Fingerprint, (a with { }).Fingerprint);
        Assert.Equal(a.Fingerprint, (a with { Reset = true }).Fingerprint);
        Assert.Contains($"seeder={SeedRunner.SeederVersion}", a.Canonical, StringComparison.Ordinal);
        string[] others =
        [
            (a with { Seed = 43 }).Fingerprint, (a with { Profile = SeedProfile.Tiny }).Fingerprint,
            (a with { Scale = 1.5 }).Fingerprint, (a with { AsOf = a.AsOf.AddDays(1) }).Fingerprint,
        ];
        Assert.DoesNotContain(a.Fingerprint, others);
        Assert.Equal(others.Length, others.Distinct().Count());
        // The value itself is pinned: a change here means SeederVersion must be bumped (template databases are keyed by it).
        Assert.Equal("seeder=2;profile=dev;seed=42;scale=1;as-of=2026-06-15", a.Canonical);
    }

    [Fact]
    public void Plans_have_every_table_in_fk_order_and_exact_call_counts()
    {
        var tiny = SeedPlan.For(SeedProfile.Tiny);
        var dev = SeedPlan.For(SeedProfile.Dev);
        var large = SeedPlan.For(SeedProfile.Large);
        foreach (var plan in new[] { tiny, dev, large })
        {
            Assert.Equal(28, plan.Tables.Count);
            Assert.All(plan.Tables, t => Assert.True(t.Rows > 0, $"{plan.Profile} {t.Name}"));
            Assert.Equal(plan.CapitalCalls + plan.OrphanDocuments, plan.RowsOf("Document"));
        }
        Assert.Equal(24, tiny.CapitalCalls);
        Assert.Equal(4_000, dev.CapitalCalls);
        Assert.True(large.CapitalCalls >= 1_000_000);
        Assert.True(tiny.TotalRows < 1_000);
        Assert.Equal(8_000, SeedPlan.For(SeedProfile.Dev, 2).CapitalCalls);
        Assert.Equal(SeedPlan.For(SeedProfile.Dev).Tables, SeedPlan.For(SeedProfile.Dev).Tables);
        Assert.Equal(["Payment", "AccountingTransaction", "SignatureRequest"], dev.Tables.Where(t => t.IsEstimate).Select(t => t.Name));
    }

    [Fact]
    public void Aba_routing_numbers_have_valid_check_digits()
    {
        var rng = new Rng(1);
        for (var i = 0; i < 1000; i++)
            Assert.True(FundCatalog.IsValidAba(FundCatalog.AbaRouting(ref rng)));
        Assert.True(FundCatalog.IsValidAba("021000021")); // JPMorgan Chase, a known-good number
        Assert.False(FundCatalog.IsValidAba("021000022"));
    }

    [Fact]
    public void Ids_are_cuid_shaped_and_stable()
    {
        var a = Ids.Cuid(Hashing.StreamSeed(42, "id:CapitalCall"), 17);
        Assert.Matches("^c[0-9a-z]{24}$", a);
        Assert.Equal(a, Ids.Cuid(Hashing.StreamSeed(42, "id:CapitalCall"), 17));
        Assert.NotEqual(a, Ids.Cuid(Hashing.StreamSeed(43, "id:CapitalCall"), 17));
        Assert.All(Personas.Users.Select(u => u.Id).Concat(Personas.Organizations.Select(o => o.Id)), id => Assert.Matches("^c[0-9a-z]{24}$", id));
    }

    [Fact]
    public void Ids_sort_in_the_order_rows_are_written()
    {
        var seed = Hashing.StreamSeed(42, "id:CapitalCall");
        ulong[] keys = [0, 1, 2, 35, 36, 37, 1_000, 16_000_000, 1UL << 40, (1UL << 40) + 50_000];
        var ids = keys.Select(k => Ids.Cuid(seed, k)).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.All(ids, id => Assert.Matches("^c[0-9a-z]{24}$", id));
        Assert.Equal(keys.Length, ids.Distinct().Count());
    }
}
