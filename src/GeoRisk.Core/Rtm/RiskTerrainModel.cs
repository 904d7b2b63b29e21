using GeoRisk.Core.Effects;

namespace GeoRisk.Core.Rtm;

/// <summary>
/// The distances from every cell of a study area to the features of one factor within reach:
/// <c>PerCell[i]</c> ascending, null when no feature of the factor lies within reach of cell i.
/// </summary>
public sealed record FactorDistances(string Factor, double[]?[] PerCell);

/// <summary>How one operationalisation of a factor did on its own (intercept + that variable).</summary>
public sealed record OperationalisationScore(string Operationalisation, double? Bic, double? Rrv, int Cells, double? DensityThreshold);

/// <summary>A factor's screening: every operationalisation, and the one with the lowest BIC among those that raise risk.</summary>
public sealed record FactorCandidate(string Factor, string? Best, double? BestBic, IReadOnlyList<OperationalisationScore> Scores);

/// <summary>A factor the model keeps: its operationalisation, coefficient and relative risk value (RRV = exp β) with interval.</summary>
public sealed record KeptFactor(string Factor, string Operationalisation, InfluenceKind Influence, int Metres, double? DensityThreshold,
    double Coefficient, double StandardError, double Rrv, double RrvLow, double RrvHigh, double P, int Cells);

/// <summary>One step of the stepwise search.</summary>
public sealed record StepwiseStep(int Step, string Action, string Factor, double Bic);

/// <summary>A fitted risk terrain model; <see cref="Rrs"/>, <see cref="Expected"/> and <see cref="Present"/> are per cell, in input order.</summary>
public sealed record RtmFit(
    double Intercept, double InterceptStandardError, IReadOnlyList<KeptFactor> Factors, IReadOnlyList<FactorCandidate> Candidates,
    IReadOnlyList<StepwiseStep> Steps, double Bic, double NullBic, double LogLikelihood, double Dispersion, int Cells, double Signals,
    double[] Rrs, double[] Expected, string[][] Present);

/// <summary>A model that cannot be fitted (no cells, no signals); the message says why.</summary>
public sealed class RtmException(string message) : Exception(message);

