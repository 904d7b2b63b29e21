using GeoRisk.Core.Access;
using GeoRisk.Core.Scoring;
using Xunit;

namespace GeoRisk.UnitTests.Scoring;

public class RelativeRiskModelTests
{
    private static readonly DateOnly Date = new(2026, 11, 15);
    private static readonly ScoreWindow Window = ScoreWindow.For(Date, 365);

    /// <summary>Weights drugshandel 1, witwassen 2; corroboration 0.5 per extra source; prior Gamma(α, α).</summary>
    internal static ScoringProfile Profile(string priorShape = "1", string reference = "\"region\"", double minRrLower = 2) =>
        ScoringProfile.Parse("test", 2, $$"""
        {
          "model": "relative-risk",
          "half_life_days": 100, "window_days": 365,
          "category_weights": {"drugshandel": 1.0, "witwassen": 2.0, "burgermelding": 0},
          "corroboration_factor": 0.5,
          "reference": {{reference}},
          "reference_rates": {"km2": 1, "adressen": 0.01},
          "prior_shape": {{priorShape}},
          "credible_level": 0.9,
          "trend_alpha": 0.05,
          "thresholds": {"min_signals": 10, "min_sources": 2, "min_rr_lower": {{minRrLower}}}
        }
        """);

    private static WindowObservation W(int signals, int sources, double drugs = 0, double money = 0) =>
        new(signals, sources, new Dictionary<string, double> { ["drugshandel"] = drugs, ["witwassen"] = 2 * money });

    /// <summary>
    /// Every signal is new (decay 1) and fully reliable, so the weighted sums are counts × weight.
    /// Now: P 30 drugshandel + 10 witwassen from 2 sources (×1.5: O = 75); Q 15 drugshandel (O = 15);
    /// T nothing; R 4 drugshandel (O = 4); S nothing. Before: P 10, Q 30 drugshandel, one source each.
    /// Pools: adressen P 1,000 + Q 3,000 + T 4,000 = 8,000, O 90 → rate 0.01125 (before 40 → 0.005);
    /// km² R 2 + S 2, O 4 → rate 1 (before nothing → 0).
    /// </summary>
    private static IReadOnlyList<AreaObservation> World() =>
    [
        new("P", "postcode", 1000, "adressen", W(40, 2, drugs: 30, money: 10), W(10, 1, drugs: 10)),
        new("Q", "buitengebied", 3000, "adressen", W(15, 1, drugs: 15), W(30, 1, drugs: 30)),
        new("T", "mainport", 4000, "adressen", WindowObservation.Empty, WindowObservation.Empty),
        new("R", "wijk", 2, "km2", W(4, 1, drugs: 4), WindowObservation.Empty),
        new("S", "wijk", 2, "km2", WindowObservation.Empty, WindowObservation.Empty),
    ];

