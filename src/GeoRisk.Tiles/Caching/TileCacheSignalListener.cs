using GeoRisk.Data.Intake;

namespace GeoRisk.Tiles.Caching;

/// <summary>
/// Drops the cached tiles around signals an import just changed, at once, in this
/// process. The tile_change triggers (sql/0500) catch the same changes — and those of other
/// processes — within a poll interval; this only makes the API's own imports show sooner.
/// </summary>
public sealed class TileCacheSignalListener(TileCache cache, GeoRisk.Data.ReadRouting reads) : ISignalChangeListener
{
    public async Task OnSignalsChangedAsync(IReadOnlyList<(double X3857, double Y3857)> points, CancellationToken cancellationToken)
    {
        // First make the next renders read the primary (until a replica has the change), then drop.
        await reads.NoteWriteAsync(cancellationToken);
        await cache.InvalidatePointsAsync(points.Select(p => (p.X3857, p.Y3857)).ToList(), cancellationToken);
    }
}
