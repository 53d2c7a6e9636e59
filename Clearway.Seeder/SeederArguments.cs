using Clearway.Seeding;

namespace Clearway.Seeder;

/// <summary>
/// The worker's command line: <c>--profile tiny|dev|large --seed N --scale X --as-of YYYY-MM-DD --reset</c>,
/// mapped onto the configuration keys <c>Seeder:Profile</c>, <c>Seeder:Seed</c>, <c>Seeder:Scale</c>,
/// <c>Seeder:AsOf</c>, <c>Seeder:Reset</c>. Any <c>--Section:Key value</c> (or <c>=value</c>) passes through as configuration.
/// </summary>
internal static class SeederArguments
{
    private static readonly Dictionary<string, string> Switches = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--profile"] = "Seeder:Profile",
        ["--seed"] = "Seeder:Seed",
        ["--scale"] = "Seeder:Scale",
        ["--as-of"] = "Seeder:AsOf",
        ["--asof"] = "Seeder:AsOf",
        ["--reset"] = "Seeder:Reset",
    };

    /// <exception cref="SeedInputException">An unknown option or a missing value.</exception>
    public static Dictionary<string, string?> Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string name;
            string? value = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) (name, value) = (arg[..eq], arg[(eq + 1)..]);
            else name = arg;

            if (!name.StartsWith("--", StringComparison.Ordinal))
                throw new SeedInputException($"unexpected argument '{arg}' (usage: [--profile tiny|dev|large] [--seed N] [--scale X] [--as-of YYYY-MM-DD] [--reset])");

            string key;
            if (Switches.TryGetValue(name, out var mapped)) key = mapped;
            else if (name.Contains(':', StringComparison.Ordinal)) key = name[2..];
            else throw new SeedInputException($"unknown option '{name}' (usage: [--profile tiny|dev|large] [--seed N] [--scale X] [--as-of YYYY-MM-DD] [--reset])");

            if (value is null)
            {
                if (key == "Seeder:Reset" && (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)))
                    value = "true";
                else if (i + 1 < args.Count)
                    value = args[++i];
                else
                    throw new SeedInputException($"option '{name}' needs a value");
            }
            values[key] = value;
        }
        return values;
    }

    /// <summary>Parses <c>Seeder:Reset</c>: absent or false is false, true is true, anything else is bad input.</summary>
    public static bool ParseReset(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "false" or "0" or "no" => false,
        "true" or "1" or "yes" => true,
        _ => throw new SeedInputException($"reset must be true or false (got '{value}')"),
    };
}
