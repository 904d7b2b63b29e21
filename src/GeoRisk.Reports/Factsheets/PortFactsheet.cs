using GeoRisk.Core.Access;
using GeoRisk.Core.Hexagons;
using GeoRisk.Data.Ports;
using GeoRisk.Data.Scoring;

namespace GeoRisk.Reports.Factsheets;

/// <summary>An uncovered Gi* hot-spot cell as the factsheet prints it: its centre in RD New.</summary>
public sealed record PortFactsheetHotspot(double X, double Y, string Class, long? Signals, double? CoveredShare);

/// <summary>
/// The camera coverage of a mainport for the factsheet's port page (docs/ports.md): the figures
/// of GET /api/ports/coverage for the casustafel's own programme over the factsheet's period.
/// </summary>
public sealed record PortFactsheetSection(string Programme, int CellSizeM, CoverageReport Coverage, IReadOnlyList<PortFactsheetHotspot> UncoveredHotspots)
{
    /// <summary>Hexagons of the hot-spot part: as the web map asks, quick on a whole port.</summary>
    public const int CellSize = 250;

    /// <summary>Cameras active at the end of the period (the last month's figure).</summary>
    public long ActiveCameras => Coverage.Monthly.Count == 0 ? 0 : Coverage.Monthly[^1].ActiveCameras;

    /// <summary>Null unless the area is a mainport; the programme is the casustafel the factsheet is for.</summary>
    public static async Task<PortFactsheetSection?> LoadAsync(Npgsql.NpgsqlDataSource db, string casustafel, string areaCode, string areaKind,
        DateTimeOffset from, DateTimeOffset to, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (areaKind != "mainport") return null;
        var start = DateOnly.FromDateTime(from.UtcDateTime);
        var end = DateOnly.FromDateTime(to.UtcDateTime);
        var hotspots = await new AreaAnalysisStore(db).HotspotsAsync(areaCode, CellSize, start, end, null, 1, scope, cancellationToken);
        var report = await new PortStore(db).CoverageAsync(areaCode, [casustafel], start, end, null, CellSize, hotspots, scope, cancellationToken);
        var cells = report.UncoveredHotspots
            .OrderByDescending(h => h.Z)
            .Select(h => HexGrid.Centre(new HexCell(CellSize, h.Q, h.R)) is var (x, y) ? new PortFactsheetHotspot(x, y, h.Class, h.Signals, h.CoveredShare) : null!)
            .ToList();
        return new PortFactsheetSection(casustafel, CellSize, report, cells);
    }
}
