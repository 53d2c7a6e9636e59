using System.Text;

namespace Clearway.Seeding.Generation;

/// <summary>Stable hashing (never <see cref="string.GetHashCode()"/>, which is randomised per process).</summary>
internal static class Hashing
{
    /// <summary>SplitMix64 finaliser: a bijective 64-bit mix.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>64-bit FNV-1a over the UTF-8 bytes of a name.</summary>
    public static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }
        return hash;
    }

    /// <summary>The seed of one stream (a table, or an entity's attribute family) in a run.</summary>
    public static ulong StreamSeed(int runSeed, string stream) => Mix(Fnv1a(stream) ^ Mix((ulong)(uint)runSeed));

    public static ulong Combine(ulong a, ulong b) => Mix(a ^ Mix(b + 0x632BE59BD9B4E019UL));
}

/// <summary>A small, fast, deterministic random generator (SplitMix64). One per entity or per table.</summary>
internal struct Rng(ulong seed)
{
    private ulong _state = seed;

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, maxExclusive).</summary>
    public int Next(int min, int maxExclusive) => min + (int)(NextULong() % (ulong)(maxExclusive - min));

    public int Next(int maxExclusive) => Next(0, maxExclusive);

    public long NextLong(long min, long maxExclusive) => min + (long)(NextULong() % (ulong)(maxExclusive - min));

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(T[] items) => items[Next(items.Length)];

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Standard normal (Box-Muller).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Log-normal with the given median and shape (heavy right tail).</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * NextGaussian());

    /// <summary>Lower-case hex of the given length.</summary>
    public string Hex(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i += 16)
        {
            var v = NextULong();
            for (var j = 0; j < 16 && i + j < length; j++, v >>= 4)
                chars[i + j] = "0123456789abcdef"[(int)(v & 0xF)];
        }
        return new string(chars);
    }

    /// <summary>Lower-case base-36 of the given length.</summary>
    public string Base36(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
            chars[i] = Ids.Alphabet[(int)(NextULong() % 36)];
        return new string(chars);
    }

    public string Digits(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
            chars[i] = (char)('0' + (int)(NextULong() % 10));
        return new string(chars);
    }
}

/// <summary>
/// Deterministic CUID-shaped ids: 'c', 8 base-36 characters of the row's key, 16 of a hash of run seed, table and
/// key. Like a real CUID, whose first characters are its creation time, ids sort in the order rows are written
/// (every table is generated in key order), so the primary and unique keys kept during the COPY are appended at
/// the right of their btrees instead of at random pages: measured 4.1 s against 19.8 s for a million rows under a
/// text primary key and a unique key.
/// </summary>
internal static class Ids
{
    public const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>The id of row <paramref name="key"/> of a table in this run: a pure function, so any table can name it.</summary>
    public static string Cuid(ulong tableSeed, ulong key)
    {
        var a = Hashing.Combine(tableSeed, key);
        var b = Hashing.Mix(a ^ 0xD1B54A32D192ED03UL);
        return string.Create(25, (key, a, b), static (span, s) =>
        {
            span[0] = 'c';
            var (k, x, y) = s;
            // Keys stay below 36^8 (2.8e12; the largest is 2^40 + orphan documents), so the prefix is the key itself.
            for (var i = 8; i >= 1; i--, k /= 36)
                span[i] = Alphabet[(int)(k % 36)];
            for (var i = 9; i <= 20; i++, x /= 36)
                span[i] = Alphabet[(int)(x % 36)];
            for (var i = 21; i <= 24; i++, y /= 36)
                span[i] = Alphabet[(int)(y % 36)];
        });
    }
}
