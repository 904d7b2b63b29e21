using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;
using GeoRisk.Tiles.Rendering;
using GeoRisk.Tiles.Styles;
using NetTopologySuite.Geometries;
using Npgsql;

namespace GeoRisk.Tiles.Layers;

/// <summary>Features of the overlay datasets whose layer is 'incidents'.</summary>
public sealed class IncidentsLayer(NpgsqlDataSource db, TileStyles styles, TileFormat format) : ITileLayer
{
    public string Id => "incidents";
    public string Description => "Incidents uploaded by programmes (port, flower auction): points and polygons";
    public TileFormat Format => format;
    public int MinZoom => 8;
    public int MaxZoom => 18;
    public IReadOnlyList<string> DataVersions { get; } = ["overlay", "casustafel"];

    public IReadOnlyList<VectorLayerInfo> VectorLayers { get; } =
    [
        new("incidents", "Incident features", new Dictionary<string, string>
        {
            ["dataset"] = "String: dataset code",
            ["programme"] = "String: programme that uploaded it",
            ["kind"] = "String: kind of incident",
            ["month"] = "String: YYYY-MM observed (Europe/Amsterdam)",
        }),
    ];

    public async Task<byte[]> GetTileAsync(TileId tile, TileFilter filter, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(scope);
        var sqlScope = TileSql.TextArray(GeoRisk.Data.Ports.PortStore.VisibleProgrammes(scope));
        NpgsqlParameter[] common = [.. TileSql.Tile(tile), TileSql.Instant(filter.FromInstant), TileSql.Instant(filter.ToExclusiveInstant), sqlScope];
        if (format == TileFormat.Mvt)
            return await TileSql.BytesAsync(db, "incidents.mvt.sql", common, cancellationToken);

        var rows = await TileSql.GeometriesAsync(db, "incidents.raster.sql", [.. common, TileSql.Int(256)], cancellationToken);
        if (rows.Count == 0) return [];
        var ratio = format == TileFormat.Png2x ? 2 : 1;
        using var canvas = new RasterCanvas(256 * ratio, 256 * ratio, ratio);
        Draw(canvas, rows.Select(r => r.Geometry), styles.Incidents);
        return canvas.ToPng();
    }

    internal static void Draw(RasterCanvas canvas, IEnumerable<Geometry> features, IncidentsStyle style)
    {
        foreach (var g in features)
        {
            if (g is Point or MultiPoint) canvas.DrawPoints(g, style.PointRadius, style.PointColour, style.PointOutline);
            else canvas.DrawPolygons(g, style.PolygonFill, style.PolygonOutline, style.OutlineWidth);
        }
    }
}
