using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;
using GeoRisk.Rendering;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Tiles.Rendering;

/// <summary>
/// The one raster renderer: reads a layer's features from its SQL function
/// <c>tile_&lt;id&gt;_raster</c> for a box — a tile or an area's map cut-out — and draws them with
/// the definition's <see cref="TileRaster"/>: its style, or the heatmap.
/// </summary>
public static class RasterRenderer
{
    /// <summary>Units of the pixel space the SQL functions draw into (ST_AsMVTGeom's extent).</summary>
    public const int Extent = RasterCanvas.DefaultExtent;

    /// <summary>A PNG tile at pixel ratio 1 or 2, or an empty array when nothing is drawn.</summary>
    public static async Task<byte[]> TileAsync(NpgsqlDataSource db, TileLayerDefinition definition, TileId tile, TileFilter filter,
        CallerScope scope, int ratio, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var raster = definition.Raster ?? throw new InvalidOperationException($"layer '{definition.Id}' has no raster");
        var features = await FeaturesAsync(db, definition, "ST_TileEnvelope($1::int, $2::int, $3::int)", [tile.Z, tile.X, tile.Y],
            (int)Math.Ceiling(raster.MarginPx * Extent / 256), tile, filter, TileId.MetresPerPixel(tile.Z), scope, cancellationToken);
        if (features.Count == 0) return [];
        var size = 256 * ratio;
        if (raster.Heatmap is { } heat)
        {
            using var surface = CairoImageSurface.Create(size, size);
            HeatmapRenderer.Render(surface, HeatPoints(features, 256, 256), heat, tile.Z, ratio);
            return surface.ToPng();
        }
        using var canvas = new RasterCanvas(size, size, ratio);
        raster.Style!.Draw(canvas, features);
        return canvas.ToPng();
    }

    /// <summary>
    /// The features of a layer in a box of EPSG:3857 (xmin, ymin, xmax, ymax), in pixel space of
    /// <see cref="Extent"/> on both axes; <paramref name="like"/> is the tile whose zoom the
    /// layer's filter extras follow (e.g. the hexagon size), <paramref name="pixelMetres"/> the
    /// resolution of the image.
    /// </summary>
    public static Task<List<RasterFeature>> FeaturesAsync(NpgsqlDataSource db, TileLayerDefinition definition,
        (double MinX, double MinY, double MaxX, double MaxY) bounds, int buffer, TileId like, TileFilter filter, double pixelMetres,
        CallerScope scope, CancellationToken cancellationToken) =>
        FeaturesAsync(db, definition, "ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 3857)",
            [bounds.MinX, bounds.MinY, bounds.MaxX, bounds.MaxY], buffer, like, filter, pixelMetres, scope, cancellationToken);

    /// <summary>Weighted points for the heatmap, in pixels of an image of <paramref name="width"/> × <paramref name="height"/> CSS pixels.</summary>
    public static List<HeatPoint> HeatPoints(IEnumerable<RasterFeature> features, double width, double height) =>
        [.. features.Where(f => f.Geometry is Point)
            .Select(f => new HeatPoint(f.Geometry.Coordinate.X * width / Extent, f.Geometry.Coordinate.Y * height / Extent, f.Value ?? 1))];

    private static async Task<List<RasterFeature>> FeaturesAsync(NpgsqlDataSource db, TileLayerDefinition definition, string boundsSql,
        object[] boundsValues, int buffer, TileId like, TileFilter filter, double pixelMetres, CallerScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(scope);
        var extras = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (definition.FilterExtras is { } add)
        {
            foreach (var (key, value) in await add(like, filter, ct)) extras[key] = value;
        }
        extras["pixel_m"] = pixelMetres;
        var n = boundsValues.Length;
        // The function name comes from the definition's id, which is checked to be an identifier.
        await using var command = db.CreateCommand(
            $"SELECT geom, class, value FROM {TileRaster.FunctionFor(definition.Id)}({boundsSql}, ${n + 1}, ${n + 2}, ${n + 3}, ${n + 4}, ${n + 5})");
        foreach (var v in boundsValues) command.Parameters.Add(new NpgsqlParameter { Value = v });
        command.Parameters.Add(new NpgsqlParameter { Value = Extent, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = buffer, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = DefinedTileLayer.FilterJson(filter, extras), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)definition.ScopeArgument(scope) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = scope.Suppressed ? scope.SuppressionK : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var wkb = new WKBReader();
        var features = new List<RasterFeature>();
        while (await reader.ReadAsync(ct))
        {
            // NULL: clipped away (nothing of it in the box and its buffer).
            if (reader.IsDBNull(0)) continue;
            Geometry geometry;
            try
            {
                geometry = wkb.Read(reader.GetFieldValue<byte[]>(0));
            }
            catch (ParseException)
            {
                // ST_AsMVTGeom returns an empty geometry for a feature that lies only in the buffer
                // with nothing left to draw; NTS does not read every empty WKB form.
                continue;
            }
            if (geometry.IsEmpty) continue;
            features.Add(new RasterFeature(geometry, reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDouble(2)));
        }
        return features;
    }
}
