using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;
using GeoRisk.Tiles.Rendering;
using GeoRisk.Tiles.Styles;
using Npgsql;

namespace GeoRisk.Tiles.Layers;

/// <summary>Cameras and their viewsheds; raster: camera coverage.</summary>
public sealed class CamerasLayer(NpgsqlDataSource db, TileStyles styles, TileFormat format) : ITileLayer
{
    public string Id => "cameras";
    public string Description => "Cameras (points) and the sectors they see (viewshed polygons)";
    public TileFormat Format => format;
    public int MinZoom => 10;
    public int MaxZoom => 18;
    public IReadOnlyList<string> DataVersions { get; } = ["camera", "casustafel"];

    public IReadOnlyList<VectorLayerInfo> VectorLayers { get; } =
    [
        new("cameras", "Camera positions", new Dictionary<string, string>
        {
            ["id"] = "String: the owner's camera id",
            ["owner"] = "String: organisation owning the camera",
            ["heading"] = "Number: degrees clockwise from north",
            ["fov"] = "Number: field of view, degrees",
            ["range"] = "Number: metres",
            ["status"] = "String: active, planned or removed",
            ["programme"] = "String: casustafel id of the owning programme",
        }),
        new("viewsheds", "Sector seen by each camera", new Dictionary<string, string>
        {
            ["id"] = "String: the owner's camera id",
            ["owner"] = "String",
        }),
    ];

    public async Task<byte[]> GetTileAsync(TileId tile, TileFilter filter, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        // Programmes, not geometry: a viewer never sees the cameras of another programme.
        var sqlScope = TileSql.TextArray(GeoRisk.Data.Ports.PortStore.VisibleProgrammes(scope));
        if (format == TileFormat.Mvt)
            return await TileSql.BytesAsync(db, "cameras.mvt.sql", [.. TileSql.Tile(tile), sqlScope], cancellationToken);

        var rows = await TileSql.GeometriesAsync(db, "cameras.raster.sql", [.. TileSql.Tile(tile), sqlScope, TileSql.Int(256)], cancellationToken);
        if (rows.Count == 0) return [];
        var ratio = format == TileFormat.Png2x ? 2 : 1;
        using var canvas = new RasterCanvas(256 * ratio, 256 * ratio, ratio);
        Draw(canvas, rows.Select(r => (r.Geometry, r.Row.Text(0) == "camera")), styles.Cameras);
        return canvas.ToPng();
    }

    internal static void Draw(RasterCanvas canvas, IEnumerable<(NetTopologySuite.Geometries.Geometry Geometry, bool IsCamera)> features, CamerasStyle style)
    {
        var list = features.ToList();
        foreach (var (g, _) in list.Where(f => !f.IsCamera))
            canvas.DrawPolygons(g, style.ViewshedFill, style.ViewshedOutline, style.ViewshedOutlineWidth);
        foreach (var (g, _) in list.Where(f => f.IsCamera))
            canvas.DrawPoints(g, style.PointRadius, style.PointColour, style.PointOutline);
    }
}
