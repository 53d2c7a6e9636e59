using System.Globalization;

namespace Clearway.Data.Views;

/// <summary>Rows in one materialized view after a refresh.</summary>
public sealed record ViewRows(string View, long Rows);

/// <summary>One refresh of both views: their row counts, how long it took, and whether it could run concurrently.</summary>
public sealed record ViewRefresh(IReadOnlyList<ViewRows> Views, TimeSpan Elapsed, bool Concurrently)
{
    /// <summary>One line, e.g. <c>monthly_call_summary 1,204 rows, fund_performance_summary 60 rows; concurrently in 41 ms</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(", ", Views.Select(v => $"{v.View} {v.Rows:N0} rows"))}; {(Concurrently ? "concurrently" : "first population, not concurrently")} in {Elapsed.TotalMilliseconds:0} ms");
}
