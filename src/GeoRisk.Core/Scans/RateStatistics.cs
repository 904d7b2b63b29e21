namespace GeoRisk.Core.Scans;

/// <summary>
/// Poisson statistics used by the wijkscan: intervals for an observed count against an
/// expected count, the exact conditional test of two Poisson rates, and Benjamini-Hochberg.
/// Pure arithmetic so that SQL (sql/functions/0900_wijkscan.sql) and C# can be held equal in tests.
/// </summary>
public static class RateStatistics
{
    /// <summary>z for a two-sided 90 % interval (the interval the kandidaat flag uses).</summary>
    public const double Z90 = 1.6448536269514722;

    /// <summary>
    /// Byar's approximation of the exact Poisson interval for a count <paramref name="n"/>
    /// (Breslow and Day 1987, vol. II, p. 69): close to the exact chi-square interval from
    /// n = 1 on and defined for n = 0 (lower bound 0). Returned as bounds on the count; divide
    /// by the expected count for the interval of a relative risk.
    /// </summary>
    public static (double Lower, double Upper) ByarInterval(long n, double z = Z90)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var lower = n == 0 ? 0 : n * Math.Pow(1 - 1.0 / (9 * n) - z / (3 * Math.Sqrt(n)), 3);
        var m = n + 1.0;
        var upper = m * Math.Pow(1 - 1 / (9 * m) + z / (3 * Math.Sqrt(m)), 3);
        return (Math.Max(0, lower), upper);
    }

    /// <summary>
    /// Exact two-sided test that two Poisson counts have the same rate relative to their
    /// expectations (H0: n1/e1 = n0/e0): conditional on n0 + n1, n1 is binomial with
    /// p = e1 / (e0 + e1). The two-sided p sums the probabilities of all outcomes no more likely
    /// than the observed one (relative tolerance 1e-7), as R's binom.test / poisson.test and
    /// SciPy's binomtest do.
    /// </summary>
    public static double RateRatioPValue(long n0, double e0, long n1, double e1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n0);
        ArgumentOutOfRangeException.ThrowIfNegative(n1);
        if (!(e0 > 0) || !(e1 > 0)) throw new ArgumentOutOfRangeException(nameof(e0), "expected counts must be positive");
        return BinomialTwoSidedPValue(n1, n0 + n1, e1 / (e0 + e1));
    }

    /// <summary>Two-sided exact binomial p-value of k successes in n trials with probability p.</summary>
    public static double BinomialTwoSidedPValue(long k, long n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
        if (n == 0) return 1;
        if (p <= 0) return k == 0 ? 1 : 0;
        if (p >= 1) return k == n ? 1 : 0;
        // log i! as a running sum: exact to rounding for every n a scan meets.
        var logFactorial = new double[n + 1];
        for (long i = 2; i <= n; i++) logFactorial[i] = logFactorial[i - 1] + Math.Log(i);
        double LogPmf(long i) => logFactorial[n] - logFactorial[i] - logFactorial[n - i] + i * Math.Log(p) + (n - i) * double.LogP1(-p);
        // Outcomes "no more likely than the observed one", with R's relative tolerance.
        var threshold = LogPmf(k) + double.LogP1(1e-7);
        double sum = 0;
        for (long i = 0; i <= n; i++)
        {
            var l = LogPmf(i);
            if (l <= threshold) sum += Math.Exp(l);
        }
        return Math.Min(1, sum);
    }

    /// <summary>Benjamini-Hochberg adjusted p-values (same order as the input), capped at 1.</summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> p)
    {
        var m = p.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => p[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        var running = 1.0;
        for (var rank = m; rank >= 1; rank--)
        {
            var i = order[rank - 1];
            running = Math.Min(running, p[i] * m / rank);
            adjusted[i] = Math.Min(1, running);
        }
        return adjusted;
    }
}
