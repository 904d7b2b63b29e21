using System.Text.RegularExpressions;

namespace GeoRisk.Core.Scans;

/// <summary>The frozen inputs and identity of a stored wijkscan.</summary>
public sealed record ScanHeader(
    long Id, string Name, string ParentCode, string ParentName, string Level,
    DateOnly WindowFrom, DateOnly WindowTo, DateTimeOffset Cutoff,
    string Profile, int ProfileVersion, string Model, int HotspotCellM, bool IsBaseline, DateTimeOffset CreatedAt,
    int SubAreas, int Kandidaten);

/// <summary>One sub-area of a stored scan (exact values; suppression is applied when it is served).</summary>
public sealed record ScanRow(
    string Code, string Name, long AreaId, double Denominator, string DenominatorUnit,
    int SignalCount, int SourceCount, IReadOnlyDictionary<string, int> Counts,
    double? ExpectedParent, double? RrParent, double? RrParentLow, double? RrParentHigh,
    double? ExpectedRegion, double? RrRegion, double? RrRegionLow, double? RrRegionHigh,
    int Rank, bool Kandidaat, int HotspotCells, bool NoData)
{
    /// <summary>Key sums of the row's counts (cell-key method, docs/access.md); never served.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ScanRowKeys Keys { get; init; } = ScanRowKeys.None;

    /// <summary>
    /// Model <c>rr-score-3</c> only: the area score's observed quantity O (Σ weight · reliability · decay
    /// × corroboration) and what is expected of it against the parent and the region; null otherwise.
    /// </summary>
    public ScanObserved? Observed { get; init; }
}

/// <summary>The weighted observation of a row (model <c>rr-score-3</c>) and its expectations against the parent and the region.</summary>
public sealed record ScanObserved(double Observed, double? ExpectedParent, double? ExpectedRegion);

/// <summary>
/// Sums of the record keys of what a scan row counts: its signals, its partners, its signals per
/// category. A count of several rows (a parent total, a merged group) has the sum of their key sums.
/// </summary>
public sealed record ScanRowKeys(long Signals, long Sources, IReadOnlyDictionary<string, long> Categories)
{
    public static readonly ScanRowKeys None = new(0, 0, new Dictionary<string, long>());

    public long Category(string category) => Categories.GetValueOrDefault(category);
}

public sealed record Scan(ScanHeader Header, IReadOnlyList<ScanRow> Rows);

public static partial class ScanNames
{
    /// <summary>The model of the scan rows (count-based relative risk with Byar intervals); stored with every scan.</summary>
    public const string Model = "rr-poisson-1";

    /// <summary>Scan names: letters, digits, '-' and '_' (they appear in URLs and file names).</summary>
    public static bool IsValid(string? name) => name is not null && NamePattern().IsMatch(name);

    public static readonly IReadOnlyList<string> Levels = ["wijk", "buurt"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")]
    private static partial Regex NamePattern();
}
