using System.CommandLine;
using System.Globalization;
using Clearway.Seeding;

namespace Clearway.Seeder;

/// <summary>What the command line asked for: the <c>Seeder:*</c> values it sets, and the arguments left for the host.</summary>
internal sealed record SeederArguments(IReadOnlyDictionary<string, string?> Settings, IReadOnlyList<string> HostArguments);

/// <summary>
/// The worker's command line (System.CommandLine): <c>--profile tiny|dev|large --seed N --scale X --as-of YYYY-MM-DD
/// --reset</c>, each typed and checked by the parser with the seeder's own messages, mapped onto the configuration
/// keys <c>Seeder:Profile</c>, <c>Seeder:Seed</c>, <c>Seeder:Scale</c>, <c>Seeder:AsOf</c>, <c>Seeder:Reset</c>.
/// Configuration keys (<c>--Section:Key value</c>) and the host's own switches pass through to the host.
/// </summary>
internal static class SeederCommandLine
{
    private static readonly string[] HostSwitches = ["--environment", "--applicationName", "--contentRoot"];

    private static readonly Option<SeedProfile> Profile = Typed("--profile", "Seed profile: tiny, dev or large [default: dev]", "tiny|dev|large", SeedOptions.ParseProfile);
    private static readonly Option<int> Seed = Typed("--seed", $"Seed value, any 32-bit integer [default: {SeedOptions.DefaultSeed}]", "N", SeedOptions.ParseSeed);
    private static readonly Option<double> Scale = Typed("--scale", $"Multiplies every row count of the profile, 0 < X <= {SeedOptions.MaxScale} [default: 1]", "X", SeedOptions.ParseScale);
    private static readonly Option<DateOnly> AsOf = Typed("--as-of", "\"Today\" of the generated data [default: today, UTC]", "YYYY-MM-DD", SeedOptions.ParseAsOf, "--asof");
    private static readonly Option<bool> Reset = new("--reset") { Description = "Replace a different seed written earlier by the seeder" };
    private static readonly Option<bool> KeepExisting = new("--keep-existing") { Description = "Keep a different seed written earlier by the seeder (skip) instead of refusing" };

    public static RootCommand Command { get; } = new(
        "Seeds the Clearway database (ConnectionStrings__clearway): skipped when it already holds exactly this seed.\n" +
        "Any --Section:Key value sets configuration (Seeder:Profile, Seeder:Seed, ...).\n" +
        "Exit codes: 0 seeded or skipped, 1 failure, 2 bad input or refusal (nothing written).")
    {
        Profile, Seed, Scale, AsOf, Reset, KeepExisting,
    };

    static SeederCommandLine() => Command.TreatUnmatchedTokensAsErrors = false;

    /// <summary>The arguments, or the one-line problem with them.</summary>
    public static (SeederArguments? Arguments, string? Error) Read(ParseResult result)
    {
        if (result.Errors.Count > 0)
            return (null, result.Errors[0].Message.TrimEnd('.'));

        var host = new List<string>();
        var unmatched = result.UnmatchedTokens;
        for (var i = 0; i < unmatched.Count; i++)
        {
            var token = unmatched[i];
            var name = token.Split('=', 2)[0];
            if (!name.StartsWith("--", StringComparison.Ordinal))
                return (null, $"unexpected argument '{token}'");
            if (!name.Contains(':', StringComparison.Ordinal) && !HostSwitches.Contains(name, StringComparer.OrdinalIgnoreCase))
                return (null, $"unknown option '{name}'");
            host.Add(token);
            if (!token.Contains('=', StringComparison.Ordinal))
            {
                if (i + 1 >= unmatched.Count || unmatched[i + 1].StartsWith("--", StringComparison.Ordinal))
                    return (null, $"option '{name}' needs a value");
                host.Add(unmatched[++i]);
            }
        }

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (result.GetResult(Profile) is not null) settings["Seeder:Profile"] = SeedOptions.ProfileName(result.GetValue(Profile));
        if (result.GetResult(Seed) is not null) settings["Seeder:Seed"] = result.GetValue(Seed).ToString(CultureInfo.InvariantCulture);
        if (result.GetResult(Scale) is not null) settings["Seeder:Scale"] = result.GetValue(Scale).ToString("R", CultureInfo.InvariantCulture);
        if (result.GetResult(AsOf) is not null) settings["Seeder:AsOf"] = result.GetValue(AsOf).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (result.GetValue(Reset)) settings["Seeder:Reset"] = "true";
        if (result.GetValue(KeepExisting)) settings["Seeder:KeepExisting"] = "true";
        return (new SeederArguments(settings, host), null);
    }

    /// <summary>An option whose value the seeder's own parser reads, so the message for a bad value is the seeder's.</summary>
    private static Option<T> Typed<T>(string name, string description, string helpName, Func<string, T> parse, params string[] aliases)
    {
        var option = new Option<T>(name, aliases)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = argument =>
            {
                try
                {
                    return parse(argument.Tokens.Count == 1 ? argument.Tokens[0].Value : "");
                }
                catch (SeedInputException e)
                {
                    argument.AddError(e.Message);
                    return default;
                }
            },
        };
        return option;
    }
}
