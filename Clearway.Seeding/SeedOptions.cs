using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Clearway.Seeding;

/// <summary>The three seed profiles (see <see cref="SeedPlan.For"/>).</summary>
public enum SeedProfile
{
    /// <summary>A few rows per table, for tests.</summary>
    Tiny,

    /// <summary>The default: a realistic RIA book, thousands of capital calls.</summary>
    Dev,

    /// <summary>At least 1,000,000 capital calls and everything else in proportion.</summary>
    Large,
}

/// <summary>
/// What to seed. Profile, scale, seed and as-of date fully determine the data (byte-identical tables);
/// <see cref="Reset"/> only says what to do with a database that already holds a different seed.
/// </summary>
public sealed record SeedOptions
{
    /// <summary>The seed used when none is given.</summary>
    public const int DefaultSeed = 42;

    /// <summary>Largest accepted <see cref="Scale"/>; anything above is treated as a typo.</summary>
    public const double MaxScale = 1000;

    public SeedProfile Profile { get; init; } = SeedProfile.Dev;

    public int Seed { get; init; } = DefaultSeed;

    /// <summary>Multiplies every count of the profile (clamped so each table keeps at least a few rows).</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>"Today" for the generated world: past-due calls are mostly paid, later ones pending. Defaults to today (UTC).</summary>
    public DateOnly AsOf { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>
    /// True when <see cref="AsOf"/> was not asked for but defaulted to today. Then a database seeded with the same
    /// recipe on another day counts as seeded (only its dates differ), so a restart tomorrow skips instead of
    /// refusing. Like <see cref="Reset"/>, not part of the fingerprint.
    /// </summary>
    public bool AsOfIsDefault { get; init; }

    /// <summary>Empty the 28 tables first (only in a database the seeder owns).</summary>
    public bool Reset { get; init; }

    /// <summary>
    /// Keep a different Clearway seed the database already holds (skip) instead of refusing: for hosts that seed
    /// with their defaults at every start (<c>clearway up</c> without seed options, the AppHost), so a seed chosen
    /// since (a reseed) survives a restart. <see cref="Reset"/> wins. Not part of the fingerprint.
    /// </summary>
    public bool KeepExisting { get; init; }

    /// <summary>
    /// Write the rows into the live database in one transaction (<see cref="SeedRunner"/>) instead of putting a clone of
    /// the recipe's template in its place: no session is ended, and no template is built. Not part of the fingerprint.
    /// </summary>
    public bool InPlace { get; init; }

    /// <summary>The options that determine the data, as one human-readable line (includes <see cref="SeedRunner.SeederVersion"/>).</summary>
    public string Canonical => string.Create(CultureInfo.InvariantCulture, $"{Recipe};as-of={AsOf:yyyy-MM-dd}");

    /// <summary><see cref="Canonical"/> without the as-of date: what the data is, apart from when "now" is.</summary>
    public string Recipe =>
        string.Create(CultureInfo.InvariantCulture, $"seeder={SeedRunner.SeederVersion};profile={ProfileName(Profile)};seed={Seed};scale={Scale:R}");

    /// <summary>
    /// A stable key for the generated data: the first 16 hex digits of SHA-256 over <see cref="Canonical"/>.
    /// Same fingerprint, same rows. <see cref="Reset"/> is not part of it.
    /// </summary>
    public string Fingerprint =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical)))[..16];

    /// <summary>Throws <see cref="SeedInputException"/> when the options make no sense.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Profile))
            throw new SeedInputException($"unknown profile '{Profile}' (expected tiny, dev or large)");
        CheckScale(Scale);
        if (AsOf.Year is < 2000 or > 2100)
            throw new SeedInputException($"as-of date {AsOf:yyyy-MM-dd} is out of range (2000-01-01 to 2100-12-31)");
        var calls = SeedPlan.For(Profile, Scale).CapitalCalls;
        if (calls > SeedPlan.MaxCapitalCalls)
            throw new SeedInputException(
                $"scale {Scale.ToString(CultureInfo.InvariantCulture)} on profile {ProfileName(Profile)} would plan {calls:N0} capital calls (at most {SeedPlan.MaxCapitalCalls:N0})");
    }

    /// <summary>
    /// Parses the textual form the worker and the CLI accept (null means "use the default"; empty is an error),
    /// then validates.
    /// </summary>
    /// <exception cref="SeedInputException">A value is empty, malformed or out of range; the message is one line naming it.</exception>
    public static SeedOptions Parse(string? profile, string? seed, string? scale, string? asOf, bool reset, DateOnly? today = null)
    {
        var options = new SeedOptions { Reset = reset, AsOf = today ?? DateOnly.FromDateTime(DateTime.UtcNow), AsOfIsDefault = asOf is null };
        if (profile is not null) options = options with { Profile = ParseProfile(profile) };
        if (seed is not null) options = options with { Seed = ParseSeed(seed) };
        if (scale is not null) options = options with { Scale = ParseScale(scale) };
        if (asOf is not null) options = options with { AsOf = ParseAsOf(asOf) };
        options.Validate();
        return options;
    }

    /// <summary>Parses tiny, dev or large (case-insensitive).</summary>
    public static SeedProfile ParseProfile(string profile) => NotEmpty(profile, "profile", "tiny, dev or large").Trim().ToLowerInvariant() switch
    {
        "tiny" => SeedProfile.Tiny,
        "dev" => SeedProfile.Dev,
        "large" => SeedProfile.Large,
        _ => throw new SeedInputException($"unknown profile '{profile}' (expected tiny, dev or large)"),
    };

    /// <summary>Parses a seed: any 32-bit integer.</summary>
    public static int ParseSeed(string seed) =>
        int.TryParse(NotEmpty(seed, "seed", "an integer").Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)
            ? s
            : throw new SeedInputException($"seed must be an integer (got '{seed}')");

    /// <summary>Parses a scale and checks its range (what it plans for a profile is checked by <see cref="Validate"/>).</summary>
    public static double ParseScale(string scale)
    {
        if (!double.TryParse(NotEmpty(scale, "scale", "a number greater than 0").Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x))
            throw new SeedInputException($"scale must be a number greater than 0 (got '{scale}')");
        CheckScale(x);
        return x;
    }

    private static void CheckScale(double scale)
    {
        if (double.IsNaN(scale) || double.IsInfinity(scale) || scale <= 0)
            throw new SeedInputException($"scale must be a number greater than 0 (got {scale.ToString(CultureInfo.InvariantCulture)})");
        if (scale > MaxScale)
            throw new SeedInputException($"scale {scale.ToString(CultureInfo.InvariantCulture)} is absurd (at most {MaxScale.ToString(CultureInfo.InvariantCulture)})");
    }

    /// <summary>Parses an as-of date written YYYY-MM-DD.</summary>
    public static DateOnly ParseAsOf(string asOf) =>
        DateOnly.TryParseExact(NotEmpty(asOf, "as-of", "a date written YYYY-MM-DD").Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new SeedInputException($"as-of must be a date written YYYY-MM-DD (got '{asOf}')");

    private static string NotEmpty(string value, string name, string expected) =>
        string.IsNullOrWhiteSpace(value) ? throw new SeedInputException($"{name} is empty (expected {expected}; leave it out for the default)") : value;

    /// <summary>The lower-case name of a profile as the CLI spells it.</summary>
    public static string ProfileName(SeedProfile profile) => profile.ToString().ToLowerInvariant();

    public override string ToString() => Canonical + (Reset ? ";reset" : "");
}
