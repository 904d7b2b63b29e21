using System.Globalization;

namespace GeoRisk.Core.Scoring;

/// <summary>One area to score: its kind and the denominator its rates are divided by.</summary>
/// <param name="Denominator">km² of the area, or its exposure in thousands of units (see <see cref="RiskModel.Denominator"/>).</param>
public sealed record AreaInput(string Code, string Kind, double Denominator);

/// <summary>One signal inside an area's window: age in days at the reference instant.</summary>
public sealed record SignalInput(string AreaCode, string Category, string Source, double Reliability, double AgeDays);

/// <summary>Whether one threshold of the kandidaat flag passed, and with which values.</summary>
public sealed record ThresholdCheck(string Threshold, double Required, double Actual, bool Passed);

/// <summary>The explained score of one area: components add up to <see cref="Raw"/>.</summary>
public sealed record AreaScore(
    string Code,
    string Kind,
    double Score,
    double Raw,
    IReadOnlyDictionary<string, double> Components,
    int SignalCount,
    int SourceCount,
    double Corroboration,
    double ShrinkageWeight,
    bool Kandidaat,
    IReadOnlyList<ThresholdCheck> Reasons);

/// <summary>
/// The risk model of docs/scoring.md, as a pure reference implementation (the SQL in
/// GeoRisk.Data/Scoring does the same set-based; integration tests compare the two):
/// <list type="bullet">
/// <item>decayed intensity per category: e_c(a) = Σ reliability · 2^(−age / half_life) / denominator(a)</item>
/// <item>corroboration(a) = 1 + factor · (distinct sources − 1), at least 1</item>
/// <item>weighted rate W(a) = Σ_c weight_c · e_c(a); with shrinkage the Empirical-Bayes estimate
///   W*(a) = C(a)·W(a) + (1 − C(a))·m_kind (Marshall 1991, global method of moments), applied per
///   category with the kind's category means so the components still add up</item>
/// <item>raw(a) = corroboration(a) · Σ_c component_c; score = percentile of raw among the kind</item>
/// </list>
/// </summary>
public static class RiskModel
{
    /// <summary>Weight of a signal of this age: 1 when new, ½ at one half-life.</summary>
    public static double Decay(double ageDays, double halfLifeDays) => Math.Pow(2.0, -ageDays / halfLifeDays);

    public static double Corroboration(int sources, double factor) => 1.0 + factor * Math.Max(0, sources - 1);

    /// <summary>
    /// The denominator of an area's rates: km², or thousands of exposure units when
    /// <paramref name="useExposure"/> (normalisation 'exposure', or 'auto' with every area of the kind having one).
    /// </summary>
    public static double Denominator(double areaKm2, double? exposure, bool useExposure) =>
        useExposure && exposure is > 0 ? exposure.Value / 1000.0 : areaKm2;

    /// <summary>Raw values are compared and stored at 12 significant digits, so ties do not depend on summation order.</summary>
    public static double Canonical(double value) =>
        value == 0 || double.IsNaN(value) || double.IsInfinity(value) ? value
            : double.Parse(value.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// Percentile score 0-100 of each value among its group: 100 · (number strictly below) / (n − 1).
    /// Ties get the same score whatever their order; the lowest value gets 0 and the highest 100;
    /// a group of one scores 100 if its value is positive, else 0.
    /// </summary>
    public static double[] Percentiles(IReadOnlyList<double> values)
    {
        var canonical = values.Select(Canonical).ToArray();
        var sorted = canonical.Order().ToArray();
        var result = new double[values.Count];
        for (int i = 0; i < canonical.Length; i++)
        {
            if (canonical.Length == 1) { result[i] = canonical[i] > 0 ? 100 : 0; continue; }
            int below = LowerBound(sorted, canonical[i]);
            result[i] = 100.0 * below / (canonical.Length - 1);
        }
        return result;
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Scores all areas; percentiles and shrinkage are taken within each kind.</summary>
    public static IReadOnlyList<AreaScore> Score(ScoringProfile profile, IReadOnlyList<AreaInput> areas, IEnumerable<SignalInput> signals)
    {
        var byArea = signals.Where(s => s.AgeDays >= 0 && s.AgeDays <= profile.WindowDays)
            .GroupBy(s => s.AreaCode).ToDictionary(g => g.Key, g => g.ToList());
        var categories = profile.CategoryWeights.Keys.ToList();
        var results = new List<AreaScore>();
        foreach (var kind in areas.GroupBy(a => a.Kind))
        {
            var members = kind.ToList();
            // Weighted decayed intensity per area and category (not yet divided by the denominator).
            var intensity = members.ToDictionary(a => a.Code, a =>
            {
                var perCategory = categories.ToDictionary(c => c, _ => 0.0);
                foreach (var s in byArea.GetValueOrDefault(a.Code) ?? [])
                    if (perCategory.ContainsKey(s.Category))
                        perCategory[s.Category] += profile.WeightOf(s.Category) * s.Reliability * Decay(s.AgeDays, profile.HalfLifeDays);
                return perCategory;
            });
            double totalDenominator = members.Sum(a => a.Denominator);
            var kindMean = categories.ToDictionary(c => c, c => members.Sum(a => intensity[a.Code][c]) / totalDenominator);
            double m = kindMean.Values.Sum();
            var rate = members.ToDictionary(a => a.Code, a => intensity[a.Code].Values.Sum() / a.Denominator);
            double variance = members.Sum(a => a.Denominator * (rate[a.Code] - m) * (rate[a.Code] - m)) / totalDenominator;
            double between = Math.Max(0, variance - m / (totalDenominator / members.Count));

            var partial = new List<(AreaInput Area, Dictionary<string, double> Components, double Raw, int Count, int Sources, double Corr, double C)>();
            foreach (var a in members)
            {
                double c = !profile.Shrinkage || m <= 0 ? 1.0 : between / (between + m / a.Denominator);
                var list = byArea.GetValueOrDefault(a.Code) ?? [];
                int sources = list.Select(s => s.Source).Distinct().Count();
                double corr = Corroboration(sources, profile.CorroborationFactor);
                var components = categories.ToDictionary(cat => cat,
                    cat => corr * (c * intensity[a.Code][cat] / a.Denominator + (1 - c) * kindMean[cat]));
                partial.Add((a, components, components.Values.Sum(), list.Count, sources, corr, c));
            }
            var scores = Percentiles(partial.Select(p => p.Raw).ToList());
            for (int i = 0; i < partial.Count; i++)
            {
                var p = partial[i];
                var reasons = new List<ThresholdCheck>
                {
                    new("min_score", profile.Thresholds.MinScore, scores[i], scores[i] >= profile.Thresholds.MinScore),
                    new("min_signals", profile.Thresholds.MinSignals, p.Count, p.Count >= profile.Thresholds.MinSignals),
                    new("min_sources", profile.Thresholds.MinSources, p.Sources, p.Sources >= profile.Thresholds.MinSources),
                };
                results.Add(new AreaScore(p.Area.Code, p.Area.Kind, scores[i], Canonical(p.Raw), p.Components, p.Count, p.Sources,
                    p.Corr, p.C, reasons.TrueForAll(r => r.Passed), reasons));
            }
        }
        return results;
    }
}
