using GeoRisk.Core.Signaallijst;

namespace GeoRisk.Reports.Signaallijst;

/// <summary>What a caller asks of the signal list. <see cref="To"/> is exclusive and is also the
/// reference time of the recency factor, so the same query gives the same list tomorrow.</summary>
public sealed record SignaallijstQuery(
    string CasustafelId, string? AreaCode, IReadOnlyList<string>? Categories,
    DateTimeOffset From, DateTimeOffset To, int Limit, string Lang = "nl")
{
    /// <summary>For headings (factsheet); the id when not set.</summary>
    public string CasustafelName { get; init; } = CasustafelId;
}

/// <summary>A signal's location at the precision it was delivered with (sql/0700
/// location_at_precision): no coordinates at all for area precision.</summary>
public sealed record SignalLocation(
    string Precision, double? X, double? Y, double? Lon, double? Lat, string? AreaCode, string? AreaName)
{
    public string Label => AreaName ?? AreaCode ?? "";
}

public sealed record RankingFactors(double Weight, double Reliability, double Recency, double Corroboration, double AgeDays);

public sealed record SignaallijstRow(
    int Rank, long SignalId, string Category, DateTimeOffset ObservedAt, SignalLocation Location,
    int CorroboratingPartners, string FollowupStatus, IReadOnlyList<string> NextStatuses,
    double Priority, RankingFactors Factors, string Reason);

public sealed record SignaallijstResult(
    string Casustafel, string? Area, DateTimeOffset From, DateTimeOffset To, int Total,
    RankingParameters Parameters, IReadOnlyList<SignaallijstRow> Rows);

public sealed record FollowupEntry(
    long Id, string CasustafelId, string FromStatus, string ToStatus, string Note, string Actor, DateTimeOffset ChangedAt)
{
    /// <summary>The organisation (source partner code) of the key that took the step; null for keys without one.</summary>
    public string? Partner { get; init; }
    public string? PartnerLabelNl { get; init; }
    public string? PartnerLabelEn { get; init; }

    /// <summary>Role of the key at the time (member, admin, ...).</summary>
    public string? Role { get; init; }
}

public sealed record CasustafelInfo(string Id, string Name, string Description, IReadOnlyList<CasustafelArea> Areas, double[]? Bbox);

public sealed record CasustafelArea(string Code, string Name, string Kind);
