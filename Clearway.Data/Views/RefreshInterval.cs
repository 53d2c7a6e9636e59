using System.Globalization;

namespace Clearway.Data.Views;

/// <summary>How often the views are refreshed, written the way people say it: <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>.</summary>
public static class RefreshInterval
{
    /// <summary>The app's own schedule (the migration status document: both views, concurrently, every hour).</summary>
    public static readonly TimeSpan Default = TimeSpan.FromHours(1);

    /// <summary>Shortest accepted interval: below it a refresh could not finish before the next one.</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest accepted interval. The schedule's timer (<see cref="PeriodicTimer"/>) cannot wait longer than about
    /// 49.7 days; a month is as long as a refresh schedule of a dev database sensibly gets.
    /// </summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(30);

    /// <summary>The accepted forms, for help texts.</summary>
    public const string Examples = "30s, 5m, 1h, 1d (1s to 30d)";

    /// <summary>Parses a whole number followed by s, m, h or d, from <see cref="Minimum"/> to <see cref="Maximum"/>.</summary>
    /// <exception cref="FormatException">One line naming the value and the expected form.</exception>
    public static TimeSpan Parse(string? text)
    {
        var value = text?.Trim() ?? "";
        if (value.Length < 2 || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            throw Invalid(text);
        var unit = char.ToLowerInvariant(value[^1]) switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            _ => throw Invalid(text),
        };
        // Compared before multiplying: 99999999999d would overflow TimeSpan.
        if (amount > Maximum.Ticks / unit.Ticks)
            throw new FormatException($"the refresh interval '{text}' is longer than the longest allowed, {Format(Maximum)}; give at most {Format(Maximum)}");
        var interval = TimeSpan.FromTicks(amount * unit.Ticks);
        return interval >= Minimum ? interval : throw Invalid(text);
    }

    /// <summary>The shortest way to write <paramref name="interval"/> that <see cref="Parse"/> reads back.</summary>
    public static string Format(TimeSpan interval) =>
        interval.TotalDays is var d && d == Math.Floor(d) && d >= 1 ? $"{d:0}d"
        : interval.TotalHours is var h && h == Math.Floor(h) && h >= 1 ? $"{h:0}h"
        : interval.TotalMinutes is var m && m == Math.Floor(m) && m >= 1 ? $"{m:0}m"
        : $"{interval.TotalSeconds:0}s";

    private static FormatException Invalid(string? text) =>
        new($"the refresh interval '{text}' is not a whole number of seconds, minutes, hours or days from 1s to {Format(Maximum)}, like 30s, 5m or 1h");
}
