using GeoRisk.Data.Intake;
using NetTopologySuite.Geometries;

namespace GeoRisk.Data.Hexbins;

/// <summary>
/// Keeps the hexagon grids current on ingest: the cells around every changed signal (old and
/// new positions) are recomputed, nothing else (refresh only the touched cells).
/// </summary>
public sealed class HexbinRefreshListener(HexbinStore hexbins) : ISignalChangeListener
{
    public async Task OnSignalsChangedAsync(IReadOnlyList<(double X3857, double Y3857)> points, CancellationToken cancellationToken)
    {
        var webMercator = points.Distinct().Select(p => new Point(p.X3857, p.Y3857) { SRID = 3857 }).ToList();
        await hexbins.RefreshAsync(webMercator, cancellationToken: cancellationToken);
    }
}
