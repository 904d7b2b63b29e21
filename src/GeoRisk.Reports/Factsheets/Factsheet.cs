using GeoRisk.Reports.Signaallijst;
using NetTopologySuite.Geometries;

namespace GeoRisk.Reports.Factsheets;

/// <summary>Everything a factsheet shows, gathered before drawing (geometries in RD New).</summary>
public sealed record FactsheetData(
    string CasustafelName,
    string AreaCode,
    string AreaName,
    string AreaKind,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset GeneratedAt,
    FactsheetScore? Score,
    int SignalsInPeriod,
    int SignalsPreviousPeriod,
    IReadOnlyList<SignaallijstRow> TopSignals,
    Geometry AreaGeometry,
    IReadOnlyList<Geometry> OtherAreas,
    string Lang,
    IReadOnlyDictionary<string, string> CategoryLabels,
    IReadOnlyDictionary<string, string> StatusLabels)
{
    /// <summary>Area kinds in the factsheet's language (code when missing).</summary>
    public IReadOnlyDictionary<string, string> KindLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>Location precisions in the factsheet's language (code when missing).</summary>
    public IReadOnlyDictionary<string, string> PrecisionLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>The casustafel's interventions in this area with their effect (a second page when there are any).</summary>
    public IReadOnlyList<Effects.InterventionSummary> Interventions { get; init; } = [];

    /// <summary>The newest gelegenheidskaart of this area as a study area (a page of its own when there is one).</summary>
    public Rtm.RtmFactsheetSection? Gelegenheidskaart { get; init; }

    /// <summary>Camera coverage of a mainport by the casustafel's programme (a page of its own for mainports).</summary>
    public PortFactsheetSection? Ports { get; init; }

    /// <summary>Gemeenten, wijken and buurten around the area, drawn with their names when there is no basemap.</summary>
    public IReadOnlyList<GeoRisk.Rendering.ContextArea> Context { get; init; } = [];

    /// <summary>The basemap under the map, when one is configured (owned by the caller, who disposes it).</summary>
    public FactsheetBasemap? Basemap { get; init; }
}

/// <summary>The latest stored score of the area (table score, written by the scoring run).</summary>
public sealed record FactsheetScore(
    double Score, double Raw, int Rank, int RankOf, string Profile, int ProfileVersion, DateOnly ReferenceDate,
    int SignalCount, int SourceCount, IReadOnlyList<ScoreComponent> Components, bool? Candidate, IReadOnlyList<string> Reasons)
{
    /// <summary>The stored score as the API returns it, for a relative-risk profile; null for a version-1 percentile score.</summary>
    public GeoRisk.Core.Scoring.RiskScore? Typed { get; init; }
}

public sealed record ScoreComponent(string Category, double Value);
