using GeoRisk.Core.Access;
using GeoRisk.Core.Scans;

namespace GeoRisk.Reports.Scans;

/// <summary>A count as shown: null when suppressed.</summary>
public sealed record ShownCount(long? Value, bool Suppressed)
{
    /// <summary>
    /// A ratio proportional to this count (inversely proportional with <paramref name="inverse"/>), moved
    /// from the exact count to the published one. Suppressed callers get these: the exact ratio, even
    /// rounded, would tell apart the exact counts that one published (rounded) count stands for. Null
    /// where the count is withheld or there is nothing to scale.
    /// </summary>
    public double? Rescale(double? ratio, long exactCount, bool inverse = false) =>
        ratio is null || Value is not { } published || exactCount <= 0 || (inverse && published == 0) ? null
        : inverse ? ratio.Value * exactCount / published : ratio.Value * published / exactCount;
}

public sealed record ScanRowView(
    int Rank, string Code, string Name, ShownCount SignalCount, ShownCount SourceCount,
    IReadOnlyDictionary<string, ShownCount> Counts, double Denominator, string DenominatorUnit,
    double? RatePerDenominator,
    double? RrParent, double? RrParentLow, double? RrParentHigh,
    double? RrRegion, double? RrRegionLow, double? RrRegionHigh,
    bool Kandidaat, int HotspotCells, bool NoData)
{
    /// <summary>Model rr-score-3: the area score's observed quantity and its expectations; exact, so never for suppressed callers.</summary>
    public ScanObserved? Observed { get; init; }
}

public sealed record ScanView(ScanHeader Scan, bool Suppressed, int SuppressionK, IReadOnlyList<string> Categories,
    IReadOnlyList<ScanRowView> Rows, IReadOnlyDictionary<string, ShownCount> ParentCounts, ShownCount ParentTotal);

/// <summary>
/// A stored scan as a caller may see it. Unsuppressed callers get the stored values. For
/// suppressed callers (viewers) every count goes through <see cref="Suppression.Publish"/> with the
/// key sum of what it counts (cell-key noise; below k: withheld; otherwise rounded to 5); rates and relative risks are computed from the rounded
/// count and shown to one decimal, and withheld with it, so that they do not give the exact count
/// back; a parent total per category is withheld when any sub-area's count in it is, so it cannot
/// be differenced back to the withheld cells.
/// </summary>
public static class ScanViews
{
    public static ScanView Create(Scan scan, CallerScope scope)
    {
        var categories = scan.Rows.SelectMany(r => r.Counts.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var rows = new List<ScanRowView>();
        foreach (var r in scan.Rows)
        {
            var total = Shown(r.SignalCount, r.Keys.Signals, scope);
            // Partners are a set of their own, with their own record keys.
            var sources = Shown(r.SourceCount, r.Keys.Sources, scope);
            var counts = categories.ToDictionary(c => c, c => Shown(r.Counts.GetValueOrDefault(c), r.Keys.Category(c), scope), StringComparer.Ordinal);
            if (!scope.Suppressed)
            {
                rows.Add(new ScanRowView(r.Rank, r.Code, r.Name, total, sources, counts, r.Denominator, r.DenominatorUnit,
                    r.Denominator > 0 ? r.SignalCount / r.Denominator : null,
                    r.RrParent, r.RrParentLow, r.RrParentHigh, r.RrRegion, r.RrRegionLow, r.RrRegionHigh,
                    r.Kandidaat, r.HotspotCells, r.NoData) { Observed = r.Observed });
                continue;
            }
            // Ratios from the rounded count; the interval's width relative to the estimate is kept.
            double? Scaled(double? v) => total.Rescale(v, r.SignalCount) is { } x ? Math.Round(x, 1) : null;
            rows.Add(new ScanRowView(r.Rank, r.Code, r.Name, total, sources, counts, r.Denominator, r.DenominatorUnit,
                total.Value is { } n && r.Denominator > 0 ? Math.Round(n / r.Denominator, 1) : null,
                Scaled(r.RrParent), Scaled(r.RrParentLow), Scaled(r.RrParentHigh),
                Scaled(r.RrRegion), Scaled(r.RrRegionLow), Scaled(r.RrRegionHigh),
                r.Kandidaat, r.HotspotCells, r.NoData));
        }

        var parentCounts = new Dictionary<string, ShownCount>(StringComparer.Ordinal);
        foreach (var c in categories)
        {
            var exact = scan.Rows.Sum(r => (long)r.Counts.GetValueOrDefault(c));
            parentCounts[c] = scope.Suppressed && rows.Any(r => r.Counts[c].Suppressed)
                ? new ShownCount(null, true) : Shown(exact, scan.Rows.Sum(r => r.Keys.Category(c)), scope);
        }
        var parentExact = scan.Rows.Sum(r => (long)r.SignalCount);
        var parentTotal = scope.Suppressed && rows.Any(r => r.SignalCount.Suppressed)
            ? new ShownCount(null, true) : Shown(parentExact, scan.Rows.Sum(r => r.Keys.Signals), scope);
        return new ScanView(scan.Header, scope.Suppressed, scope.SuppressionK, categories, rows, parentCounts, parentTotal);
    }

    private static ShownCount Shown(long n, long keySum, CallerScope scope)
    {
        var s = Suppression.Count(n, keySum, scope);
        return new ShownCount(s.Value, s.Suppressed);
    }
}
