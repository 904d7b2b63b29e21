namespace GeoRisk.Core.Scoring;

/// <summary>One window of an area: signal and source counts, and Σ weight · reliability · decay per category (before corroboration).</summary>
public sealed record WindowObservation(int Signals, int Sources, IReadOnlyDictionary<string, double> Weighted)
{
    public static readonly WindowObservation Empty = new(0, 0, new Dictionary<string, double>());
}

/// <summary>An area as the relative-risk model sees it: exposure (or km²) and what was observed in both windows.</summary>
public sealed record AreaObservation(string Code, string Kind, double Exposure, string Unit, WindowObservation Current, WindowObservation Previous)
{
    public string? Name { get; init; }
}

/// <summary>One signal with its time and place, for computing observations in C# (tests, the reference implementation).</summary>
public sealed record SignalObservation(string AreaCode, string Category, string Source, double Reliability, DateTimeOffset ObservedAt);

/// <summary>
/// The calibrated risk model (profile model "relative-risk", docs/scoring.md): O / E with a
/// Poisson–Gamma posterior, a fixed score mapping, kandidaat on the interval's lower bound,
/// components as shares of O and the trend as a rate-ratio test. The SQL side only counts
/// (score_observations); everything here is pure.
/// </summary>
public static class RelativeRiskModel
{
    /// <summary>
    /// Scores every area given. Reference rates and the empirical-Bayes prior are taken over all of
    /// them, so pass every current area even when only some are wanted.
    /// </summary>
    /// <param name="categories">categories to count; null = every category with a weight in the profile.</param>
    public static IReadOnlyList<RiskScore> Score(
        ScoringProfile profile, IReadOnlyList<AreaObservation> areas, DateOnly referenceDate, ScoreWindow window,
        IReadOnlyList<string>? categories = null, string basis = RiskScore.Stored)
    {
        var settings = profile.RelativeRisk
            ?? throw new ArgumentException($"profile {profile.Name} v{profile.Version} is not a relative-risk profile", nameof(profile));
        var counted = Counted(profile, categories);

        var now = Window(profile, settings, areas, a => a.Current, counted);
        var before = Window(profile, settings, areas, a => a.Previous, counted);

        // Each area's posterior (two Gamma quantiles), trend test and record depend only on the
        // pooled numbers above, so the areas are scored on every core; each result goes to its own
        // slot, so the order and the numbers do not depend on the scheduling.
        var scores = new RiskScore[areas.Count];
        Parallel.For(0, areas.Count, i =>
        {
            var a = areas[i];
            var n = now.Areas[i];
            var b = before.Areas[i];
            var posterior = PoissonGamma.Posterior(n.Observed, n.Expected, now.PriorShape, settings.CredibleLevel);
            // Only the previous window's mean is shown (the trend); its interval would cost two more
            // Gamma quantiles per area.
            var previousMean = PoissonGamma.PosteriorMean(b.Observed, b.Expected, before.PriorShape);
            var test = RateRatioTest.Test(n.Observed, n.Expected, b.Observed, b.Expected, settings.TrendAlpha);
            var reasons = Reasons(profile, settings, posterior.Lower, a.Current.Signals, a.Current.Sources);
            var components = counted.Select(c => Component(c, n.PerCategory[c], n.Expected * now.CategoryShare(a, c), n.Observed)).ToList();
            scores[i] = new RiskScore(
                a.Code, a.Name, a.Kind, profile.Name, profile.Version, referenceDate, basis,
                categories is null ? null : counted, window,
                ScoreScale.FromRelativeRisk(posterior.Mean),
                new ScoreRelativeRisk(posterior.Mean, posterior.Lower, posterior.Upper, settings.CredibleLevel),
                n.Observed, n.Expected,
                new ScoreExpectation(a.Exposure, a.Unit, now.Rate(a), settings.Reference, now.PriorShape),
                a.Current.Signals, a.Current.Sources, n.Corroboration,
                components,
                new ScoreTrend(posterior.Mean, previousMean, n.Observed, b.Observed, n.Expected, b.Expected,
                    a.Current.Signals, a.Previous.Signals, test.RateRatio, test.PValue, settings.TrendAlpha, test.Direction),
                reasons.TrueForAll(r => r.Passed), reasons, null);
        });
        return WithRanks(scores);
    }

    /// <summary>The categories a score counts, in order: those of the selection (null = all) that the profile weighs.</summary>
    public static List<string> Counted(ScoringProfile profile, IReadOnlyList<string>? categories) =>
        (categories ?? profile.CategoryWeights.Where(w => w.Value > 0).Select(w => w.Key))
            .Where(c => profile.WeightOf(c) > 0).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The kandidaat thresholds with the area's values; kandidaat when all pass.</summary>
    public static List<ScoreReason> Reasons(ScoringProfile profile, RelativeRiskSettings settings, double lower, int signals, int sources) =>
    [
        new("min_rr_lower", settings.MinRrLower, lower, lower >= settings.MinRrLower),
        new("min_signals", profile.Thresholds.MinSignals, signals, signals >= profile.Thresholds.MinSignals),
        new("min_sources", profile.Thresholds.MinSources, sources, sources >= profile.Thresholds.MinSources),
    ];

    /// <summary>One category's part of an area's O (<paramref name="areaObserved"/>), with its share and own O / E.</summary>
    public static ScoreComponent Component(string category, double observed, double expected, double areaObserved) =>
        new(category, observed, areaObserved > 0 ? observed / areaObserved : 0, expected, expected > 0 ? observed / expected : null);

