using GeoRisk.Core.Scans;

namespace GeoRisk.UnitTests.Scans;

public sealed class RateStatisticsTests
{
    [Theory]
    // SciPy 1.10 binomtest(k, n, p).pvalue (the same definition as R's binom.test)
    [InlineData(7, 20, 0.5, 0.26317596435546875)]
    [InlineData(3, 10, 0.2, 0.42957465600000017)]
    [InlineData(0, 5, 0.5, 0.0625)]
    public void Binomial_two_sided_p_values_match_R(long k, long n, double p, double expected) =>
        Assert.Equal(expected, RateStatistics.BinomialTwoSidedPValue(k, n, p), 12);

    [Fact]
    public void Equal_rates_give_p_one_and_a_doubling_is_significant()
    {
        Assert.Equal(1.0, RateStatistics.RateRatioPValue(50, 50, 50, 50), 12);
        Assert.True(RateStatistics.RateRatioPValue(100, 100, 200, 100) < 1e-8);
        Assert.Equal(1.0, RateStatistics.RateRatioPValue(0, 3, 0, 5), 12);
    }

    [Fact]
    public void Benjamini_Hochberg_is_the_step_up_minimum()
    {
        // p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02
        var adjusted = RateStatistics.BenjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal([0.02, 0.04, 0.04, 0.02], adjusted.Select(a => Math.Round(a, 12)));
    }

    [Fact]
    public void Byar_interval_brackets_the_count_and_starts_at_zero()
    {
        var (low0, high0) = RateStatistics.ByarInterval(0);
        Assert.Equal(0, low0);
        Assert.InRange(high0, 2.9, 3.1); // exact 90 % upper bound for 0 is 2.996
        var (low, high) = RateStatistics.ByarInterval(10);
        Assert.InRange(low, 5.42, 5.43); // exact: 5.425
        Assert.InRange(high, 16.95, 16.97); // exact: 16.962 (Byar is within 0.03 %)
    }
}
