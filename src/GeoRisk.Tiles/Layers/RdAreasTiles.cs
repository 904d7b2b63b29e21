using GeoRisk.Core.Access;
using GeoRisk.Core.Ogc;
using Npgsql;

namespace GeoRisk.Tiles.Layers;

/// <summary>
/// The areas layer (boundaries with the newest score) as vector tiles of NetherlandsRDNewQuad,
/// the Dutch national tiling. Not cached: these tiles are few and cheap, and keying them into
/// the Web Mercator cache (which invalidates by 3857 boxes) would mix two tilings.
/// </summary>
public sealed class RdAreasTiles(NpgsqlDataSource db)
{
    public static TileMatrixSet Set => TileMatrixSet.NetherlandsRdNewQuad;

    public Task<byte[]> GetTileAsync(int level, long row, long col, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var (minX, minY, maxX, maxY) = Set.Envelope(level, row, col);
        return TileSql.BytesAsync(db, "areas.rd.mvt.sql",
            [TileSql.Double(minX), TileSql.Double(minY), TileSql.Double(maxX), TileSql.Double(maxY), TileSql.TextArray(scope.SqlScope)],
            cancellationToken);
    }
}
