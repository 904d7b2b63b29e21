namespace GeoRisk.Core.Scans;

/// <summary>One sub-area of a stored scan as the comparison needs it: its signal count and its expected count against the parent.</summary>
public sealed record ScanUnit(string Code, string Name, long Count, double Expected, bool BoundaryChangedSinceBaseline = false)
{
    /// <summary>Key sum of the counted signals (cell-key method, docs/access.md).</summary>
    public long KeySum { get; init; }
}

/// <summary>Two sub-areas, one of each scan, whose boundaries overlap (codes that exist in only one of the scans).</summary>
public sealed record ScanOverlap(string BaselineCode, string LaterCode);

/// <summary>Change classes of a sub-area between a baseline (nulmeting) and a later scan.</summary>
public static class ChangeClass
{
    public const string SignificantUp = "significant-up";
    public const string SignificantDown = "significant-down";
    public const string NoChange = "no-change";
    public const string New = "new";
    public const string Gone = "gone";
}

/// <summary>How the compared unit relates the two scans' boundaries.</summary>
public static class BoundaryMatch
{
    /// <summary>Same code, same boundary.</summary>
    public const string Same = "same";
    /// <summary>Same code, a new boundary version between the scans.</summary>
    public const string Changed = "boundary-changed";
    /// <summary>One baseline area became several: compared on their union.</summary>
    public const string Split = "split";
    /// <summary>Several baseline areas became one: compared on their union.</summary>
    public const string Merged = "merged";
    /// <summary>Several became several: compared on the union of the group.</summary>
    public const string Regrouped = "regrouped";
    public const string None = "none";
}

/// <summary>One compared unit: a sub-area, or a group of split/merged sub-areas compared on their union.</summary>
public sealed record ScanChange(
    IReadOnlyList<string> BaselineCodes, IReadOnlyList<string> LaterCodes, string Name, string Match,
    long? BaselineCount, double? BaselineExpected, long? LaterCount, double? LaterExpected,
    double? BaselineRr, double? LaterRr, double? RrRatio, double? P, double? PAdjusted, string Class)
{
    /// <summary>Key sums of the two counts (the units' sums); never served.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long BaselineKeySum { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public long LaterKeySum { get; init; }
}

/// <summary>
/// Sub-area by sub-area comparison of a later scan with its baseline: relative risk against the
/// parent in each scan, the exact conditional rate-ratio test of "same relative risk", and
/// Benjamini-Hochberg over all compared units. Split or merged sub-areas (linked by overlapping
/// boundaries) are compared on the union of each connected group, which is the part the two
/// scans have in common.
/// </summary>
public static class ScanComparison
{
    public const double Alpha = 0.05;

    public static IReadOnlyList<ScanChange> Compare(IReadOnlyList<ScanUnit> baseline, IReadOnlyList<ScanUnit> later, IReadOnlyList<ScanOverlap> overlaps, double alpha = Alpha)
    {
        var a = baseline.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var b = later.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var units = new List<(List<ScanUnit> A, List<ScanUnit> B, string Match)>();

        foreach (var unit in baseline.Where(u => b.ContainsKey(u.Code)))
        {
            var other = b[unit.Code];
            units.Add(([unit], [other], other.BoundaryChangedSinceBaseline ? BoundaryMatch.Changed : BoundaryMatch.Same));
        }

        // Codes in only one scan: connected groups over the overlap links (union-find by key).
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        string Find(string x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        foreach (var u in baseline.Where(u => !b.ContainsKey(u.Code))) parent["a:" + u.Code] = "a:" + u.Code;
        foreach (var u in later.Where(u => !a.ContainsKey(u.Code))) parent["b:" + u.Code] = "b:" + u.Code;
        foreach (var o in overlaps)
        {
            var ka = "a:" + o.BaselineCode; var kb = "b:" + o.LaterCode;
            if (!parent.ContainsKey(ka) || !parent.ContainsKey(kb)) continue;
            var ra = Find(ka); var rb = Find(kb);
            if (ra != rb) parent[ra] = rb;
        }
        foreach (var group in parent.Keys.GroupBy(Find, StringComparer.Ordinal).OrderBy(g => g.Min(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            var ga = group.Where(k => k.StartsWith("a:", StringComparison.Ordinal)).Select(k => a[k[2..]]).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
            var gb = group.Where(k => k.StartsWith("b:", StringComparison.Ordinal)).Select(k => b[k[2..]]).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
            var match = (ga.Count, gb.Count) switch
            {
                (0, _) or (_, 0) => BoundaryMatch.None,
                (1, _) => BoundaryMatch.Split,
                (_, 1) => BoundaryMatch.Merged,
                _ => BoundaryMatch.Regrouped,
            };
            units.Add((ga, gb, match));
        }

        // Test every unit present in both scans; BH over exactly those.
        var tested = new List<int>();
        var p = new List<double>();
        var rows = new ScanChange[units.Count];
        for (var i = 0; i < units.Count; i++)
        {
            var (ga, gb, match) = units[i];
            long? nA = ga.Count == 0 ? null : ga.Sum(u => u.Count);
            double? eA = ga.Count == 0 ? null : ga.Sum(u => u.Expected);
            long? nB = gb.Count == 0 ? null : gb.Sum(u => u.Count);
            double? eB = gb.Count == 0 ? null : gb.Sum(u => u.Expected);
            double? rrA = eA > 0 ? nA / eA : null;
            double? rrB = eB > 0 ? nB / eB : null;
            double? ratio = rrA > 0 && rrB is not null ? rrB / rrA : null;
            double? pValue = null;
            if (nA is not null && nB is not null && eA > 0 && eB > 0)
            {
                pValue = RateStatistics.RateRatioPValue(nA.Value, eA.Value, nB.Value, eB.Value);
                tested.Add(i);
                p.Add(pValue.Value);
            }
            var name = string.Join(" + ", (gb.Count > 0 ? gb : ga).Select(u => u.Name));
            var cls = ga.Count == 0 ? ChangeClass.New : gb.Count == 0 ? ChangeClass.Gone : ChangeClass.NoChange;
            rows[i] = new ScanChange(ga.Select(u => u.Code).ToList(), gb.Select(u => u.Code).ToList(), name, match,
                nA, eA, nB, eB, rrA, rrB, ratio, pValue, null, cls)
            {
                BaselineKeySum = ga.Sum(u => u.KeySum),
                LaterKeySum = gb.Sum(u => u.KeySum),
            };
        }
        var adjusted = RateStatistics.BenjaminiHochberg(p);
        for (var j = 0; j < tested.Count; j++)
        {
            var row = rows[tested[j]];
            var up = (double)row.LaterCount!.Value * row.BaselineExpected!.Value > (double)row.BaselineCount!.Value * row.LaterExpected!.Value;
            var cls = adjusted[j] <= alpha ? (up ? ChangeClass.SignificantUp : ChangeClass.SignificantDown) : ChangeClass.NoChange;
            rows[tested[j]] = row with { PAdjusted = adjusted[j], Class = cls };
        }
        return rows.OrderBy(r => (r.LaterCodes.Count > 0 ? r.LaterCodes : r.BaselineCodes)[0], StringComparer.Ordinal).ToList();
    }
}
