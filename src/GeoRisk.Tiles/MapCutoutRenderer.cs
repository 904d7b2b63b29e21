using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;
using GeoRisk.Tiles.Layers;
using GeoRisk.Rendering;
using GeoRisk.Rendering.Basemaps;
using GeoRisk.Tiles.Rendering;
using Npgsql;

namespace GeoRisk.Tiles;

/// <summary>A rendered cut-out and what became of its basemap.</summary>
public sealed record MapCutout(byte[] Png, BasemapStatus Basemap);

/// <summary>
/// A PNG map of one area (for factsheets): the area's extent plus a margin, fitted to the
/// requested size, with the chosen layers drawn in the order they were registered and the area
/// outlined on top. Which layers can be chosen, and how each is drawn, comes from the layer
/// definitions (<see cref="TileLayerDefinition.InCutout"/> and its <see cref="TileLayerDefinition.Raster"/>):
/// the same raster functions and styles as the PNG tiles, for the cut-out's box. Under the layers
/// lies the configured basemap; without one (or when its server fails) the gemeente, wijk and
/// buurt outlines with their names are drawn instead, so that the area is never an isolated shape.
/// </summary>
public sealed class MapCutoutRenderer(NpgsqlDataSource db, TileService tiles, BasemapTileSource basemap)
{
    public const int MinSize = 64;
    public const int MaxSize = 2048;

    /// <summary>Buffer of the layers' features beyond the cut-out (extent units), as far as a stroke reaches.</summary>
    private const int Buffer = 256;

    private static readonly Rgba OutlineColour = new(0x11, 0x11, 0x11);

    /// <summary>The cut-out, or null when the area does not exist or is outside the caller's reach.</summary>
    public async Task<MapCutout?> RenderAsync(string areaCode, int width, int height, IReadOnlyCollection<string> layers,
        CallerScope scope, string? profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(layers);
        var (sqlScope, _) = TileSql.Scope(scope);

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
        // The zoom whose 256 px tiles have about this resolution: the heatmap's saturation and
        // what a layer chooses by zoom (the hexagon size) follow it.
        var zoom = (int)Math.Clamp(Math.Floor(Math.Log2(2 * WebMercator.HalfWorld / (metresPerPixel * 256))), 0, 22);
        var box = (bounds.MinX, bounds.MinY, bounds.MaxX, bounds.MaxY);
        // The cut-out is of one area: a layer about one area (hot spots) shows that one.
        var filter = new TileFilter([], null, null, profile) { Area = areaCode };

        // The basemap, the frame and the layers' features are fetched side by side: the tile
        // server's latency then hides behind the database's.
        var basemapTask = basemap.RenderAsync(bounds.MinX, bounds.MinY, bounds.MaxX, bounds.MaxY, width, height, cancellationToken);
        var frameTask = TileSql.GeometriesAsync(db, "cutout_frame.sql",
            [TileSql.Double(bounds.MinX), TileSql.Double(bounds.MinY), TileSql.Double(bounds.MaxX), TileSql.Double(bounds.MaxY), TileSql.Text(areaCode)],
            cancellationToken);
        var chosen = tiles.CutoutLayers.Where(layers.Contains).Select(id => tiles.Definitions.First(d => d.Id == id)).ToList();
        var featureTasks = chosen.Select(d =>
        {
            var like = TileId.ContainingPoint((bounds.MinX + bounds.MaxX) / 2, (bounds.MinY + bounds.MaxY) / 2, Math.Clamp(zoom, d.MinZoom, d.MaxZoom));
            // Enough buffer for the raster's margin at this image size (a heatmap's kernel radius).
            var buffer = Math.Max(Buffer, (int)Math.Ceiling(d.Raster!.MarginPx * RasterRenderer.Extent / Math.Min(width, height)));
            return RasterRenderer.FeaturesAsync(db, d, box, buffer, like, d.AdjustFilter?.Invoke(filter, scope) ?? filter, metresPerPixel, scope, cancellationToken);
        }).ToList();
        var frame = await frameTask;
        var features = await Task.WhenAll(featureTasks);
        using var mosaic = await basemapTask;

        using var canvas = new RasterCanvas(width, height, 1);
        canvas.Context.SetSource(new Rgba(255, 255, 255));
        canvas.Context.Paint();
        var sx = width / (double)RasterCanvas.DefaultExtent;
        var sy = height / (double)RasterCanvas.DefaultExtent;
        if (mosaic.Image is { } image) canvas.Context.DrawImage(image, 0, 0, width, height);

        var layerFeatures = chosen.Zip(features).ToList();
        foreach (var (definition, rows) in layerFeatures.Where(l => l.First.Raster!.Underlay))
        {
            if (mosaic.Image is not null && rows.Count > 0)
            {
                // Over a basemap a choropleth is see-through, so streets and water stay readable.
                using var layer = new RasterCanvas(width, height, 1);
                Draw(layer, definition.Raster!, rows, zoom);
                canvas.Context.DrawImage(layer.Surface, 0, 0, width, height, 0.6);
            }
            else
            {
                Draw(canvas, definition.Raster!, rows, zoom);
            }
        }
        if (mosaic.Image is null)
        {
            var context = frame.Where(r => Kind(r) == "context")
                .Select(r => new ContextArea(r.Geometry, r.Row.Text(2) ?? "", r.Row.Text(1) ?? "",
                    r.Row.Double(3) is double lx && r.Row.Double(4) is double ly ? new NetTopologySuite.Geometries.Coordinate(lx, ly) : null))
                .ToList();
            ContextLayer.Draw(canvas.Context, context, (x, y) => (x * sx, y * sy), width, height);
        }
        foreach (var (definition, rows) in layerFeatures.Where(l => !l.First.Raster!.Underlay))
            Draw(canvas, definition.Raster!, rows, zoom);
        foreach (var r in frame.Where(r => Kind(r) == "outline")) canvas.StrokeLines(r.Geometry, OutlineColour, 2.5);
        if (BasemapCredit.Text(mosaic.Status, basemap.Attribution) is { } credit) BasemapCredit.Draw(canvas.Context, credit, width, height);
        return new MapCutout(canvas.ToPng(), mosaic.Status);

        static string? Kind((NetTopologySuite.Geometries.Geometry Geometry, NpgsqlDataReaderRow Row) r) => r.Row.Text(0);
    }

    /// <summary>One layer onto the cut-out: its style, or a heatmap composed over what is below.</summary>
    private static void Draw(RasterCanvas canvas, TileRaster raster, List<RasterFeature> features, int zoom)
    {
        if (features.Count == 0) return;
        if (raster.Heatmap is { } heat)
        {
            using var heatLayer = CairoImageSurface.Create(canvas.Width, canvas.Height);
            HeatmapRenderer.Render(heatLayer, RasterRenderer.HeatPoints(features, canvas.Width, canvas.Height), heat, zoom, 1);
            canvas.Context.DrawImage(heatLayer, 0, 0, canvas.Width, canvas.Height);
            return;
        }
        raster.Style!.Draw(canvas, features);
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
