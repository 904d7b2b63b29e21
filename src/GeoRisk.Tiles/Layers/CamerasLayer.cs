using GeoRisk.Data.Ports;
using GeoRisk.Rendering;
using GeoRisk.Tiles.Styles;
using Npgsql;

namespace GeoRisk.Tiles.Layers;

/// <summary>Cameras and their viewsheds; raster: camera coverage.</summary>
public static class CamerasLayer
{
    public static TileLayerDefinition Create(NpgsqlDataSource db, TileStyles styles) =>
        new("cameras", "Cameras (points) and the sectors they see (viewshed polygons)", 10, 18,
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
        ])
        {
            DataVersions = ["camera", "casustafel"],
            // Programmes, not geometry: a viewer never sees the cameras of another programme.
            ScopeArgument = PortStore.VisibleProgrammes,
            InCutout = true,
            WebMap = new WebMapLayer("Camera's", "Cameras", []),
            Raster = async (tile, filter, scope, ratio, cancellationToken) =>
            {
                var rows = await TileSql.GeometriesAsync(db, "cameras.raster.sql",
                    [.. TileSql.Tile(tile), TileSql.TextArray(PortStore.VisibleProgrammes(scope)), TileSql.Int(256)], cancellationToken);
                if (rows.Count == 0) return [];
                using var canvas = new RasterCanvas(256 * ratio, 256 * ratio, ratio);
                Draw(canvas, rows.Select(r => (r.Geometry, r.Row.Text(0) == "camera")), styles.Cameras);
                return canvas.ToPng();
            },
        };

    internal static void Draw(RasterCanvas canvas, IEnumerable<(NetTopologySuite.Geometries.Geometry Geometry, bool IsCamera)> features, CamerasStyle style)
    {
        var list = features.ToList();
        foreach (var (g, _) in list.Where(f => !f.IsCamera))
            canvas.DrawPolygons(g, style.ViewshedFill, style.ViewshedOutline, style.ViewshedOutlineWidth);
        foreach (var (g, _) in list.Where(f => f.IsCamera))
            canvas.DrawPoints(g, style.PointRadius, style.PointColour, style.PointOutline);
    }
}
