namespace Clearway.Seeding.Generation;

/// <summary>Time helpers: every value is Kind Unspecified (UTC by convention) at millisecond precision (SCHEMA.md D1).</summary>
internal static class Time
{
    public static DateTime Ms(DateTime value) =>
        DateTime.SpecifyKind(new DateTime(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Unspecified);

    public static DateTime Date(DateOnly date) => DateTime.SpecifyKind(date.ToDateTime(TimeOnly.MinValue), DateTimeKind.Unspecified);

    /// <summary>A random offset in [minDays, maxDays) days, whole milliseconds.</summary>
    public static TimeSpan Days(ref Rng rng, double minDays, double maxDays) =>
        TimeSpan.FromMilliseconds(Math.Floor((minDays + rng.NextDouble() * (maxDays - minDays)) * 86_400_000d));

    public static TimeSpan Minutes(ref Rng rng, double min, double max) =>
        TimeSpan.FromMilliseconds(Math.Floor((min + rng.NextDouble() * (max - min)) * 60_000d));

    /// <summary>A moment within business hours (08:00-19:00) of the given day.</summary>
    public static DateTime BusinessHoursOn(DateTime day, ref Rng rng) =>
        day.Date.AddMilliseconds(Math.Floor((8 + rng.NextDouble() * 11) * 3_600_000d));

    public static DateTime AddBusinessDays(DateTime day, int businessDays)
    {
        var d = day.Date;
        while (businessDays > 0)
        {
            d = d.AddDays(1);
            if (d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday) businessDays--;
        }
        return d;
    }

    public static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
    public static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
