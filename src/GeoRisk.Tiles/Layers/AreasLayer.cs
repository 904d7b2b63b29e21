using GeoRisk.Rendering;
using GeoRisk.Tiles.Styles;
using Npgsql;

namespace GeoRisk.Tiles.Layers;

/// <summary>Current areas with kind, latest score and the handhavingsknelpunt flag; raster: the score choropleth.</summary>
public static class AreasLayer
{
    public static TileLayerDefinition Create(NpgsqlDataSource db, TileStyles styles) =>
        new("areas", "Areas (mainports, business parks, postcode areas, neighbourhoods, ...) with their latest risk score", 5, 18,
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
        ])
        {
            DataVersions = ["area", "score", "casustafel"],
            InCutout = true,
            WebMap = new WebMapLayer("Gebieden (risicoscore)", "Areas (risk score)", []) { VisibleByDefault = true },
            Raster = async (tile, filter, scope, ratio, cancellationToken) =>
            {
                var (sqlScope, _) = TileSql.Scope(scope);
                var rows = await TileSql.GeometriesAsync(db, "areas.raster.sql",
                    [.. TileSql.Tile(tile), TileSql.Text(filter.Profile), TileSql.Date(filter.To), sqlScope, TileSql.Int(64)], cancellationToken);
                if (rows.Count == 0) return [];
                using var canvas = new RasterCanvas(256 * ratio, 256 * ratio, ratio);
                Draw(canvas, rows.Select(r => (r.Geometry, r.Row.Double(0), r.Row.Bool(1))), styles.Areas);
                return canvas.ToPng();
            },
        };

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