    [Fact]
    public void Small_world_scored_by_hand()
    {
        // Values by hand: posterior Gamma(α + O, α + E) with α = 1; quantiles and scores to 17 digits
        // from an arbitrary-precision evaluation of the same formulas.
        var s = RelativeRiskModel.Score(Profile(), World(), Date, Window).ToDictionary(x => x.Code);

        var p = s["P"];
        Assert.Equal(75, p.Observed, 12);
        Assert.Equal(11.25, p.Expected, 12);                       // 0.01125 × 1,000 adressen
        Assert.Equal(0.01125, p.Expectation.ReferenceRate, 12);
        Assert.Equal(76 / 12.25, p.RelativeRisk.Mean, 12);         // 6.2040816…
        Assert.Equal(5.0817218618453756, p.RelativeRisk.Lower, 9);
        Assert.Equal(7.4191937033696117, p.RelativeRisk.Upper, 9);
        Assert.Equal(94.749360869996419, p.Score, 9);
        Assert.True(p.Kandidaat);                                  // lower 5.08 ≥ 2, 40 ≥ 10 signals, 2 ≥ 2 sources
        Assert.Equal(["min_rr_lower", "min_signals", "min_sources"], p.Reasons.Select(r => r.Threshold));
        Assert.Equal(5.0817218618453756, p.Reasons[0].Actual!.Value, 9);
        Assert.Equal(2, p.Reasons[0].Required);
        Assert.Equal(new ScoreRank(1, 1, null), p.Rank);           // alone in its kind, and still a kandidaat

        // Components: drugshandel 45, witwassen 30 of O = 75; their own RR against the pool's category shares.
        var drugs = p.Components.Single(c => c.Category == "drugshandel");
        Assert.Equal(45, drugs.Observed, 12);
        Assert.Equal(0.6, drugs.Share, 12);
        Assert.Equal(11.25 * (60.0 / 90), drugs.Expected, 12);     // pool drugshandel 45 + 15 of 90
        Assert.Equal(45 / 7.5, drugs.RelativeRisk!.Value, 12);

        // Trend of P: (75 / 11.25) / (10 / 5) = 3.33…, z = ln 3.33 / √(1/75 + 1/10): p = 0.000348 → up.
        Assert.Equal(10.0 / 3, p.Trend.RateRatio!.Value, 12);
        Assert.Equal(0.00034844888247962557, p.Trend.PValue!.Value, 12);
        Assert.Equal("up", p.Trend.Direction);
        Assert.Equal(11.0 / 6, p.Trend.PreviousRelativeRisk, 12);  // Gamma(1 + 10, 1 + 5)
        Assert.Equal(5, p.Trend.PreviousExpected, 12);

        var q = s["Q"];
        Assert.Equal(16 / 34.75, q.RelativeRisk.Mean, 12);
        Assert.Equal(0.28880451028127031, q.RelativeRisk.Lower, 9);
        Assert.Equal(22.630704495295391, q.Score, 9);
        Assert.False(q.Kandidaat);
        Assert.Equal(["min_rr_lower", "min_sources"], q.Reasons.Where(r => !r.Passed).Select(r => r.Threshold));
        Assert.Equal(1.9716328690709095e-6, q.Trend.PValue!.Value, 15);
        Assert.Equal("down", q.Trend.Direction);

        // T, alone in its kind with nothing observed against an expectation of 45: RR 1/46, score 0.23 (shown as 0).
        var t = s["T"];
        Assert.Equal(1.0 / 46, t.RelativeRisk.Mean, 12);
        Assert.Equal(0.23098664258529298, t.Score, 9);
        Assert.Equal("0", t.Score.ToString("F0", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new ScoreRank(1, 1, null), t.Rank);

        var r = s["R"];
        Assert.Equal(5.0 / 3, r.RelativeRisk.Mean, 12);
        Assert.Equal(0.65671652268651002, r.RelativeRisk.Lower, 9);
        Assert.Equal(69.203266968238108, r.Score, 9);
        Assert.Equal(new ScoreRank(1, 2, 100), r.Rank);
        Assert.Null(r.Trend.RateRatio);                            // nothing expected before: no test
        Assert.Equal("flat", r.Trend.Direction);
        Assert.Equal(14.915305315059141, s["S"].Score, 9);
        Assert.Equal(new ScoreRank(2, 2, 0), s["S"].Rank);
    }

    [Fact]
    public void An_area_at_the_reference_rate_scores_50()
    {
        // Two areas with the same rate per address: both at the pooled rate, RR = (α + O) / (α + E) = 1.
        IReadOnlyList<AreaObservation> world =
        [
            new("A", "wijk", 1000, "adressen", W(20, 3, drugs: 12, money: 4), W(5, 1, drugs: 5)),
            new("B", "buurt", 500, "adressen", W(10, 3, drugs: 6, money: 2), W(5, 1, drugs: 5)),
        ];
        foreach (var prior in new[] { "1", "7.5", "\"auto\"" })
            foreach (var score in RelativeRiskModel.Score(Profile(prior), world, Date, Window))
            {
                Assert.Equal(1, score.RelativeRisk.Mean, 12);
                Assert.Equal(50, score.Score, 12);
                Assert.Equal(score.Observed, score.Expected, 12);
            }
        Assert.Equal(50, ScoreScale.FromRelativeRisk(1), 15);
    }

    [Fact]
    public void The_score_scale_is_fixed_and_documented()
    {
        Assert.Equal(10, ScoreScale.FromRelativeRisk(0.25), 12);
        Assert.Equal(25, ScoreScale.FromRelativeRisk(0.5), 12);
        Assert.Equal(75, ScoreScale.FromRelativeRisk(2), 12);
        Assert.Equal(90, ScoreScale.FromRelativeRisk(4), 12);
        Assert.Equal(0, ScoreScale.FromRelativeRisk(0));
        foreach (var s in new[] { 0.5, 30, 50, 90, 99.5 })
            Assert.Equal(s, ScoreScale.FromRelativeRisk(ScoreScale.ToRelativeRisk(s)), 10);
    }

    [Fact]
    public void Score_is_monotone_in_the_observed_value()
    {
        // More observed in one area (all else equal, fixed reference) never lowers its score or its lower bound.
        var profile = Profile("2", "\"fixed\"");
        double previousScore = -1, previousLower = -1;
        for (int n = 0; n <= 200; n += 5)
        {
            IReadOnlyList<AreaObservation> world = [new("A", "wijk", 3, "km2", W(n, 2, drugs: n), WindowObservation.Empty)];
            var s = RelativeRiskModel.Score(profile, world, Date, Window)[0];
            Assert.True(s.Score > previousScore, $"score at {n} signals");
            Assert.True(s.RelativeRisk.Lower > previousLower, $"lower bound at {n} signals");
            previousScore = s.Score;
            previousLower = s.RelativeRisk.Lower;
        }
        // The same holds for the posterior mean itself over any prior and expectation.
        foreach (var alpha in new[] { 0.5, 1, 10, 100 })
            for (double e = 0.1; e < 1000; e *= 3.7)
                for (double o = 0; o < 500; o += 7.3)
                    Assert.True(PoissonGamma.Posterior(o + 1, e, alpha, 0.9).Mean > PoissonGamma.Posterior(o, e, alpha, 0.9).Mean);
    }

    [Fact]
    public void Components_add_up_to_the_observed_value_on_a_random_world()
    {
        var random = new Random(11);
        var categories = new[] { "drugshandel", "witwassen", "burgermelding" };
        var areas = Enumerable.Range(0, 40).Select(i =>
        {
            WindowObservation Random() => new(random.Next(0, 60), random.Next(1, 6),
                categories.ToDictionary(c => c, _ => random.NextDouble() * 30));
            var unit = i % 3 == 0 ? "km2" : "adressen";
            return new AreaObservation($"A{i}", i % 4 == 0 ? "buurt" : "wijk", unit == "km2" ? 0.1 + random.NextDouble() * 5 : 100 + random.Next(5000), unit, Random(), Random());
        }).ToList();
        foreach (var score in RelativeRiskModel.Score(Profile("\"auto\""), areas, Date, Window))
        {
            double sum = 0;
            foreach (var c in score.Components) sum += c.Observed;
            Assert.Equal(score.Observed, sum);  // exactly: O is this sum
            Assert.Equal(1, score.Components.Sum(c => c.Share), 12);
            Assert.DoesNotContain(score.Components, c => c.Category == "burgermelding"); // weight 0
            Assert.InRange(score.RelativeRisk.Mean, score.RelativeRisk.Lower, score.RelativeRisk.Upper);
        }
    }

    [Fact]
    public void The_same_data_at_two_dates_gives_the_same_score()
    {
        // One world observed on two reference dates a year apart (same ages relative to each date):
        // the score does not depend on the date, nor on which other kinds were scored alongside.
        var profile = Profile("\"auto\"");
        var areas = new (string, string, double, string)[] { ("A", "wijk", 2, "km2"), ("B", "wijk", 4, "km2"), ("C", "postcode", 1, "km2") };
        var random = new Random(5);
        var ages = Enumerable.Range(0, 300).Select(i => (Area: "ABC"[random.Next(3)].ToString(), Days: random.NextDouble() * 700,
            Category: random.Next(2) == 0 ? "drugshandel" : "witwassen", Source: $"s{random.Next(4)}")).ToList();
        RiskScore[] ScoreAt(DateOnly date)
        {
            var window = ScoreWindow.For(date, 365);
            var signals = ages.Select(a => new SignalObservation(a.Area, a.Category, a.Source, 1, window.To.AddDays(-a.Days)));
            return RelativeRiskModel.Score(profile, RelativeRiskModel.Observe(profile, window, areas, signals), date, window)
                .OrderBy(s => s.Code).ToArray();
        }
        var first = ScoreAt(new DateOnly(2025, 6, 30));
        var second = ScoreAt(new DateOnly(2026, 6, 30));
        for (int i = 0; i < first.Length; i++)
        {
            Assert.Equal(first[i].Score, second[i].Score, 9);
            Assert.Equal(first[i].Trend.PValue, second[i].Trend.PValue);
        }
    }

    [Fact]
    public void Suppressed_scores_withhold_counts_below_k()
    {
        var keys = new ScoreCellKeys(Signals: 123, Sources: 456, PreviousSignals: 789);
        var t = RelativeRiskModel.Score(Profile(), World(), Date, Window).Single(x => x.Code == "R").Suppressed(5, keys);
        Assert.Null(t.SignalCount);
        Assert.Null(t.SourceCount);
        Assert.Null(t.Trend.SignalCount);
        Assert.All(t.Reasons.Where(r => r.Threshold != "min_rr_lower"), r => Assert.Null(r.Actual));
        Assert.NotNull(t.Reasons.Single(r => r.Threshold == "min_rr_lower").Actual);
        // Counts at or above k are published by the cell-key method with their own key sums; no split per category.
        foreach (var s in RelativeRiskModel.Score(Profile(), World(), Date, Window).Select(x => (Full: x, Shown: x.Suppressed(5, keys))))
        {
            Assert.Empty(s.Shown.Components);
            Assert.Equal(Suppression.Publish(s.Full.SignalCount!.Value, keys.Signals, 5).Value, s.Shown.SignalCount);
            Assert.Equal(Suppression.Publish(s.Full.Trend.PreviousSignalCount!.Value, keys.PreviousSignals, 5).Value, s.Shown.Trend.PreviousSignalCount);
        }
        // 13 signals with cell key 123 (noise -2 by the perturbation table): 11 rounds to 10; with cell key 999 (+4): 17 rounds to 15.
        var full = RelativeRiskModel.Score(Profile(), World(), Date, Window)[0] with { SignalCount = 13 };
        Assert.Equal(10, full.Suppressed(5, keys).SignalCount);
        Assert.Equal(15, full.Suppressed(5, keys with { Signals = 999 }).SignalCount);
    }

    [Fact]
    public void Prior_shape_by_moments()
    {
        // Ratios 2 and 0 with E = 1 each: weighted variance 1, minus Poisson noise 1/Ē = 1 → 0: no spread → strongest prior.
        Assert.Equal(PoissonGamma.MaxPriorShape, PoissonGamma.PriorShapeByMoments([(2, 1), (0, 1)]));
        // Ratios 3 and 0 with E = 10: Σ E (r − 1)² / Σ E = (40 + 10) / 20 = 2.5, minus 1/10 → v = 2.4, α = 1/2.4.
        Assert.Equal(PoissonGamma.MinPriorShape, PoissonGamma.PriorShapeByMoments([(30, 10), (0, 10)]));
        // Ratios 1.5 and 0.5 with E = 100: 0.25 − 0.01 = 0.24 → α = 4.1666…
        Assert.Equal(1 / 0.24, PoissonGamma.PriorShapeByMoments([(150, 100), (50, 100)]), 10);
        Assert.Equal(PoissonGamma.MinPriorShape, PoissonGamma.PriorShapeByMoments([(5, 1)]));
    }

    [Fact]
    public void The_stored_numbers_rebuild_every_field_of_the_score()
    {
        var profile = Profile();
        foreach (var score in RelativeRiskModel.Score(profile, World(), Date, Window))
        {
            var stored = StoredRiskScore.Of(profile, score);
            var read = stored.ToScore(profile, score.Code, score.Name, score.Kind, Date);
            AssertSameFields(score with { Rank = null }, read);
            Assert.Equal(RiskScoreJson.Serialize(score with { Rank = null }), RiskScoreJson.Serialize(read));
        }
    }

    [Fact]
    public void Only_a_stored_runs_score_has_a_stored_form()
    {
        var profile = Profile();
        var live = RelativeRiskModel.Score(profile, World(), Date, Window, ["drugshandel"], RiskScore.Live)[0];
        Assert.Throws<ArgumentException>(() => StoredRiskScore.Of(profile, live));
        var score = RelativeRiskModel.Score(profile, World(), Date, Window)[0];
        Assert.Throws<ArgumentException>(() => StoredRiskScore.Of(profile, score with { SignalCount = null }));
        // Numbers of another profile's categories cannot be read as this profile's score.
        var stored = StoredRiskScore.Of(profile, score) with { ComponentObserved = [1] };
        Assert.Throws<FormatException>(() => stored.ToScore(profile, score.Code, null, score.Kind, Date));
    }

    private static void AssertSameFields(RiskScore expected, RiskScore actual)
    {
        Assert.Equal(expected.Code, actual.Code);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Profile, actual.Profile);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.ReferenceDate, actual.ReferenceDate);
        Assert.Equal(expected.Basis, actual.Basis);
        Assert.Equal(expected.Categories, actual.Categories);
        Assert.Equal(expected.Window, actual.Window);
        Assert.Equal(expected.Score, actual.Score);
        Assert.Equal(expected.RelativeRisk, actual.RelativeRisk);
        Assert.Equal(expected.Observed, actual.Observed);
        Assert.Equal(expected.Expected, actual.Expected);
        Assert.Equal(expected.Expectation, actual.Expectation);
        Assert.Equal(expected.SignalCount, actual.SignalCount);
        Assert.Equal(expected.SourceCount, actual.SourceCount);
        Assert.Equal(expected.Corroboration, actual.Corroboration);
        Assert.Equal(expected.Components, actual.Components);
        Assert.Equal(expected.Trend, actual.Trend);
        Assert.Equal(expected.Kandidaat, actual.Kandidaat);
        Assert.Equal(expected.Reasons, actual.Reasons);
        Assert.Equal(expected.Rank, actual.Rank);
    }
}
