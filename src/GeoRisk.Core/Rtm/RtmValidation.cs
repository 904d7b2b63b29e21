using GeoRisk.Core.Hexagons;

namespace GeoRisk.Core.Rtm;

/// <summary>
/// How well the top <see cref="Share"/> of cells by some score caught the signals of a later
/// period. <see cref="HitRate"/> = share of those signals in the selected cells;
/// <see cref="Pai"/> (Predictive Accuracy Index, Chainey et al.) = hit rate / area share.
/// Null when the period had no signals.
/// </summary>
public sealed record TopShareResult(double Share, double CellsSelected, int Cells, double Hits, double Signals, double? HitRate, double? Pai);

/// <summary>Fit on one period, test on the next: the model next to a hot-spot map of the earlier signals.</summary>
public sealed record RtmValidation(TopShareResult Model, TopShareResult Hotspot);

public static class RtmValidationMeasures
{
    public const double DefaultShare = 0.05;

    /// <summary>
    /// Hit rate and PAI of the top <paramref name="share"/> of cells by <paramref name="score"/>.
    /// The selection is exactly share × cells: where the cut falls inside a group of equal scores
    /// (an RRS has few distinct values), that group counts with the fraction of it that fits —
    /// the expected hits of breaking the tie at random, instead of an arbitrary order deciding.
    /// </summary>
    public static TopShareResult TopShare(IReadOnlyList<double> score, IReadOnlyList<double> counts, double share = DefaultShare)
    {
        if (score.Count != counts.Count) throw new ArgumentException("one score per count is needed", nameof(counts));
        if (!(share > 0 && share <= 1)) throw new ArgumentOutOfRangeException(nameof(share), share, "share must lie in (0, 1]");
        int n = score.Count;
        double total = counts.Sum();
        double room = share * n, hits = 0;
        var order = Enumerable.Range(0, n).OrderByDescending(i => score[i]).ToArray();
        for (int start = 0; start < n && room > 0;)
        {
            int end = start;
            double groupHits = 0;
            while (end < n && score[order[end]] == score[order[start]]) groupHits += counts[order[end++]];
            int size = end - start;
            hits += size <= room ? groupHits : groupHits * room / size;
            room -= size;
            start = end;
        }
        double? hitRate = total > 0 ? hits / total : null;
        return new TopShareResult(share, share * n, n, hits, total, hitRate, hitRate / share);
    }

    /// <summary>
    /// The hot-spot map that signals alone give: per cell, the earlier signals in it and its six
    /// neighbours (the local sum of Getis-Ord Gi* with one ring, which orders cells as Gi* does
    /// where a cell's whole neighbourhood lies in the study area).
    /// </summary>
    public static double[] HotspotScores(IReadOnlyList<HexCell> cells, IReadOnlyList<double> earlier)
    {
        var at = new Dictionary<HexCell, double>(cells.Count);
        for (int i = 0; i < cells.Count; i++) at[cells[i]] = earlier[i];
        var result = new double[cells.Count];
        for (int i = 0; i < cells.Count; i++)
            foreach (var neighbour in HexGrid.Neighbourhood(cells[i], 1))
                if (at.TryGetValue(neighbour, out var v)) result[i] += v;
        return result;
    }

    /// <summary>
    /// Blind spots: cells among the top <paramref name="share"/> by RRS (ties at the cut included,
    /// RRS above 1) with at most <paramref name="maxSignals"/> signals — high opportunity where
    /// partners have not (yet) seen anything. Indices, highest RRS first, then input order.
    /// </summary>
    public static IReadOnlyList<int> BlindSpots(IReadOnlyList<double> rrs, IReadOnlyList<double> observed, double share = DefaultShare, int maxSignals = 0)
    {
        int n = rrs.Count;
        if (n == 0) return [];
        var sorted = rrs.OrderByDescending(v => v).ToArray();
        double cut = sorted[Math.Clamp((int)Math.Ceiling(share * n) - 1, 0, n - 1)];
        return Enumerable.Range(0, n)
            .Where(i => rrs[i] > 1 && rrs[i] >= cut && observed[i] <= maxSignals)
            .OrderByDescending(i => rrs[i]).ThenBy(i => i)
            .ToList();
    }
}
