using GeoRisk.Core.Scoring;

namespace GeoRisk.Core.Scans;

/// <summary>
/// The models a scan's rows can be computed with; the name is stored with every scan so that
/// <c>verify</c> recomputes with the same one.
/// <list type="bullet">
/// <item><c>rr-poisson-1</c>: RR = O / E on signal counts with Byar's 90 % interval (computed in SQL).</item>
/// <item><c>rr-poisson-gamma-2</c>: the v2 score's Poisson–Gamma posterior on the same counts
/// (<see cref="PoissonGamma"/>): RR is the posterior mean of Gamma(α + O, α + E), the interval its
/// 5 % and 95 % quantiles; α by the method of moments over the scan's sub-areas, once against the
/// parent's rate and once against the region's.</item>
/// </list>
/// </summary>
public static class ScanModel
{
    public const string Counts = ScanNames.Model;
    public const string PoissonGammaV2 = "rr-poisson-gamma-2";
    public static readonly IReadOnlyList<string> All = [Counts, PoissonGammaV2];

    private const double Level = 0.9;

    /// <summary>
    /// The rows of <see cref="PoissonGammaV2"/> from the counted rows (any model): relative risks and
    /// intervals replaced by the posterior, rank by the posterior mean against the parent, kandidaat
    /// when its lower bound exceeds 1 and the profile's minimum signals and sources hold.
    /// </summary>
    public static IReadOnlyList<ScanRow> ApplyPoissonGamma(IReadOnlyList<ScanRow> rows, double minSignals, double minSources)
    {
        var alphaParent = PoissonGamma.PriorShapeByMoments(rows.Where(r => r.ExpectedParent is > 0).Select(r => ((double)r.SignalCount, r.ExpectedParent!.Value)));
        var alphaRegion = PoissonGamma.PriorShapeByMoments(rows.Where(r => r.ExpectedRegion is > 0).Select(r => ((double)r.SignalCount, r.ExpectedRegion!.Value)));
        var posterior = rows.Select(r =>
        {
            var parent = r.ExpectedParent is > 0 ? PoissonGamma.Posterior(r.SignalCount, r.ExpectedParent.Value, alphaParent, Level) : null;
            var region = r.ExpectedRegion is > 0 ? PoissonGamma.Posterior(r.SignalCount, r.ExpectedRegion.Value, alphaRegion, Level) : null;
            return r with
            {
                RrParent = parent?.Mean, RrParentLow = parent?.Lower, RrParentHigh = parent?.Upper,
                RrRegion = region?.Mean, RrRegionLow = region?.Lower, RrRegionHigh = region?.Upper,
                Kandidaat = parent is not null && parent.Lower > 1 && r.SignalCount >= minSignals && r.SourceCount >= minSources,
            };
        }).ToList();
        // The same order as the SQL model: RR against the parent (missing last), then count, then code.
        var ranked = posterior.OrderByDescending(r => r.RrParent.HasValue).ThenByDescending(r => r.RrParent ?? 0)
            .ThenByDescending(r => r.SignalCount).ThenBy(r => r.Code, StringComparer.Ordinal).ToList();
        return ranked.Select((r, i) => r with { Rank = i + 1 }).OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether two computations of a row agree: counts, flags and rank exactly, relative risks to 1e-9 (relative).</summary>
    public static bool Identical(ScanRow stored, ScanRow fresh) =>
        stored.SignalCount == fresh.SignalCount && stored.SourceCount == fresh.SourceCount
        && stored.Counts.Count == fresh.Counts.Count && stored.Counts.All(c => fresh.Counts.TryGetValue(c.Key, out var n) && n == c.Value)
        && stored.Rank == fresh.Rank && stored.Kandidaat == fresh.Kandidaat && stored.HotspotCells == fresh.HotspotCells && stored.NoData == fresh.NoData
        && Close(stored.RrParent, fresh.RrParent) && Close(stored.RrRegion, fresh.RrRegion)
        && Close(stored.RrParentLow, fresh.RrParentLow) && Close(stored.RrParentHigh, fresh.RrParentHigh);

    private static bool Close(double? a, double? b) =>
        a is null || b is null ? a is null && b is null : Math.Abs(a.Value - b.Value) <= 1e-9 * Math.Max(1, Math.Abs(b.Value));
}
