using GeoRisk.Core.Rtm;
using GeoRisk.Rendering;
using Npgsql;

namespace GeoRisk.Tiles.Layers;

/// <summary>
/// The gelegenheidskaart (docs/rtm.md): 100 m cells of the newest Risk Terrain Model of every
/// study area in the caller's reach, by relative risk score (SQL: tile_gelegenheidskaart);
/// raster: cells in the legend's colours (<see cref="RrsClasses"/>). The terrain carries no
/// signal data, so viewers see it too.
/// </summary>
public static class GelegenheidskaartLayer
{
    private static readonly Dictionary<int, Rgba> Colours = RrsClasses.All.ToDictionary(c => c.Class, c => Rgba.Parse(c.Colour));
    private static readonly Rgba Outline = Rgba.Parse("#7f000040");

    public static TileLayerDefinition Create(NpgsqlDataSource db) =>
        new("gelegenheidskaart", "Gelegenheidskaart: relative risk score of the terrain per 100 m cell (newest Risk Terrain Model per study area)", 10, 18,
        [
            new("gelegenheidskaart", "Cells where risk-raising factors are present (RRS > 1)", new Dictionary<string, string>
            {
                ["study_area"] = "String: study area of the model",
                ["version"] = "Number: model version",
                ["rrs"] = "Number: relative risk score (product of the RRVs of the factors present)",
                ["rrs_class"] = "Number: legend class 1-4 (×1-2, ×2-4, ×4-8, > ×8)",
                ["factors"] = "String: factor kinds present, space-separated",
            }),
        ])
        {
            // A new model re-keys every tile; so do casustafel areas (they decide the reach).
            DataVersions = ["rtm", "casustafel"],
            // Style, legend and panel come from gelegenheidskaart.js.
            WebMap = new WebMapLayer("Gelegenheidskaart (RTM)", "Opportunity map (RTM)", []),
            Raster = async (tile, filter, scope, ratio, cancellationToken) =>
            {
                var rows = await TileSql.GeometriesAsync(db, "gelegenheidskaart.raster.sql",
                    [.. TileSql.Tile(tile), TileSql.TextArray(scope.SqlScope)], cancellationToken);
                if (rows.Count == 0) return [];
                using var canvas = new RasterCanvas(256 * ratio, 256 * ratio, ratio);
                canvas.DrawPolygonsByColour(rows.Select(r => (r.Geometry, Colours.GetValueOrDefault(r.Row.Int(0)))), Outline, 0.5);
                return canvas.ToPng();
            },
        };
}