    /// <summary>Rank within the kind (ties share a rank), "of N", and the percentile as context.</summary>
    public static IReadOnlyList<RiskScore> WithRanks(IReadOnlyList<RiskScore> scores)
    {
        var byKind = scores.GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => g.Select(s => s.Score).Order().ToArray());
        return scores.Select(s =>
        {
            var sorted = byKind[s.Kind];
            int below = LowerBound(sorted, s.Score);
            int above = sorted.Length - UpperBound(sorted, s.Score);
            return s with
            {
                Rank = new ScoreRank(above + 1, sorted.Length, sorted.Length > 1 ? 100 * ((double)below / (sorted.Length - 1)) : null),
            };
        }).ToList();
    }

    /// <summary>
    /// The observations of areas from individual signals: the C# reference for what the SQL
    /// function score_observations counts (a signal of age t days weighs reliability · 2^(−t / half-life),
    /// age counted from the end of its own window).
    /// </summary>
    public static IReadOnlyList<AreaObservation> Observe(
        ScoringProfile profile, ScoreWindow window, IEnumerable<(string Code, string Kind, double Exposure, string Unit)> areas,
        IEnumerable<SignalObservation> signals, IReadOnlyList<string>? categories = null)
    {
        // Only counted categories count, also for the signal and source counts (as score_observations).
        var byArea = signals.Where(s => profile.WeightOf(s.Category) > 0 && (categories is null || categories.Contains(s.Category)))
            .ToLookup(s => s.AreaCode);
        return areas.Select(a =>
        {
            var list = byArea[a.Code].ToList();
            return new AreaObservation(a.Code, a.Kind, a.Exposure, a.Unit,
                Observe(profile, list.Where(s => s.ObservedAt >= window.From && s.ObservedAt < window.To), window.To),
                Observe(profile, list.Where(s => s.ObservedAt >= window.PreviousFrom && s.ObservedAt < window.From), window.From));
        }).ToList();
    }

    private static WindowObservation Observe(ScoringProfile profile, IEnumerable<SignalObservation> signals, DateTimeOffset end)
    {
        var list = signals.ToList();
        var weighted = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in list)
        {
            var age = (end - s.ObservedAt).TotalSeconds / 86400;
            weighted[s.Category] = weighted.GetValueOrDefault(s.Category)
                + profile.WeightOf(s.Category) * s.Reliability * RiskModel.Decay(age, profile.HalfLifeDays);
        }
        return new WindowObservation(list.Count, list.Select(s => s.Source).Distinct().Count(), weighted);
    }

    private sealed record AreaWindow(double Observed, double Expected, double Corroboration, Dictionary<string, double> PerCategory);

    private sealed class WindowResult(
        List<AreaWindow> areas, double priorShape, Func<AreaObservation, double> rate, Func<AreaObservation, string, double> categoryShare)
    {
        public List<AreaWindow> Areas { get; } = areas;
        public double PriorShape { get; } = priorShape;
        public double Rate(AreaObservation a) => rate(a);
        public double CategoryShare(AreaObservation a, string category) => categoryShare(a, category);
    }

    private static WindowResult Window(
        ScoringProfile profile, RelativeRiskSettings settings, IReadOnlyList<AreaObservation> areas,
        Func<AreaObservation, WindowObservation> pick, IReadOnlyList<string> categories)
    {
        // O per area and category: corroboration × weighted decayed sum. O is their sum in category order,
        // so the components add up to it exactly as they are summed here.
        var observed = areas.Select(a =>
        {
            var w = pick(a);
            var corroboration = RiskModel.Corroboration(w.Sources, profile.CorroborationFactor);
            var perCategory = categories.ToDictionary(c => c, c => corroboration * w.Weighted.GetValueOrDefault(c));
            double total = 0;
            foreach (var c in categories) total += perCategory[c];
            return (Total: total, Corroboration: corroboration, PerCategory: perCategory);
        }).ToList();

        // The pool a reference rate is taken over: areas with the same unit (and kind, for "kind").
        string Pool(AreaObservation a) => settings.Reference == "kind" ? a.Kind + "\u0000" + a.Unit : a.Unit;
        var poolObserved = new Dictionary<string, double>();
        var poolExposure = new Dictionary<string, double>();
        var poolCategory = new Dictionary<(string, string), double>();
        for (int i = 0; i < areas.Count; i++)
        {
            var key = Pool(areas[i]);
            poolObserved[key] = poolObserved.GetValueOrDefault(key) + observed[i].Total;
            poolExposure[key] = poolExposure.GetValueOrDefault(key) + areas[i].Exposure;
            foreach (var c in categories)
                poolCategory[(key, c)] = poolCategory.GetValueOrDefault((key, c)) + observed[i].PerCategory[c];
        }
        double Rate(AreaObservation a)
        {
            if (settings.Reference == "fixed")
                return settings.ReferenceRates.TryGetValue(a.Unit, out var fixedRate) ? fixedRate : 0;
            var key = Pool(a);
            return poolExposure[key] > 0 ? poolObserved[key] / poolExposure[key] : 0;
        }
        double CategoryShare(AreaObservation a, string c)
        {
            var key = Pool(a);
            return poolObserved[key] > 0 ? poolCategory[(key, c)] / poolObserved[key] : 0;
        }

        var result = new List<AreaWindow>(areas.Count);
        for (int i = 0; i < areas.Count; i++)
            result.Add(new AreaWindow(observed[i].Total, Rate(areas[i]) * areas[i].Exposure, observed[i].Corroboration, observed[i].PerCategory));
        var prior = settings.PriorShape ?? PoissonGamma.PriorShapeByMoments(result.Select(r => (r.Observed, r.Expected)));
        return new WindowResult(result, prior, Rate, CategoryShare);
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] < value) lo = mid + 1; else hi = mid; }
        return lo;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] <= value) lo = mid + 1; else hi = mid; }
        return lo;
    }
}
