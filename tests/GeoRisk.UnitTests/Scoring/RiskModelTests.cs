using GeoRisk.Core.Scoring;
using Xunit;

namespace GeoRisk.UnitTests.Scoring;

public class RiskModelTests
{
    private static ScoringProfile Profile(bool shrinkage = false, double corroboration = 0.5, double halfLife = 100) => new(
        "test", 1, halfLife, 365,
        new Dictionary<string, double> { ["drugshandel"] = 1.0, ["witwassen"] = 2.0, ["burgermelding"] = 0.0 },
        corroboration, "area", shrinkage, new ScoringThresholds(3, 2, 50), 5, 1);

    [Fact]
    public void Small_world_scored_by_hand()
    {
        // Three areas of one kind, ten signals; half-life 100 days, weights drugshandel 1, witwassen 2,
        // burgermelding 0, corroboration 1 + 0.5·(sources − 1), no shrinkage, per km².
        var areas = new[] { new AreaInput("A", "wijk", 1.0), new AreaInput("B", "wijk", 2.0), new AreaInput("C", "wijk", 0.5) };
        var signals = new[]
        {
            new SignalInput("A", "drugshandel", "politie", 1.0, 0),     // 1 · 1.0 · 1      = 1
            new SignalInput("A", "drugshandel", "gemeente", 0.5, 100),  // 1 · 0.5 · ½      = 0.25
            new SignalInput("A", "witwassen", "fiod", 1.0, 200),        // 2 · 1.0 · ¼      = 0.5
            new SignalInput("B", "drugshandel", "politie", 1.0, 100),   // 3 × (1 · 1 · ½)  = 1.5
            new SignalInput("B", "drugshandel", "politie", 1.0, 100),
            new SignalInput("B", "drugshandel", "politie", 1.0, 100),
            new SignalInput("B", "burgermelding", "gemeente", 1.0, 10), // weight 0: counts as signal and source only
            new SignalInput("C", "witwassen", "politie", 0.8, 0),       // 2 · 0.8 · 1      = 1.6
            new SignalInput("C", "witwassen", "gemeente", 1.0, 300),    // 2 · 1 · ⅛        = 0.25
            new SignalInput("C", "drugshandel", "politie", 1.0, 400),   // outside the 365-day window
        };
        var scores = RiskModel.Score(Profile(), areas, signals).ToDictionary(s => s.Code);

        // A: (1.25 + 0.5) / 1 km² = 1.75; 3 sources → ×2 → raw 3.5 (drugshandel 2.5, witwassen 1.0)
        Assert.Equal(3.5, scores["A"].Raw, 12);
        Assert.Equal(2.5, scores["A"].Components["drugshandel"], 12);
        Assert.Equal(1.0, scores["A"].Components["witwassen"], 12);
        Assert.Equal(2.0, scores["A"].Corroboration, 12);
        // B: 1.5 / 2 km² = 0.75; 2 sources → ×1.5 → 1.125
        Assert.Equal(1.125, scores["B"].Raw, 12);
        Assert.Equal(4, scores["B"].SignalCount);
        // C: 1.85 / 0.5 km² = 3.7; 2 sources → ×1.5 → 5.55; the 400-day-old signal does not count
        Assert.Equal(5.55, scores["C"].Raw, 12);
        Assert.Equal(2, scores["C"].SignalCount);
        // Percentiles among the three: B lowest (0), A middle (50), C highest (100).
        Assert.Equal(0, scores["B"].Score);
        Assert.Equal(50, scores["A"].Score);
        Assert.Equal(100, scores["C"].Score);
        // Kandidaat: A passes all three; C has the top score but only 2 signals (< 3); B fails the score.
        Assert.True(scores["A"].Kandidaat);
        Assert.False(scores["C"].Kandidaat);
        Assert.Equal(["min_signals"], scores["C"].Reasons.Where(r => !r.Passed).Select(r => r.Threshold));
        Assert.Equal(["min_score"], scores["B"].Reasons.Where(r => !r.Passed).Select(r => r.Threshold));
    }

    [Fact]
    public void Components_add_up_to_the_raw_value_with_shrinkage()
    {
        var random = new Random(44);
        var areas = Enumerable.Range(0, 30).Select(i => new AreaInput($"A{i}", i % 2 == 0 ? "buurt" : "wijk", 0.05 + random.NextDouble() * 5)).ToList();
        var categories = new[] { "drugshandel", "witwassen", "burgermelding" };
        var sources = new[] { "politie", "gemeente", "fiod", "om" };
        var signals = Enumerable.Range(0, 400).Select(_ => new SignalInput(
            areas[random.Next(areas.Count)].Code, categories[random.Next(3)], sources[random.Next(4)], random.NextDouble(), random.NextDouble() * 500)).ToList();
        foreach (var score in RiskModel.Score(Profile(shrinkage: true), areas, signals))
        {
            Assert.Equal(score.Raw, score.Components.Values.Sum(), 1e-9 * Math.Max(1, score.Raw));
            Assert.InRange(score.ShrinkageWeight, 0, 1);
        }
    }

