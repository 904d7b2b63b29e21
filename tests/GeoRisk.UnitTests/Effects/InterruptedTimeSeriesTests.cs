using GeoRisk.Core.Effects;

namespace GeoRisk.UnitTests.Effects;

public class InterruptedTimeSeriesTests
{
    [Fact]
    public void Poisson_regression_on_a_group_indicator_gives_the_log_of_the_group_means()
    {
        // Closed form: β0 = log(mean of group 0), β1 = log(mean1 / mean0), se(β1) = √(1/Σy0 + 1/Σy1).
        double[] y = [4, 6, 5, 9, 11, 10, 13];
        double[][] x = [[1, 0], [1, 0], [1, 0], [1, 1], [1, 1], [1, 1], [1, 1]];
        var fit = PoissonRegression.Fit(x, y, quasi: false);
        Assert.True(fit.Converged);
        Assert.Equal(Math.Log(5.0), fit.Coefficients[0], 9);
        Assert.Equal(Math.Log(43.0 / 4 / 5.0), fit.Coefficients[1], 9);
        Assert.Equal(Math.Sqrt(1 / 15.0 + 1 / 43.0), fit.StandardErrors[1], 9);
    }

    [Fact]
    public void A_planted_halving_at_the_intervention_is_found_as_a_level_change()
    {
        var start = new DateOnly(2024, 1, 1);
        var intervention = new DateOnly(2025, 7, 1);
        var series = Enumerable.Range(0, 30).Select(i =>
        {
            var month = start.AddMonths(i);
            double seasonal = 1 + 0.2 * Math.Sin(2 * Math.PI * month.Month / 12);
            double level = month >= intervention ? 40 : 80;
            return new MonthlyCount(month, (long)Math.Round(level * seasonal));
        }).ToList();
        var its = InterruptedTimeSeriesModel.Fit(series, intervention);
        Assert.NotNull(its);
        Assert.True(its!.Seasonal);
        Assert.InRange(its.LevelChange.Estimate, 0.45, 0.55);
        Assert.True(its.LevelChange.Upper < 1);
        Assert.InRange(its.TrendChange.Estimate, 0.97, 1.03);
    }

    [Fact]
    public void A_flat_series_shows_no_level_change()
    {
        var start = new DateOnly(2024, 1, 1);
        var series = Enumerable.Range(0, 18).Select(i => new MonthlyCount(start.AddMonths(i), 50 + (i % 3) - 1)).ToList();
        var its = InterruptedTimeSeriesModel.Fit(series, new DateOnly(2024, 10, 1));
        Assert.NotNull(its);
        Assert.False(its!.Seasonal);
        Assert.True(its.LevelChange.Lower < 1 && its.LevelChange.Upper > 1);
    }

    [Fact]
    public void Too_short_a_series_is_not_fitted()
    {
        var start = new DateOnly(2024, 1, 1);
        var series = Enumerable.Range(0, 8).Select(i => new MonthlyCount(start.AddMonths(i), 10)).ToList();
        Assert.Null(InterruptedTimeSeriesModel.Fit(series, new DateOnly(2024, 4, 1)));
    }
}

public class ControlSuggestionTests
{
    [Fact]
    public void The_candidate_whose_series_follows_the_target_ranks_first()
    {
        long[] target = [10, 12, 8, 15, 11, 9];
        var ranked = ControlSuggestion.Rank(target,
        [
            new ControlCandidate("OPPOSITE", "Opposite", [15, 9, 17, 8, 12, 16]),
            new ControlCandidate("FOLLOWS", "Follows", [20, 24, 16, 30, 22, 18]),
            new ControlCandidate("EMPTY", "Empty", [0, 0, 1, 0, 0, 0]),
        ]);
        Assert.Equal(["FOLLOWS", "OPPOSITE"], ranked.Select(r => r.Code));
        Assert.Equal(1.0, ranked[0].Correlation, 12);
        Assert.Equal(2.0, ranked[0].LevelRatio, 12);
    }
}
