using System.CommandLine;
using Clearway.Seeding;

namespace Clearway.CommandLine;

/// <summary>
/// The seed options every host takes (the seeder worker, <c>clearway up|seed|reset</c>; the AppHost's Reseed… dialog
/// uses <see cref="Descriptions"/> and the same parsers): <c>--profile --seed --scale --as-of</c>, each typed and
/// read by <see cref="SeedOptions"/>' own parser.
/// </summary>
public sealed class SeedOptionSet
{
    /// <summary>What each seed option means, in the words of the help and of the dashboard's dialog.</summary>
    public static class Descriptions
    {
        public const string Profile = "Seed profile: tiny (~700 rows, tests), dev (~28,000 rows) or large (~7 million rows)";
        public static readonly string Seed = $"Seed value, any 32-bit integer: the same seed gives the same data";
        public static readonly string Scale = $"Multiplies every row count of the profile, 0 < X <= {SeedOptions.MaxScale}";
        public const string AsOf = "\"Today\" of the generated data, YYYY-MM-DD";
    }

    public Option<SeedProfile> Profile { get; } = ClearwayOption.Typed("--profile", Descriptions.Profile + " [default: dev]", "tiny|dev|large", SeedOptions.ParseProfile);

    public Option<int> Seed { get; } = ClearwayOption.Typed("--seed", Descriptions.Seed + $" [default: {SeedOptions.DefaultSeed}]", "N", SeedOptions.ParseSeed);

    public Option<double> Scale { get; } = ClearwayOption.Typed("--scale", Descriptions.Scale + " [default: 1]", "X", SeedOptions.ParseScale);

    public Option<DateOnly> AsOf { get; } = ClearwayOption.Typed("--as-of", Descriptions.AsOf + " [default: today, UTC]", "YYYY-MM-DD", SeedOptions.ParseAsOf, "--asof");

    /// <summary>The four options, to add to a command.</summary>
    public IEnumerable<Option> All => [Profile, Seed, Scale, AsOf];

    /// <summary>True when any of the four was given (then it is a seed asked for, not a host's default).</summary>
    public bool AnyGiven(ParseResult result) => All.Any(o => result.GetResult(o) is not null);

    /// <summary>Sets on <paramref name="target"/> the values given on the command line, leaving the others as they are.</summary>
    public void ApplyTo(ParseResult result, SeederOptions target)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(target);
        if (result.GetResult(Profile) is not null) target.Profile = result.GetValue(Profile);
        if (result.GetResult(Seed) is not null) target.Seed = result.GetValue(Seed);
        if (result.GetResult(Scale) is not null) target.Scale = result.GetValue(Scale);
        if (result.GetResult(AsOf) is not null) target.AsOf = result.GetValue(AsOf);
    }

    /// <summary>The seed the command line asks for (defaults for what it leaves out), validated.</summary>
    /// <exception cref="SeedInputException">The combination makes no sense (e.g. a scale too large for the profile).</exception>
    public SeedOptions Read(ParseResult result)
    {
        var options = new SeederOptions();
        ApplyTo(result, options);
        return options.ToSeedOptions();
    }
}

/// <summary>What to do with a database that holds another seed: <c>--reset</c> replaces it, <c>--keep-existing</c> keeps it.</summary>
public sealed class SeedModeOptions
{
    public Option<bool> Reset { get; } = ClearwayOption.Flag("--reset", "Replace a different seed written earlier by the seeder");

    public Option<bool> KeepExisting { get; } = ClearwayOption.Flag("--keep-existing", "Keep a different seed written earlier by the seeder (skip) instead of refusing");

    public Option<bool> InPlace { get; } = ClearwayOption.Flag("--in-place",
        "Write the rows into the live database in one transaction (no session ended, no template built) instead of putting the recipe's template in its place");

    /// <summary>Sets on <paramref name="target"/> the seed options and the mode given on the command line.</summary>
    public void ApplyTo(ParseResult result, SeedOptionSet seed, SeederOptions target)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(target);
        seed.ApplyTo(result, target);
        if (result.GetValue(Reset)) target.Reset = true;
        if (result.GetValue(KeepExisting)) target.KeepExisting = true;
        if (result.GetValue(InPlace)) target.InPlace = true;
    }

    /// <summary>Adds both to <paramref name="command"/>, which then refuses them together.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Reset);
        command.Options.Add(KeepExisting);
        command.Options.Add(InPlace);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Reset) && result.GetValue(KeepExisting))
                result.AddError("--reset and --keep-existing contradict each other (replace the existing seed, or keep it): choose one");
        });
    }
}