/// <summary>
/// Risk Terrain Modeling (Caplan &amp; Kennedy), as RTMDx does it, on the cells of a study area:
/// <list type="number">
/// <item>every factor's influence is tried as proximity (within d metres) and as density (dense
/// within a bandwidth); each operationalisation is a 0/1 variable per cell;</item>
/// <item>screening: per factor the operationalisation whose one-variable Poisson model has the
/// lowest BIC, among those that raise the risk (a gelegenheidskaart shows opportunity);</item>
/// <item>forward stepwise selection by BIC over the factors' best variables, then a backward pass
/// (a factor whose removal lowers the BIC goes);</item>
/// <item>RRV = exp β of each kept factor with a Wald interval (scaled by √φ when counts are
/// overdispersed), RRS of a cell = product of the RRVs of the kept factors present in it.</item>
/// </list>
/// The variables are binary, so cells with the same variables are grouped (offset = log of the
/// number of cells): the fit is that of the ungrouped cells, and costs a pass over the cells plus
/// a GLM of at most 2^k rows. Log-likelihoods include Σ log y! so BIC equals R's <c>BIC(glm)</c>.
/// </summary>
public static class RiskTerrainModel
{
    public static RtmFit Fit(IReadOnlyList<double> counts, IReadOnlyList<FactorDistances> factors, RtmSettings settings)
    {
        if (settings.Problem() is { } problem) throw new RtmException(problem);
        int n = counts.Count;
        if (n < 3) throw new RtmException("the study area has fewer than three cells");
        var y = counts.ToArray();
        if (y.Any(v => v < 0 || !double.IsFinite(v))) throw new RtmException("counts must be finite and not negative");
        double total = y.Sum();
        if (total <= 0) throw new RtmException("there are no signals in the fit period in the study area");
        if (factors.Any(f => f.PerCell.Length != n)) throw new RtmException("every factor needs distances for every cell");
        double logFactorials = y.Sum(v => MathNet.Numerics.SpecialFunctions.GammaLn(v + 1));
        double logN = Math.Log(n);
        double nullLogLikelihood = total * Math.Log(total / n) - total - logFactorials;
        double nullBic = -2 * nullLogLikelihood + logN;

        // Screening: the best operationalisation of every factor, with its 0/1 column.
        var candidates = new List<FactorCandidate>();
        var columns = new Dictionary<string, (bool[] Column, Operationalisation Op, double? Threshold)>(StringComparer.Ordinal);
        foreach (var factor in factors)
        {
            var scores = new List<OperationalisationScore>();
            (double Bic, bool[] Column, Operationalisation Op, double? Threshold)? best = null;
            foreach (var op in settings.Operationalisations())
            {
                var (column, threshold) = Column(factor, op, settings.DensitySds);
                int n1 = 0;
                double y1 = 0;
                for (int i = 0; i < n; i++)
                {
                    if (!column[i]) continue;
                    n1++;
                    y1 += y[i];
                }
                int n0 = n - n1;
                double y0 = total - y1;
                // Not estimable: no cell or every cell has it, or one side has no signals (β = ±∞).
                if (n1 == 0 || n0 == 0 || y1 == 0 || y0 == 0)
                {
                    scores.Add(new OperationalisationScore(op.Code, null, null, n1, threshold));
                    continue;
                }
                double ll = y1 * Math.Log(y1 / n1) - y1 + y0 * Math.Log(y0 / n0) - y0 - logFactorials;
                double bic = -2 * ll + 2 * logN;
                double rrv = (y1 / n1) / (y0 / n0);
                scores.Add(new OperationalisationScore(op.Code, bic, rrv, n1, threshold));
                if (rrv > 1 && (best is null || bic < best.Value.Bic)) best = (bic, column, op, threshold);
            }
            candidates.Add(new FactorCandidate(factor.Factor, best?.Op.Code, best?.Bic, scores));
            if (best is { } b) columns[factor.Factor] = (b.Column, b.Op, b.Threshold);
        }

        // Stepwise by BIC over the screened variables.
        var steps = new List<StepwiseStep>();
        var kept = new List<string>();
        double currentBic = nullBic;
        while (true)
        {
            (string Factor, double Bic)? next = null;
            foreach (var factor in columns.Keys.Where(f => !kept.Contains(f)))
            {
                var trial = kept.Append(factor).ToList();
                var fit = FitGrouped(y, trial.Select(f => columns[f].Column).ToList(), logFactorials);
                if (fit is null || fit.Beta[^1] <= 0) continue;
                if (next is null || fit.Bic < next.Value.Bic) next = (factor, fit.Bic);
            }
            if (next is null || next.Value.Bic >= currentBic) break;
            kept.Add(next.Value.Factor);
            currentBic = next.Value.Bic;
            steps.Add(new StepwiseStep(steps.Count + 1, "add", next.Value.Factor, currentBic));
            while (kept.Count > 1)
            {
                (string Factor, double Bic)? drop = null;
                foreach (var factor in kept)
                {
                    var fit = FitGrouped(y, kept.Where(f => f != factor).Select(f => columns[f].Column).ToList(), logFactorials);
                    if (fit is not null && fit.Bic < currentBic && (drop is null || fit.Bic < drop.Value.Bic)) drop = (factor, fit.Bic);
                }
                if (drop is null) break;
                kept.Remove(drop.Value.Factor);
                currentBic = drop.Value.Bic;
                steps.Add(new StepwiseStep(steps.Count + 1, "drop", drop.Value.Factor, currentBic));
            }
        }

        var final = FitGrouped(y, kept.Select(f => columns[f].Column).ToList(), logFactorials)
                    ?? throw new RtmException("the final model could not be fitted");
        double scale = final.Dispersion > 1 ? Math.Sqrt(final.Dispersion) : 1;
        double z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - (1 - settings.Confidence) / 2);
        var keptFactors = new List<KeptFactor>();
        for (int j = 0; j < kept.Count; j++)
        {
            double beta = final.Beta[j + 1], se = final.StandardErrors[j + 1] * scale;
            double p = 2 * (1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, Math.Abs(beta / se)));
            var (column, op, threshold) = columns[kept[j]];
            keptFactors.Add(new KeptFactor(kept[j], op.Code, op.Kind, op.Metres, threshold, beta, se,
                Math.Exp(beta), Math.Exp(beta - z * se), Math.Exp(beta + z * se), p, column.Count(c => c)));
        }
        var rrs = new double[n];
        var expected = new double[n];
        var present = new string[n][];
        double intercept = final.Beta[0];
        for (int i = 0; i < n; i++)
        {
            double eta = 0;
            var here = new List<string>();
            for (int j = 0; j < kept.Count; j++)
            {
                if (!columns[kept[j]].Column[i]) continue;
                eta += final.Beta[j + 1];
                here.Add(kept[j]);
            }
            rrs[i] = Math.Exp(eta);
            expected[i] = Math.Exp(intercept + eta);
            present[i] = [.. here];
        }
        return new RtmFit(intercept, final.StandardErrors[0] * scale, keptFactors, candidates, steps, final.Bic, nullBic,
            final.LogLikelihood, final.Dispersion, n, total, rrs, expected, present);
    }

    /// <summary>The 0/1 variable of one operationalisation of a factor, with the density threshold used (features).</summary>
    public static (bool[] Column, double? Threshold) Column(FactorDistances factor, Operationalisation op, double densitySds)
    {
        int n = factor.PerCell.Length;
        var column = new bool[n];
        if (op.Kind == InfluenceKind.Proximity)
        {
            for (int i = 0; i < n; i++) column[i] = factor.PerCell[i] is { Length: > 0 } d && d[0] <= op.Metres;
            return (column, null);
        }
        var density = new double[n];
        for (int i = 0; i < n; i++) density[i] = WithinCount(factor.PerCell[i], op.Metres);
        double mean = density.Average();
        double sd = Math.Sqrt(density.Sum(v => (v - mean) * (v - mean)) / n);
        double threshold = Math.Max(1, mean + densitySds * sd);
        for (int i = 0; i < n; i++) column[i] = density[i] >= threshold;
        return (column, threshold);
    }

    private static int WithinCount(double[]? distances, int metres)
    {
        if (distances is null) return 0;
        int count = 0;
        while (count < distances.Length && distances[count] <= metres) count++;
        return count;
    }

    private sealed record GroupedFit(double[] Beta, double[] StandardErrors, double LogLikelihood, double Bic, double Dispersion);

    /// <summary>Poisson GLM of the cell counts on intercept + the given 0/1 columns, through the grouped form. Null when not estimable.</summary>
    private static GroupedFit? FitGrouped(double[] y, List<bool[]> columns, double logFactorials)
    {
        int n = y.Length, k = columns.Count, p = k + 1;
        if (k > 62) throw new RtmException("at most 62 factors in one model");
        var index = new Dictionary<ulong, int>();
        var masks = new List<ulong>();
        var cells = new List<double>();
        var sums = new List<double>();
        var squares = new List<double>();
        for (int i = 0; i < n; i++)
        {
            ulong mask = 0;
            for (int j = 0; j < k; j++) if (columns[j][i]) mask |= 1UL << j;
            if (!index.TryGetValue(mask, out var g))
            {
                g = masks.Count;
                index[mask] = g;
                masks.Add(mask);
                cells.Add(0);
                sums.Add(0);
                squares.Add(0);
            }
            cells[g]++;
            sums[g] += y[i];
            squares[g] += y[i] * y[i];
        }
        if (masks.Count < p) return null;
        var design = masks.Select(m =>
        {
            var row = new double[p];
            row[0] = 1;
            for (int j = 0; j < k; j++) row[j + 1] = (m >> j & 1UL) == 1UL ? 1 : 0;
            return row;
        }).ToArray();
        PoissonFit fit;
        try
        {
            fit = PoissonRegression.Fit(design, [.. sums], quasi: false, offset: cells.Select(c => Math.Log(c)).ToArray());
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (!fit.Converged || fit.Coefficients.Concat(fit.StandardErrors).Any(v => !double.IsFinite(v))) return null;
        double ll = -logFactorials, pearson = 0;
        for (int g = 0; g < masks.Count; g++)
        {
            double eta = 0;
            for (int j = 0; j < p; j++) eta += design[g][j] * fit.Coefficients[j];
            double mu = Math.Exp(eta);
            ll += (sums[g] > 0 ? sums[g] * eta : 0) - cells[g] * mu;
            pearson += (squares[g] - 2 * mu * sums[g] + cells[g] * mu * mu) / mu;
        }
        double dispersion = n > p ? pearson / (n - p) : double.NaN;
        return new GroupedFit(fit.Coefficients, fit.StandardErrors, ll, -2 * ll + p * Math.Log(n), dispersion);
    }
}
