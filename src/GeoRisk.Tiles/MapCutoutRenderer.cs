using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;
using GeoRisk.Tiles.Layers;
using GeoRisk.Rendering;
using GeoRisk.Rendering.Basemaps;
using GeoRisk.Tiles.Rendering;
using GeoRisk.Tiles.Styles;
using Npgsql;

namespace GeoRisk.Tiles;

/// <summary>A rendered cut-out and what became of its basemap.</summary>
public sealed record MapCutout(byte[] Png, BasemapStatus Basemap);

/// <summary>
/// A PNG map of one area (for factsheets): the area's extent plus a margin, fitted to the
/// requested size, with the chosen layers drawn in a fixed order and the area outlined on top.
/// Which layers can be chosen comes from the layer definitions (<see cref="TileLayerDefinition.InCutout"/>).
/// Under the layers lies the configured basemap; without one (or when its server fails) the
/// gemeente, wijk and buurt outlines with their names are drawn instead, so that the area is
/// never an isolated shape.
/// </summary>
public sealed class MapCutoutRenderer(NpgsqlDataSource db, TileStyles styles, BasemapTileSource basemap)
{
    public const int MinSize = 64;
    public const int MaxSize = 2048;

    private static readonly Rgba OutlineColour = new(0x11, 0x11, 0x11);

    /// <summary>The cut-out, or null when the area does not exist or is outside the caller's reach.</summary>
    public async Task<MapCutout?> RenderAsync(string areaCode, int width, int height, IReadOnlyCollection<string> layers,
        CallerScope scope, string? profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(layers);
        var (sqlScope, k) = TileSql.Scope(scope);

        Envelope3857 extent;
        await using (var command = db.CreateCommand("""
            SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
            FROM (SELECT ST_Extent(a.geom_3857) AS e FROM area a
                  WHERE a.code = $1 AND a.valid_to IS NULL
                    AND area_in_scope(a.geom, $2::text[])) x
            WHERE e IS NOT NULL
            """))
        {
            command.Parameters.AddRange((NpgsqlParameter[])[TileSql.Text(areaCode), sqlScope]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) return null;
            extent = new Envelope3857(reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
        }

        var bounds = Fit(extent, width, height);
        var metresPerPixel = bounds.Width / width;
        // The zoom whose 256 px tiles have about this resolution: the heatmap uses its saturation.
        var zoom = (int)Math.Clamp(Math.Floor(Math.Log2(2 * WebMercator.HalfWorld / (metresPerPixel * 256))), 0, 22);

        // The basemap and the layers' rows are fetched side by side: the tile server's latency
        // then hides behind the database's.
        var basemapTask = basemap.RenderAsync(bounds.MinX, bounds.MinY, bounds.MaxX, bounds.MaxY, width, height, cancellationToken);
        var rows = await TileSql.GeometriesAsync(db, "cutout.sql",
        [
            TileSql.Double(bounds.MinX), TileSql.Double(bounds.MinY), TileSql.Double(bounds.MaxX), TileSql.Double(bounds.MaxY),
            TileSql.TextArray(layers.ToArray()), TileSql.TextArray(scope.SqlScope), k, TileSql.Text(areaCode),
            TileSql.Double(metresPerPixel), TileSql.Text(profile),
        ], cancellationToken);
        using var mosaic = await basemapTask;

        using var canvas = new RasterCanvas(width, height, 1);
        canvas.Context.SetSource(new Rgba(255, 255, 255));
        canvas.Context.Paint();
        var sx = width / (double)RasterCanvas.DefaultExtent;
        var sy = height / (double)RasterCanvas.DefaultExtent;
        if (mosaic.Image is { } image) canvas.Context.DrawImage(image, 0, 0, width, height);

        var areas = rows.Where(r => Kind(r) == "area").Select(r => (r.Geometry, r.Row.Double(1), r.Row.Bool(2))).ToList();
        if (mosaic.Image is not null && areas.Count > 0)
        {
            // Over a basemap the choropleth is see-through, so streets and water stay readable.
            using var areaLayer = new RasterCanvas(width, height, 1);
            AreasLayer.Draw(areaLayer, areas, styles.Areas);
            canvas.Context.DrawImage(areaLayer.Surface, 0, 0, width, height, 0.6);
        }
        else
        {
            AreasLayer.Draw(canvas, areas, styles.Areas);
        }
        if (mosaic.Image is null)
        {
            var context = rows.Where(r => Kind(r) == "context")
                .Select(r => new ContextArea(r.Geometry, r.Row.Text(5) ?? "", r.Row.Text(4) ?? "",
                    r.Row.Double(6) is double lx && r.Row.Double(7) is double ly ? new NetTopologySuite.Geometries.Coordinate(lx, ly) : null))
                .ToList();
            ContextLayer.Draw(canvas.Context, context, (x, y) => (x * sx, y * sy), width, height);
        }
        var heat = rows.Where(r => Kind(r) == "signal" && r.Geometry is NetTopologySuite.Geometries.Point)
            .Select(r => new HeatPoint(r.Geometry.Coordinate.X * sx, r.Geometry.Coordinate.Y * sy, r.Row.Double(3) ?? 1)).ToList();
        if (heat.Count > 0)
        {
            using var heatLayer = CairoImageSurface.Create(width, height);
            HeatmapRenderer.Render(heatLayer, heat, styles.Heatmap, zoom, 1);
            canvas.Context.DrawImage(heatLayer, 0, 0, width, height);
        }
        CamerasLayer.Draw(canvas, rows.Where(r => Kind(r) is "viewshed" or "camera").Select(r => (r.Geometry, Kind(r) == "camera")), styles.Cameras);
        IncidentsLayer.Draw(canvas, rows.Where(r => Kind(r) == "incident").Select(r => r.Geometry), styles.Incidents);
        foreach (var r in rows.Where(r => Kind(r) == "outline")) canvas.StrokeLines(r.Geometry, OutlineColour, 2.5);
        if (BasemapCredit.Text(mosaic.Status, basemap.Attribution) is { } credit) BasemapCredit.Draw(canvas.Context, credit, width, height);
        return new MapCutout(canvas.ToPng(), mosaic.Status);

        static string? Kind((NetTopologySuite.Geometries.Geometry Geometry, NpgsqlDataReaderRow Row) r) => r.Row.Text(0);
    }

    /// <summary>The extent plus 8% margin, widened on one axis to the image's aspect ratio.</summary>
    public static Envelope3857 Fit(Envelope3857 extent, int width, int height)
    {
        var w = Math.Max(extent.Width, 50) * 1.16;
        var h = Math.Max(extent.Height, 50) * 1.16;
        var aspect = (double)width / height;
        if (w / h < aspect) w = h * aspect; else h = w / aspect;
        var cx = (extent.MinX + extent.MaxX) / 2;
        var cy = (extent.MinY + extent.MaxY) / 2;
        return new Envelope3857(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }
}
