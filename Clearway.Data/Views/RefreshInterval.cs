using System.Globalization;

namespace Clearway.Data.Views;

/// <summary>How often the views are refreshed, written the way people say it: <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>.</summary>
public static class RefreshInterval
{
    /// <summary>The app's own schedule (the migration status document: both views, concurrently, every hour).</summary>
    public static readonly TimeSpan Default = TimeSpan.FromHours(1);

    /// <summary>Shortest accepted interval: below it a refresh could not finish before the next one.</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(1);

    /// <summary>Parses a whole number followed by s, m, h or d.</summary>
    /// <exception cref="FormatException">One line naming the value and the expected form.</exception>
    public static TimeSpan Parse(string? text)
    {
        var value = text?.Trim() ?? "";
        if (value.Length < 2 || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            throw Invalid(text);
        var interval = char.ToLowerInvariant(value[^1]) switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => throw Invalid(text),
        };
        return interval >= Minimum ? interval : throw Invalid(text);
    }

    /// <summary>The shortest way to write <paramref name="interval"/> that <see cref="Parse"/> reads back.</summary>
    public static string Format(TimeSpan interval) =>
        interval.TotalDays is var d && d == Math.Floor(d) && d >= 1 ? $"{d:0}d"
        : interval.TotalHours is var h && h == Math.Floor(h) && h >= 1 ? $"{h:0}h"
        : interval.TotalMinutes is var m && m == Math.Floor(m) && m >= 1 ? $"{m:0}m"
        : $"{interval.TotalSeconds:0}s";

    private static FormatException Invalid(string? text) =>
        new($"the refresh interval '{text}' is not a whole number of seconds, minutes, hours or days of at least 1s, like 30s, 5m or 1h");
}
