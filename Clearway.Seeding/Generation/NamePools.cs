using Bogus;

namespace Clearway.Seeding.Generation;

/// <summary>
/// Person-name pools drawn once from Bogus's English locale with a fixed seed, sorted and restricted to
/// ASCII letters, so e-mail local parts are clean and every index maps to the same name in every run.
/// </summary>
internal static class NamePools
{
    private static readonly Lazy<(string[] First, string[] Last)> Pools = new(Build);

    public static string[] FirstNames => Pools.Value.First;
    public static string[] LastNames => Pools.Value.Last;

    private static (string[], string[]) Build()
    {
        var faker = new Faker("en") { Random = new Randomizer(20_240_101) };
        var first = new SortedSet<string>(StringComparer.Ordinal);
        var last = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++)
        {
            var f = faker.Name.FirstName();
            if (f.Length is > 1 and < 14 && f.All(char.IsAsciiLetter)) first.Add(f);
            var l = faker.Name.LastName();
            if (l.Length is > 1 and < 16 && l.All(char.IsAsciiLetter)) last.Add(l);
        }
        return ([.. first], [.. last]);
    }
}
