namespace Clearway.Seeding.Generation;

/// <summary>A fund-administrator platform of the registry table (FundAdministrator).</summary>
internal sealed record AdministratorInfo(string Name, string Slug, string? Code, bool IsActive);

/// <summary>A fund as the seeded world knows it: the FundMapping row plus its wire instructions.</summary>
internal readonly record struct FundInfo(
    int Index, string Name, string Code, string Administrator, string FundType, int Vintage, string Currency,
    string BankName, string RoutingNumber, string AccountNumber);

/// <summary>Real-market reference data (administrators, sponsors, strategies, banks) and the pure fund generator.</summary>
internal static class FundCatalog
{
    /// <summary>The fund-administrator market; <see cref="AdministratorInfo.Code"/> is the connection code where Clearway integrates.</summary>
    public static IReadOnlyList<AdministratorInfo> Administrators { get; } =
    [
        new("SS&C Technologies", "ssc-technologies", "SSC_GENEVA", true),
        new("Citco Fund Services", "citco", null, true),
        new("Alter Domus", "alter-domus", null, true),
        new("Carta", "carta", "CARTA", true),
        new("Juniper Square", "juniper-square", "JUNIPER_SQUARE", true),
        new("Altvia Solutions", "altvia", "ALTVIA", true),
        new("Allvue Systems", "allvue", "ALLVUE", true),
        new("Apex Group", "apex-group", null, true),
        new("Gen II Fund Services", "gen-ii", null, false),
    ];

    private static readonly (string Name, string Code)[] Sponsors =
    [
        ("Apollo", "APO"), ("Blackstone", "BX"), ("KKR", "KKR"), ("Carlyle", "CG"), ("TPG", "TPG"),
        ("Vista Equity", "VEP"), ("Thoma Bravo", "TB"), ("Warburg Pincus", "WP"), ("Bain Capital", "BC"), ("Advent", "ADV"),
        ("EQT", "EQT"), ("CVC", "CVC"), ("Permira", "PER"), ("Hellman & Friedman", "HF"), ("Silver Lake", "SLP"),
        ("Insight Partners", "INS"), ("General Atlantic", "GA"), ("Ares", "ARES"), ("Blue Owl", "OWL"), ("Brookfield", "BAM"),
        ("Starwood", "STW"), ("Oaktree", "OAK"), ("HPS", "HPS"), ("Golub", "GOL"), ("Stonepeak", "STP"),
        ("Andreessen Horowitz", "A16Z"), ("Accel", "ACC"), ("Lightspeed", "LSV"), ("Index Ventures", "IDX"), ("Clayton Dubilier & Rice", "CDR"),
        ("Leonard Green", "LGP"), ("Genstar", "GEN"), ("Hg", "HG"), ("Cinven", "CIN"), ("Ardian", "ARD"),
        ("Partners Group", "PG"), ("StepStone", "STEP"), ("Hamilton Lane", "HL"), ("Neuberger Berman", "NB"), ("Francisco Partners", "FP"),
    ];

    private static readonly (string Name, string Code, string Type)[] Strategies =
    [
        ("Buyout", "BO", "PRIVATE_EQUITY"), ("Growth Equity", "GE", "GROWTH_EQUITY"), ("Venture", "VC", "VENTURE_CAPITAL"),
        ("Credit Opportunities", "CO", "PRIVATE_CREDIT"), ("Direct Lending", "DL", "PRIVATE_CREDIT"), ("Real Estate", "RE", "REAL_ESTATE"),
        ("Infrastructure", "IN", "INFRASTRUCTURE"), ("Secondaries", "SE", "SECONDARIES"), ("Global Impact", "GI", "PRIVATE_EQUITY"),
        ("Technology", "TE", "PRIVATE_EQUITY"), ("Healthcare", "HC", "PRIVATE_EQUITY"), ("Energy Transition", "ET", "INFRASTRUCTURE"),
    ];

    private static readonly string[] Numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

    public static readonly string[] Banks =
    [
        "JPMorgan Chase Bank", "Bank of America", "Wells Fargo Bank", "Citibank", "Goldman Sachs Bank USA", "Morgan Stanley Bank",
        "BNY Mellon", "State Street Bank and Trust", "Northern Trust", "U.S. Bank", "HSBC Bank USA", "Barclays Bank",
    ];

    public static int MaxFunds => Sponsors.Length * Strategies.Length * Numerals.Length;

    /// <summary>Fund <paramref name="index"/> of a run: unique name and code, administrator by index (code f % 5).</summary>
    public static FundInfo Fund(SeedWorld world, int index)
    {
        var rng = world.RngFor("fund", (ulong)index);
        var combo = world.Permute("fund-combo", index, MaxFunds);
        var sponsor = Sponsors[combo % Sponsors.Length];
        var strategy = Strategies[combo / Sponsors.Length % Strategies.Length];
        var numeral = Numerals[combo / (Sponsors.Length * Strategies.Length)];
        var r = rng.NextDouble();
        var currency = r < 0.85 ? "USD" : r < 0.95 ? "EUR" : "GBP";
        return new FundInfo(
            index,
            $"{sponsor.Name} {strategy.Name} Fund {numeral}",
            $"{sponsor.Code}-{strategy.Code}{numeral}",
            Structure.AdminCodes[index % Structure.AdminCodes.Length],
            strategy.Type,
            world.AsOf.Year - rng.Next(0, 10),
            currency,
            rng.Pick(Banks),
            AbaRouting(ref rng),
            "XXXXX" + rng.Digits(4));
    }

    /// <summary>A nine-digit ABA routing number with a valid check digit: 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10).</summary>
    public static string AbaRouting(ref Rng rng)
    {
        Span<int> d = stackalloc int[9];
        var district = rng.Next(1, 13); // Federal Reserve districts 01-12
        d[0] = district / 10;
        d[1] = district % 10;
        for (var i = 2; i < 8; i++) d[i] = rng.Next(10);
        var sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5]);
        d[8] = (10 - sum % 10) % 10;
        Span<char> chars = stackalloc char[9];
        for (var i = 0; i < 9; i++) chars[i] = (char)('0' + d[i]);
        return new string(chars);
    }

    public static bool IsValidAba(string routing)
    {
        if (routing.Length != 9 || !routing.All(char.IsAsciiDigit)) return false;
        int D(int i) => routing[i] - '0';
        return (3 * (D(0) + D(3) + D(6)) + 7 * (D(1) + D(4) + D(7)) + D(2) + D(5) + D(8)) % 10 == 0;
    }
}
