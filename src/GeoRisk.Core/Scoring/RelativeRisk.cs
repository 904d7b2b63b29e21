using MathNet.Numerics.Distributions;
using UpperTail = GeoRisk.Core.Hotspots.Normal;

namespace GeoRisk.Core.Scoring;

/// <summary>
/// The fixed mapping from relative risk to the 0-100 score: a logistic curve in log RR,
/// score = 100 · RR^γ / (1 + RR^γ) with γ = log₂ 3. It is the same for every kind, profile and
/// date, so a score can be read without knowing which other areas were scored:
/// RR ¼ → 10, RR ½ → 25, RR 1 → 50, RR 2 → 75, RR 4 → 90.
/// </summary>
public static class ScoreScale
{
    /// <summary>γ = log₂ 3: every doubling of the relative risk triples the odds score / (100 − score).</summary>
    public static readonly double Gamma = Math.Log(3) / Math.Log(2);

    public static double FromRelativeRisk(double rr)
    {
        if (double.IsNaN(rr) || rr < 0) throw new ArgumentOutOfRangeException(nameof(rr), "a relative risk is a number ≥ 0");
        if (rr == 0) return 0;
        if (double.IsPositiveInfinity(rr)) return 100;
        // Through the log-odds: stays exact for very small and very large RR.
        var logOdds = Gamma * Math.Log(rr);
        return logOdds >= 0 ? 100 / (1 + Math.Exp(-logOdds)) : 100 * Math.Exp(logOdds) / (1 + Math.Exp(logOdds));
    }

    /// <summary>The relative risk a score stands for (the inverse mapping).</summary>
    public static double ToRelativeRisk(double score)
    {
        if (double.IsNaN(score) || score < 0 || score > 100) throw new ArgumentOutOfRangeException(nameof(score), "a score lies in 0..100");
        if (score == 0) return 0;
        if (score == 100) return double.PositiveInfinity;
        return Math.Pow(score / (100 - score), 1 / Gamma);
    }
}

/// <summary>A Gamma(shape, rate) posterior of a relative risk: mean and an equal-tailed credible interval.</summary>
public sealed record RelativeRiskEstimate(double Mean, double Lower, double Upper, double Level, double Shape, double Rate);

/// <summary>
/// Poisson–Gamma (empirical Bayes) relative risk: the observed value O of an area is taken as
/// Poisson with mean RR · E; RR has the prior Gamma(α, α) (mean 1: the reference rate). The
/// posterior is Gamma(α + O, α + E): its mean is pulled towards 1 by α "expected signals" worth
/// of prior, strongly for small E, hardly for large E.
/// </summary>
public static class PoissonGamma
{
    /// <summary>Prior strength used when the areas show no variation beyond Poisson noise.</summary>
    public const double MaxPriorShape = 100;
    /// <summary>Prior strength used when there is nothing to estimate it from (fewer than two areas with an expectation).</summary>
    public const double MinPriorShape = 0.5;

    /// <summary>The posterior mean (α + O) / (α + E) alone, without the interval's quantiles.</summary>
    public static double PosteriorMean(double observed, double expected, double priorShape)
    {
        if (observed < 0 || expected < 0 || double.IsNaN(observed) || double.IsNaN(expected))
            throw new ArgumentOutOfRangeException(nameof(observed), "observed and expected are ≥ 0");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(priorShape);
        return (priorShape + observed) / (priorShape + expected);
    }

    public static RelativeRiskEstimate Posterior(double observed, double expected, double priorShape, double level)
    {
        if (observed < 0 || expected < 0 || double.IsNaN(observed) || double.IsNaN(expected))
            throw new ArgumentOutOfRangeException(nameof(observed), "observed and expected are ≥ 0");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(priorShape);
        if (level is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(level));
        var shape = priorShape + observed;
        var rate = priorShape + expected;
        var tail = (1 - level) / 2;
        return new RelativeRiskEstimate(shape / rate,
            Gamma.InvCDF(shape, rate, tail), Gamma.InvCDF(shape, rate, 1 - tail), level, shape, rate);
    }

    /// <summary>
    /// The prior shape α of Gamma(α, α) by the method of moments over areas (Clayton &amp; Kaldor
    /// 1987, with the prior mean fixed at the reference, 1): the between-area variance of
    /// RR is v = Σ E (O/E − 1)² / Σ E − 1 / Ē (the weighted variance of the raw ratios minus
    /// what Poisson noise alone explains), α = 1 / v, kept within
    /// [<see cref="MinPriorShape"/>, <see cref="MaxPriorShape"/>]. Areas with E = 0 carry no information.
    /// </summary>
    public static double PriorShapeByMoments(IEnumerable<(double Observed, double Expected)> areas)
    {
        double sumE = 0, sumSq = 0;
        int n = 0;
        foreach (var (o, e) in areas)
        {
            if (e <= 0) continue;
            n++;
            sumE += e;
            var ratio = o / e - 1;
            sumSq += e * ratio * ratio;
        }
        if (n < 2) return MinPriorShape;
        var v = sumSq / sumE - 1 / (sumE / n);
        return v <= 1 / MaxPriorShape ? MaxPriorShape : Math.Max(MinPriorShape, 1 / v);
    }
}

/// <summary>The change of an area's relative risk between the previous window and now.</summary>
/// <param name="RateRatio">(O / E) now divided by (O / E) then; null when either window has no expectation.</param>
/// <param name="PValue">two-sided p of the rate-ratio test; null with <paramref name="RateRatio"/>.</param>
/// <param name="Direction">up / down when p &lt; α, else flat.</param>
public sealed record TrendTest(double? RateRatio, double? PValue, string Direction);

/// <summary>
/// The rate-ratio test (Wald test on the log of the ratio of two Poisson rates): with O₁, E₁ now
/// and O₀, E₀ in the previous window, ln RR₁/RR₀ = ln((O₁/E₁)/(O₀/E₀)) has standard error
/// √(1/O₁ + 1/O₀). Half a signal is added to both when either window observed nothing, so an
/// empty window still gives a finite ratio.
/// </summary>
public static class RateRatioTest
{
    public static TrendTest Test(double observedNow, double expectedNow, double observedBefore, double expectedBefore, double alpha)
    {
        if (expectedNow <= 0 || expectedBefore <= 0 || (observedNow <= 0 && observedBefore <= 0))
            return new TrendTest(null, null, "flat");
        double o1 = observedNow, o0 = observedBefore;
        if (o1 <= 0 || o0 <= 0) { o1 += 0.5; o0 += 0.5; }
        var ratio = (o1 / expectedNow) / (o0 / expectedBefore);
        var z = Math.Log(ratio) / Math.Sqrt(1 / o1 + 1 / o0);
        var p = Math.Min(1, 2 * UpperTail.UpperTail(Math.Abs(z)));
        var direction = p < alpha ? (ratio > 1 ? "up" : "down") : "flat";
        return new TrendTest(ratio, p, direction);
    }
}
