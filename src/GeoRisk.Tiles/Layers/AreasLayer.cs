using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;
using GeoRisk.Tiles.Rendering;
using GeoRisk.Tiles.Styles;
using Npgsql;

namespace GeoRisk.Tiles.Layers;

/// <summary>Current areas with kind, latest score and the handhavingsknelpunt flag; raster: the score choropleth.</summary>
public sealed class AreasLayer(NpgsqlDataSource db, TileStyles styles, TileFormat format) : ITileLayer
{
    public string Id => "areas";
    public string Description => "Areas (mainports, business parks, postcode areas, neighbourhoods, ...) with their latest risk score";
    public TileFormat Format => format;
    public int MinZoom => 5;
    public int MaxZoom => 18;
    public IReadOnlyList<string> DataVersions { get; } = ["area", "score", "casustafel"];

    public IReadOnlyList<VectorLayerInfo> VectorLayers { get; } =
    [
        new("areas", "Current area boundaries", new Dictionary<string, string>
        {
            ["code"] = "String: stable area code, e.g. PC4-1012",
            ["name"] = "String",
            ["kind"] = "String: mainport, bedrijventerrein, buitengebied, postcode, wijk, buurt, gemeente, custom",
            ["score"] = "Number: latest score 0-100 (percentile within the kind); absent when not scored",
            ["profile"] = "String: scoring profile and version, e.g. riec-standaard:1",
            ["reference_date"] = "String: date the score refers to",
            ["flagged"] = "Boolean: candidate handhavingsknelpunt",
        }),
    ];

    public async Task<byte[]> GetTileAsync(TileId tile, TileFilter filter, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(scope);
        var (sqlScope, _) = TileSql.Scope(scope);
        if (format == TileFormat.Mvt)
        {
            return await TileSql.BytesAsync(db, "areas.mvt.sql",
                [.. TileSql.Tile(tile), TileSql.Text(filter.Profile), TileSql.Date(filter.To), sqlScope], cancellationToken);
        }
        var rows = await TileSql.GeometriesAsync(db, "areas.raster.sql",
            [.. TileSql.Tile(tile), TileSql.Text(filter.Profile), TileSql.Date(filter.To), sqlScope, TileSql.Int(64)], cancellationToken);
        if (rows.Count == 0) return [];
        var ratio = format == TileFormat.Png2x ? 2 : 1;
        using var canvas = new RasterCanvas(256 * ratio, 256 * ratio, ratio);
        Draw(canvas, rows.Select(r => (r.Geometry, r.Row.Double(0), r.Row.Bool(1))), styles.Areas);
        return canvas.ToPng();
    }

    /// <summary>The choropleth: fill by score class, outline, flagged areas outlined heavier on top.</summary>
    internal static void Draw(RasterCanvas canvas, IEnumerable<(NetTopologySuite.Geometries.Geometry Geometry, double? Score, bool Flagged)> areas, AreasStyle style)
    {
        var list = areas.ToList();
        foreach (var (geometry, score, _) in list)
            canvas.DrawPolygons(geometry, style.FillFor(score), style.OutlineColour, style.OutlineWidth);
        foreach (var (geometry, _, flagged) in list.Where(a => a.Flagged))
            canvas.StrokeLines(geometry, style.FlaggedOutlineColour, style.FlaggedOutlineWidth);
    }
}
