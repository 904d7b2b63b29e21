using MathNet.Numerics.LinearAlgebra;

namespace GeoRisk.Core.Effects;

/// <summary>Coefficients of a fitted Poisson GLM with their standard errors.</summary>
public sealed record PoissonFit(double[] Coefficients, double[] StandardErrors, double Dispersion, int Iterations, bool Converged);

/// <summary>
/// Poisson regression with a log link, fitted by iteratively reweighted least squares (the
/// algorithm of R's <c>glm</c>). Standard errors come from the inverse Fisher information; with
/// <c>quasi</c> they are scaled by √φ, φ = Pearson χ² / (n − p), when φ &gt; 1 (overdispersed counts).
/// An <c>offset</c> (log exposure, as R's <c>offset()</c>) enters the linear predictor with a fixed
/// coefficient 1: grouped data (one row per distinct design row, offset = log of its number of
/// units) then gives the same coefficients and information as the ungrouped rows.
/// </summary>
public static class PoissonRegression
{
    public static PoissonFit Fit(double[][] design, double[] counts, bool quasi = true, int maxIterations = 100, double tolerance = 1e-10,
        double[]? offset = null)
    {
        int n = design.Length;
        if (n == 0 || n != counts.Length) throw new ArgumentException("One row of the design per count is needed.", nameof(design));
        if (offset is not null && offset.Length != n) throw new ArgumentException("One offset per count is needed.", nameof(offset));
        int p = design[0].Length;
        // Grouped rows (with an offset) may be as many as the coefficients: each still stands for many units.
        if (n < p || (n == p && offset is null)) throw new ArgumentException("More observations than coefficients are needed.", nameof(counts));
        var x = Matrix<double>.Build.DenseOfRowArrays(design);
        var y = Vector<double>.Build.DenseOfArray(counts);
        var o = offset is null ? Vector<double>.Build.Dense(n) : Vector<double>.Build.DenseOfArray(offset);
        var eta = y.Map(v => Math.Log(v + 0.5));
        var beta = Vector<double>.Build.Dense(p);
        double deviance = double.MaxValue;
        int iteration = 0;
        bool converged = false;
        Matrix<double> information = Matrix<double>.Build.Dense(p, p);
        while (iteration++ < maxIterations)
        {
            var mu = eta.PointwiseExp();
            var z = eta - o + (y - mu).PointwiseDivide(mu);
            var xw = x.Clone();
            for (int i = 0; i < n; i++) xw.SetRow(i, x.Row(i) * mu[i]);
            information = x.TransposeThisAndMultiply(xw);
            beta = information.Solve(xw.TransposeThisAndMultiply(z));
            eta = x * beta + o;
            double next = Deviance(y, eta.PointwiseExp());
            if (Math.Abs(next - deviance) / (Math.Abs(next) + 0.1) < tolerance) { converged = true; deviance = next; break; }
            deviance = next;
        }
        var fitted = eta.PointwiseExp();
        information = x.TransposeThisAndMultiply(Weighted(x, fitted));
        double pearson = 0;
        for (int i = 0; i < n; i++) pearson += (y[i] - fitted[i]) * (y[i] - fitted[i]) / fitted[i];
        double dispersion = n > p ? pearson / (n - p) : double.NaN;
        double scale = quasi && dispersion > 1 ? Math.Sqrt(dispersion) : 1.0;
        var covariance = information.Inverse();
        var se = Enumerable.Range(0, p).Select(j => Math.Sqrt(covariance[j, j]) * scale).ToArray();
        return new PoissonFit(beta.ToArray(), se, dispersion, iteration, converged);
    }

    private static Matrix<double> Weighted(Matrix<double> x, Vector<double> weights)
    {
        var result = x.Clone();
        for (int i = 0; i < x.RowCount; i++) result.SetRow(i, x.Row(i) * weights[i]);
        return result;
    }

    private static double Deviance(Vector<double> y, Vector<double> mu)
    {
        double d = 0;
        for (int i = 0; i < y.Count; i++)
            d += 2 * ((y[i] > 0 ? y[i] * Math.Log(y[i] / mu[i]) : 0) - (y[i] - mu[i]));
        return d;
    }
}

/// <summary>One month of a zone's series.</summary>
public sealed record MonthlyCount(DateOnly Month, long Count);

/// <summary>The segmented-regression reading of a monthly series around an intervention.</summary>
/// <param name="LevelChange">Multiplicative change in level at the intervention (exp β), with its interval.</param>
/// <param name="TrendBefore">Monthly growth factor before the intervention.</param>
/// <param name="TrendChange">Multiplicative change in the monthly growth factor after it.</param>
public sealed record InterruptedTimeSeries(
    RatioEstimate LevelChange, double TrendBefore, RatioEstimate TrendChange, bool Seasonal, double Dispersion, int Months);

/// <summary>
/// Interrupted time series (segmented Poisson regression) of monthly counts:
/// log μ_t = β0 + β1·t + β2·after_t + β3·(t − t0)·after_t [+ β4·sin(2πm/12) + β5·cos(2πm/12)],
/// with the seasonal pair when the series spans at least 24 months. Quasi-Poisson errors.
/// </summary>
public static class InterruptedTimeSeriesModel
{
    public const int MinMonthsBefore = 6;
    public const int MinMonthsAfter = 3;

    /// <summary>Null when the series is too short on either side of <paramref name="interventionMonth"/>.</summary>
    public static InterruptedTimeSeries? Fit(IReadOnlyList<MonthlyCount> series, DateOnly interventionMonth, double confidence = 0.95)
    {
        var ordered = series.OrderBy(m => m.Month).ToList();
        int before = ordered.Count(m => m.Month < interventionMonth);
        int after = ordered.Count - before;
        if (before < MinMonthsBefore || after < MinMonthsAfter || ordered.Sum(m => m.Count) == 0) return null;
        bool seasonal = ordered.Count >= 24;
        var first = ordered[0].Month;
        int t0 = MonthsBetween(first, interventionMonth);
        var design = ordered.Select(m =>
        {
            int t = MonthsBetween(first, m.Month);
            double post = m.Month >= interventionMonth ? 1 : 0;
            var row = new List<double> { 1, t, post, (t - t0) * post };
            if (seasonal) { row.Add(Math.Sin(2 * Math.PI * m.Month.Month / 12)); row.Add(Math.Cos(2 * Math.PI * m.Month.Month / 12)); }
            return row.ToArray();
        }).ToArray();
        var fit = PoissonRegression.Fit(design, ordered.Select(m => (double)m.Count).ToArray());
        double z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        RatioEstimate Coefficient(int j)
        {
            double b = fit.Coefficients[j], se = fit.StandardErrors[j];
            double p = 2 * (1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, Math.Abs(b / se)));
            return new RatioEstimate(Math.Exp(b), Math.Exp(b - z * se), Math.Exp(b + z * se), p, "segmented-quasi-poisson");
        }
        return new InterruptedTimeSeries(Coefficient(2), Math.Exp(fit.Coefficients[1]), Coefficient(3), seasonal, fit.Dispersion, ordered.Count);
    }

    public static int MonthsBetween(DateOnly from, DateOnly to) => (to.Year - from.Year) * 12 + to.Month - from.Month;
}
