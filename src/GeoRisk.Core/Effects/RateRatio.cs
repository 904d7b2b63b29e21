using MathNet.Numerics.Distributions;

namespace GeoRisk.Core.Effects;

/// <summary>An estimate with its interval and the p-value of "no change" (ratio 1).</summary>
public sealed record RatioEstimate(double Estimate, double Lower, double Upper, double PValue, string Method);

/// <summary>
/// Rate ratios of Poisson counts. The after/before ratio of one zone uses the exact conditional
/// method (as R's <c>poisson.test</c> with two counts): given n = x_after + x_before, x_after is
/// Binomial(n, p) with p = θ·t / (1 + θ·t), t = length after / length before; the interval is
/// Clopper–Pearson on p mapped back to θ, the p-value the exact two-sided binomial test
/// (outcomes no more likely than the one observed). The ratio of two zones' ratios
/// (target vs control) uses the log-normal (Wald) interval of the cross-product ratio.
/// </summary>
public static class RateRatio
{
    public const string ExactMethod = "exact-conditional-poisson";
    public const string WaldMethod = "wald-log-ratio-of-rate-ratios";

    /// <summary>after/before with an exact interval at <paramref name="confidence"/>; NaN estimate when both counts are 0.</summary>
    public static RatioEstimate Exact(long after, long before, double lengthRatio = 1.0, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfNegative(before);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lengthRatio);
        long n = after + before;
        if (n == 0) return new RatioEstimate(double.NaN, 0, double.PositiveInfinity, 1.0, ExactMethod);
        double alpha = 1 - confidence;
        double pLower = after == 0 ? 0 : Beta.InvCDF(after, n - after + 1, alpha / 2);
        double pUpper = after == n ? 1 : Beta.InvCDF(after + 1, n - after, 1 - alpha / 2);
        double estimate = before == 0 ? double.PositiveInfinity : after / (double)before / lengthRatio;
        return new RatioEstimate(estimate, OddsOf(pLower) / lengthRatio, OddsOf(pUpper) / lengthRatio,
            BinomialTwoSided(after, n, lengthRatio / (1 + lengthRatio)), ExactMethod);
    }

    /// <summary>
    /// (a_after/a_before) / (c_after/c_before) with a Wald interval on the log scale:
    /// se = √(1/a_a + 1/a_b + 1/c_a + 1/c_b); when a count is 0, ½ is added to all four (Haldane).
    /// </summary>
    public static RatioEstimate RatioOfRatios(long aAfter, long aBefore, long cAfter, long cBefore, double confidence = 0.95)
    {
        double aa = aAfter, ab = aBefore, ca = cAfter, cb = cBefore;
        if (aa == 0 || ab == 0 || ca == 0 || cb == 0) { aa += 0.5; ab += 0.5; ca += 0.5; cb += 0.5; }
        double log = Math.Log(aa / ab / (ca / cb));
        double se = Math.Sqrt(1 / aa + 1 / ab + 1 / ca + 1 / cb);
        double z = Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        double p = 2 * (1 - Normal.CDF(0, 1, Math.Abs(log) / se));
        return new RatioEstimate(Math.Exp(log), Math.Exp(log - z * se), Math.Exp(log + z * se), Math.Min(1, p), WaldMethod);
    }

    /// <summary>
    /// Exact two-sided binomial p-value: the probability of every outcome no more likely than x
    /// (relative tolerance 1e-7 for ties, as R's binom.test and SciPy's binomtest).
    /// </summary>
    public static double BinomialTwoSided(long x, long n, double p)
    {
        double observed = Binomial.PMF(p, (int)n, (int)x);
        double limit = observed * (1 + 1e-7);
        double sum = 0;
        for (long k = 0; k <= n; k++)
        {
            double pk = Binomial.PMF(p, (int)n, (int)k);
            if (pk <= limit) sum += pk;
        }
        return Math.Min(1.0, sum);
    }

    private static double OddsOf(double p) => p >= 1 ? double.PositiveInfinity : p / (1 - p);
}
