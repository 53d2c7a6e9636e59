namespace Clearway.Benchmarks;

/// <summary>Order statistics of measured samples, interpolated between ranks (as the fixture benchmark reports them).</summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="p"/>-th percentile (0 to 1) of <paramref name="samples"/>, in any order.</summary>
    public static double Of(IEnumerable<double> samples, double p)
    {
        var sorted = samples.Order().ToList();
        if (sorted.Count == 0)
            throw new ArgumentException("no samples to take a percentile of", nameof(samples));
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    public static double Median(IEnumerable<double> samples) => Of(samples, 0.5);
}
