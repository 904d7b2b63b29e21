namespace GeoRisk.Core.Effects;

/// <summary>A candidate control area with its pre-period monthly counts.</summary>
public sealed record ControlCandidate(string Code, string Name, IReadOnlyList<long> PreSeries);

/// <summary>A suggested control: how closely its pre-period series follows the target's.</summary>
public sealed record SuggestedControl(string Code, string Name, double Correlation, double LevelRatio, long PreCount);

/// <summary>
/// Suggests control areas: the candidates whose monthly pre-period series correlates best with
/// the target's (Pearson), ties broken by the closer level. A control must have signals in every
/// pre-period quarter on average (≥ 1 a month) to be a stable denominator.
/// </summary>
public static class ControlSuggestion
{
    public static IReadOnlyList<SuggestedControl> Rank(IReadOnlyList<long> targetPre, IEnumerable<ControlCandidate> candidates, int take = 5)
    {
        double targetTotal = targetPre.Sum();
        return candidates
            .Where(c => c.PreSeries.Count == targetPre.Count && c.PreSeries.Sum() >= c.PreSeries.Count)
            .Select(c => new SuggestedControl(c.Code, c.Name, Pearson(targetPre, c.PreSeries),
                targetTotal == 0 ? double.NaN : c.PreSeries.Sum() / targetTotal, c.PreSeries.Sum()))
            .OrderByDescending(s => double.IsNaN(s.Correlation) ? -2 : s.Correlation)
            .ThenBy(s => double.IsNaN(s.LevelRatio) ? double.MaxValue : Math.Abs(Math.Log(s.LevelRatio)))
            .ThenBy(s => s.Code, StringComparer.Ordinal)
            .Take(take)
            .ToList();
    }

    public static double Pearson(IReadOnlyList<long> a, IReadOnlyList<long> b)
    {
        int n = a.Count;
        if (n < 2) return double.NaN;
        double meanA = a.Average(), meanB = b.Average(), cov = 0, varA = 0, varB = 0;
        for (int i = 0; i < n; i++)
        {
            double da = a[i] - meanA, db = b[i] - meanB;
            cov += da * db; varA += da * da; varB += db * db;
        }
        return varA == 0 || varB == 0 ? double.NaN : cov / Math.Sqrt(varA * varB);
    }
}
