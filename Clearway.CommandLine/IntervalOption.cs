using System.CommandLine;
using Clearway.Data.Views;

namespace Clearway.CommandLine;

/// <summary>The refresh interval, <c>--every 30s|5m|1h|1d</c>: the views worker's schedule and <c>clearway refresh-views</c>'s loop.</summary>
public static class IntervalOption
{
    public const string Name = "--every";

    /// <summary>The worker's: always an interval, <see cref="RefreshInterval.Default"/> when left out.</summary>
    public static Option<TimeSpan> WithDefault()
    {
        var option = ClearwayOption.Typed(Name, $"How often to refresh: {RefreshInterval.Examples} [default: {RefreshInterval.Format(RefreshInterval.Default)}]", "interval", RefreshInterval.Parse);
        option.DefaultValueFactory = _ => RefreshInterval.Default;
        return option;
    }

    /// <summary>The CLI's: null (refresh once) when left out.</summary>
    public static Option<TimeSpan?> Optional() =>
        ClearwayOption.Typed<TimeSpan?>(Name, $"Keep refreshing at this interval until Ctrl+C, like the views worker: {RefreshInterval.Examples}", "interval", text => RefreshInterval.Parse(text));
}
