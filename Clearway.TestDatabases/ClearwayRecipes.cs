using System.Globalization;
using System.Text.RegularExpressions;
using Clearway.Seeding;
using Clearway.States;

namespace Clearway.TestDatabases;

/// <summary>
/// Clearway's seeded recipes as templates any client can ask for by hash, with nothing to migrate or seed itself:
/// <c>clearway-tiny</c>, <c>clearway-dev</c>, <c>clearway-large</c> (seed 42, scale 1, as of 2026-01-15, as the .NET
/// fixture pins them), or in full <c>clearway-&lt;profile&gt;-&lt;seed&gt;-&lt;scale&gt;-&lt;yyyy-mm-dd&gt;</c>.
/// </summary>
public static partial class ClearwayRecipes
{
    public const string Prefix = "clearway-";

    /// <summary>The as-of date the short hashes pin (the data must not change with the calendar).</summary>
    public static readonly DateOnly PinnedAsOf = new(2026, 1, 15);

    [GeneratedRegex(@"^clearway-(?<profile>tiny|dev|large)(?:-(?<seed>-?\d{1,10})-(?<scale>\d+(?:\.\d+)?)-(?<asOf>\d{4}-\d{2}-\d{2}))?$")]
    private static partial Regex Pattern();

    /// <summary>The recipe a hash names; null when it is not one of Clearway's (a client's own template).</summary>
    /// <exception cref="SeedInputException">It looks like one but names a bad seed, scale or date.</exception>
    public static StateRecipe? Parse(string hash)
    {
        var match = Pattern().Match(hash);
        if (!match.Success)
            return null;
        var full = match.Groups["seed"].Success;
        return new StateRecipe(SeedOptions.Parse(match.Groups["profile"].Value,
            full ? match.Groups["seed"].Value : null,
            full ? match.Groups["scale"].Value : null,
            full ? match.Groups["asOf"].Value : PinnedAsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            reset: false));
    }
}
