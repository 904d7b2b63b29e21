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
/// <item><c>rr-score-3</c>: the area score v2 itself (<see cref="RelativeRiskModel"/>) for the scan's
/// window: O = Σ weight · reliability · decay × corroboration; RR against the region is the area
/// score's posterior (so a buurt's scan RR equals its area score's RR); against the parent the same
/// Poisson–Gamma posterior of O with the parent's rate of O, α over the scan's sub-areas.</item>
/// </list>
/// </summary>
public static class ScanModel
{
    public const string Counts = ScanNames.Model;
    public const string PoissonGammaV2 = "rr-poisson-gamma-2";
    public const string ScoreV2 = "rr-score-3";
    public static readonly IReadOnlyList<string> All = [Counts, PoissonGammaV2, ScoreV2];

    /// <summary>Whether the model's relative risks are computed in C# on top of the counted rows (and verified there).</summary>
    public static bool InCode(string model) => model is PoissonGammaV2 or ScoreV2;

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
        return Ranked(posterior);
    }

    /// <summary>
    /// The rows of <see cref="ScoreV2"/>: <paramref name="scores"/> are the area scores (v2) of every
    /// area valid on the scan's last day for the scan's window and cut-off, by code. Against the region
    /// a row takes its area score's relative risk and interval as they are; against the parent, O is
    /// compared with the parent's rate of O (Σ O / Σ denominator over the sub-areas) times the row's
    /// denominator, with α by the method of moments over the sub-areas. Rank and kandidaat as
    /// <see cref="ApplyPoissonGamma"/>, on that posterior.
    /// </summary>
    public static IReadOnlyList<ScanRow> ApplyScore(IReadOnlyList<ScanRow> rows, IReadOnlyDictionary<string, RiskScore> scores,
        double minSignals, double minSources)
    {
        ArgumentNullException.ThrowIfNull(scores);
        // In code order, so that the sums (and α) do not depend on the order the rows came in.
        rows = [.. rows.OrderBy(r => r.Code, StringComparer.Ordinal)];
        double ObservedOf(ScanRow r) => scores.TryGetValue(r.Code, out var s) ? s.Observed : 0;
        var denominator = rows.Where(r => r.Denominator > 0).Sum(r => r.Denominator);
        var rate = denominator > 0 ? rows.Where(r => r.Denominator > 0).Sum(ObservedOf) / denominator : 0;
        double? ExpectedParent(ScanRow r) => rate > 0 && r.Denominator > 0 ? rate * r.Denominator : null;
        var alphaParent = PoissonGamma.PriorShapeByMoments(rows.Where(r => ExpectedParent(r) is not null).Select(r => (ObservedOf(r), ExpectedParent(r)!.Value)));
        var posterior = rows.Select(r =>
        {
            var score = scores.GetValueOrDefault(r.Code);
            var expected = ExpectedParent(r);
            var parent = expected is { } e ? PoissonGamma.Posterior(ObservedOf(r), e, alphaParent, Level) : null;
            var region = score?.RelativeRisk;
            return r with
            {
                RrParent = parent?.Mean, RrParentLow = parent?.Lower, RrParentHigh = parent?.Upper,
                RrRegion = region?.Mean, RrRegionLow = region?.Lower, RrRegionHigh = region?.Upper,
                Kandidaat = parent is not null && parent.Lower > 1 && r.SignalCount >= minSignals && r.SourceCount >= minSources,
                Observed = new ScanObserved(ObservedOf(r), expected, score?.Expected),
            };
        }).ToList();
        return Ranked(posterior);
    }

    /// <summary>The same order as the SQL model: RR against the parent (missing last), then count, then code; returned by code.</summary>
    private static List<ScanRow> Ranked(List<ScanRow> rows)
    {
        var ranked = rows.OrderByDescending(r => r.RrParent.HasValue).ThenByDescending(r => r.RrParent ?? 0)
            .ThenByDescending(r => r.SignalCount).ThenBy(r => r.Code, StringComparer.Ordinal).ToList();
        return ranked.Select((r, i) => r with { Rank = i + 1 }).OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether two computations of a row agree: counts, flags and rank exactly, relative risks to 1e-9 (relative).</summary>
    public static bool Identical(ScanRow stored, ScanRow fresh) =>
        stored.SignalCount == fresh.SignalCount && stored.SourceCount == fresh.SourceCount
        && stored.Counts.Count == fresh.Counts.Count && stored.Counts.All(c => fresh.Counts.TryGetValue(c.Key, out var n) && n == c.Value)
        && stored.Rank == fresh.Rank && stored.Kandidaat == fresh.Kandidaat && stored.HotspotCells == fresh.HotspotCells && stored.NoData == fresh.NoData
        && Close(stored.RrParent, fresh.RrParent) && Close(stored.RrRegion, fresh.RrRegion)
        && Close(stored.RrParentLow, fresh.RrParentLow) && Close(stored.RrParentHigh, fresh.RrParentHigh)
        && (stored.Observed is null ? fresh.Observed is null
            : fresh.Observed is not null && Close(stored.Observed.Observed, fresh.Observed.Observed)
              && Close(stored.Observed.ExpectedParent, fresh.Observed.ExpectedParent) && Close(stored.Observed.ExpectedRegion, fresh.Observed.ExpectedRegion));

    private static bool Close(double? a, double? b) =>
        a is null || b is null ? a is null && b is null : Math.Abs(a.Value - b.Value) <= 1e-9 * Math.Max(1, Math.Abs(b.Value));
}