    [Fact]
    public void A_signal_one_half_life_old_counts_half()
    {
        Assert.Equal(0.5, RiskModel.Decay(180, 180), 15);
        var areas = new[] { new AreaInput("new", "wijk", 1), new AreaInput("old", "wijk", 1) };
        var scores = RiskModel.Score(Profile(halfLife: 180), areas,
            [new SignalInput("new", "drugshandel", "politie", 0.8, 0), new SignalInput("old", "drugshandel", "politie", 0.8, 180)])
            .ToDictionary(s => s.Code);
        Assert.Equal(scores["new"].Raw / 2, scores["old"].Raw, 1e-9);
    }

    [Fact]
    public void A_second_source_raises_corroboration()
    {
        var areas = new[] { new AreaInput("one", "wijk", 1), new AreaInput("two", "wijk", 1) };
        var scores = RiskModel.Score(Profile(), areas,
        [
            new SignalInput("one", "drugshandel", "politie", 1, 10), new SignalInput("one", "drugshandel", "politie", 1, 10),
            new SignalInput("two", "drugshandel", "politie", 1, 10), new SignalInput("two", "drugshandel", "gemeente", 1, 10),
        ]).ToDictionary(s => s.Code);
        Assert.Equal(1, scores["one"].SourceCount);
        Assert.Equal(2, scores["two"].SourceCount);
        Assert.True(scores["two"].Corroboration > scores["one"].Corroboration);
        Assert.Equal(1.5 * scores["one"].Raw, scores["two"].Raw, 1e-9);
        Assert.True(scores["two"].Score > scores["one"].Score);
    }

    [Fact]
    public void Ties_in_percentiles_are_stable()
    {
        // 0.1 + 0.2 and 0.3 differ in the last bit: still a tie at 12 significant digits.
        var values = new[] { 5.0, 0.1 + 0.2, 0.3, 0.0, 5.0, 7.0, 0.3 };
        var scores = RiskModel.Percentiles(values);
        Assert.Equal(scores[1], scores[2]);
        Assert.Equal(scores[1], scores[6]);
        Assert.Equal(scores[0], scores[4]);
        Assert.Equal([400.0 / 6, 100.0 / 6, 100.0 / 6, 0, 400.0 / 6, 100, 100.0 / 6], scores);
        // Any order gives every value the same score.
        var random = new Random(7);
        for (int round = 0; round < 20; round++)
        {
            var permutation = Enumerable.Range(0, values.Length).OrderBy(_ => random.Next()).ToArray();
            var shuffled = RiskModel.Percentiles(permutation.Select(i => values[i]).ToList());
            for (int k = 0; k < permutation.Length; k++) Assert.Equal(scores[permutation[k]], shuffled[k]);
        }
    }

    [Fact]
    public void Shrinkage_pulls_a_one_signal_tiny_area_below_a_busy_large_one()
    {
        // 40 ordinary areas of 2 km² with a few signals each, a busy large area and a tiny one with one signal.
        var areas = Enumerable.Range(0, 40).Select(i => new AreaInput($"N{i}", "buurt", 2.0)).ToList();
        areas.Add(new AreaInput("BUSY", "buurt", 4.0));
        areas.Add(new AreaInput("TINY", "buurt", 0.01));
        var signals = new List<SignalInput>();
        for (int i = 0; i < 40; i++)
            for (int k = 0; k < i % 4; k++) signals.Add(new SignalInput($"N{i}", "drugshandel", "politie", 1, 30));
        for (int k = 0; k < 60; k++) signals.Add(new SignalInput("BUSY", "drugshandel", k % 2 == 0 ? "politie" : "gemeente", 1, 30));
        signals.Add(new SignalInput("TINY", "drugshandel", "politie", 1, 30));

        var raw = RiskModel.Score(Profile(shrinkage: false, corroboration: 0), areas, signals).ToDictionary(s => s.Code);
        Assert.True(raw["TINY"].Raw > raw["BUSY"].Raw, "without shrinkage one signal on 0.01 km² tops the ranking");
        Assert.Equal(100, raw["TINY"].Score);

        var shrunk = RiskModel.Score(Profile(shrinkage: true, corroboration: 0), areas, signals).ToDictionary(s => s.Code);
        Assert.True(shrunk["TINY"].Raw < shrunk["BUSY"].Raw);
        Assert.True(shrunk["TINY"].Score < shrunk["BUSY"].Score);
        Assert.Equal(100, shrunk["BUSY"].Score);
        Assert.True(shrunk["TINY"].ShrinkageWeight < 0.1, $"C = {shrunk["TINY"].ShrinkageWeight}");
        Assert.True(shrunk["BUSY"].ShrinkageWeight > 0.5, $"C = {shrunk["BUSY"].ShrinkageWeight}");
    }

    [Fact]
    public void The_default_profile_parses_and_weighs_every_category()
    {
        var sql = File.ReadAllText(Path.Combine(RepoRoot(), "sql", "0401_scoring_profile.sql"));
        var json = sql[sql.IndexOf("'{", StringComparison.Ordinal)..(sql.IndexOf("}'::jsonb", StringComparison.Ordinal) + 1)].Trim('\'');
        var profile = ScoringProfile.Parse("riec-standaard", 1, json);
        Assert.Equal(18, profile.CategoryWeights.Count);
        Assert.True(profile.Shrinkage);
        Assert.Equal(5, profile.SuppressionK);
        Assert.Equal(180, profile.HalfLifeDays);
        Assert.Throws<FormatException>(() => ScoringProfile.Parse("x", 1, "{\"window_days\": 30}"));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GeoRisk.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("GeoRisk.sln not found above the test binaries");
    }
}
