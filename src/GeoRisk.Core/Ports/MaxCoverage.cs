namespace GeoRisk.Core.Ports;

/// <summary>One chosen candidate: its index, what it adds to those chosen before it, and the running total.</summary>
public sealed record CoveragePick(int Candidate, double Gain, double Cumulative);

/// <summary>
/// Greedy picks in order, the covered weight, the total weight that could be covered at all,
/// and a data-dependent upper bound on the optimum: OPT ≤ f(S) + the sum of the <c>budget</c>
/// largest marginal gains with respect to S (submodularity), usually much tighter than f(S)/(1−1/e).
/// </summary>
public sealed record CoverageSolution(IReadOnlyList<CoveragePick> Picks, double Covered, double Coverable, double UpperBound, int Evaluations);

/// <summary>
/// Maximum coverage (the maximal covering location problem): choose at most <c>budget</c>
/// candidates so that the weight of the demand points covered by at least one of them is
/// largest. Greedy with lazy evaluation (Minoux 1978): a candidate's marginal gain can only
/// shrink as more are chosen (the objective is monotone submodular), so a stale gain is an upper
/// bound and only the top of the queue needs recomputing. The greedy answer is at least
/// (1 − 1/e) ≈ 63.2% of the optimum (Nemhauser, Wolsey &amp; Fisher 1978); no polynomial method
/// does better in general unless P = NP (Feige 1998). Lazy and plain greedy choose the same
/// gains; ties go to the lower candidate index.
/// </summary>
public static class MaxCoverage
{
    /// <summary>1 − 1/e: the greedy guarantee.</summary>
    public static readonly double GreedyBound = 1 - 1 / Math.E;

    public static CoverageSolution Greedy(IReadOnlyList<int[]> covers, IReadOnlyList<double> weights, int budget)
    {
        ArgumentNullException.ThrowIfNull(covers);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        var covered = new bool[weights.Count];
        // Max-heap on (gain, lower index first): PriorityQueue is a min-heap, so negate.
        var queue = new PriorityQueue<int, (double NegGain, int Index)>();
        var coverable = new bool[weights.Count];
        for (var i = 0; i < covers.Count; i++)
        {
            queue.Enqueue(i, (-Gain(covers[i], weights, covered), i));
            foreach (var d in covers[i]) coverable[d] = true;
        }
        var picks = new List<CoveragePick>();
        var total = 0.0;
        var evaluations = covers.Count;
        var chosen = new bool[covers.Count];
        while (picks.Count < budget && queue.TryDequeue(out var candidate, out _))
        {
            var gain = Gain(covers[candidate], weights, covered);
            evaluations++;
            if (queue.TryPeek(out var next, out var nextBound) && (gain < -nextBound.NegGain || (gain == -nextBound.NegGain && next < candidate)))
            {
                queue.Enqueue(candidate, (-gain, candidate));
                continue;
            }
            if (gain <= 0) break;
            foreach (var d in covers[candidate]) covered[d] = true;
            total += gain;
            chosen[candidate] = true;
            picks.Add(new CoveragePick(candidate, gain, total));
        }
        // Upper bound on the optimum from the final state.
        var gains = new List<double>(covers.Count);
        for (var i = 0; i < covers.Count; i++)
            if (!chosen[i]) gains.Add(Gain(covers[i], weights, covered));
        gains.Sort((a, b) => b.CompareTo(a));
        var upper = total + gains.Take(budget).Sum();
        var coverableWeight = 0.0;
        for (var d = 0; d < weights.Count; d++)
            if (coverable[d]) coverableWeight += weights[d];
        return new CoverageSolution(picks, total, coverableWeight, Math.Min(upper, coverableWeight), evaluations);
    }

    /// <summary>The optimum by trying every set of <c>min(budget, candidates)</c> candidates: for checking small instances only.</summary>
    public static (int[] Best, double Value) BruteForce(IReadOnlyList<int[]> covers, IReadOnlyList<double> weights, int budget)
    {
        var k = Math.Min(budget, covers.Count);
        if (covers.Count > 30) throw new ArgumentException("brute force is for small instances (at most 30 candidates)", nameof(covers));
        var best = Array.Empty<int>();
        var bestValue = -1.0;
        var current = new int[k];
        void Recurse(int from, int depth)
        {
            if (depth == k)
            {
                var value = Value(current.Select(i => covers[i]), weights);
                if (value > bestValue + 1e-12)
                {
                    bestValue = value;
                    best = (int[])current.Clone();
                }
                return;
            }
            for (var i = from; i <= covers.Count - (k - depth); i++)
            {
                current[depth] = i;
                Recurse(i + 1, depth + 1);
            }
        }
        Recurse(0, 0);
        return (best, Math.Max(0, bestValue));
    }

    /// <summary>Weight covered by the union of some candidates.</summary>
    public static double Value(IEnumerable<int[]> chosen, IReadOnlyList<double> weights)
    {
        var seen = new HashSet<int>();
        var value = 0.0;
        foreach (var set in chosen)
            foreach (var d in set)
                if (seen.Add(d)) value += weights[d];
        return value;
    }

    private static double Gain(int[] set, IReadOnlyList<double> weights, bool[] covered)
    {
        var gain = 0.0;
        foreach (var d in set)
            if (!covered[d]) gain += weights[d];
        return gain;
    }
}
