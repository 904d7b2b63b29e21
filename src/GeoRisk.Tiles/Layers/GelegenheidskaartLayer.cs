using GeoRisk.Core.Rtm;
using GeoRisk.Rendering;

namespace GeoRisk.Tiles.Layers;

/// <summary>
/// The gelegenheidskaart (docs/rtm.md): 100 m cells of the newest Risk Terrain Model of every
/// study area in the caller's reach, by relative risk score (SQL: tile_gelegenheidskaart);
/// raster: cells in the legend's colours (<see cref="RrsClasses"/>). The terrain carries no
/// signal data, so viewers see it too.
/// </summary>
public static class GelegenheidskaartLayer
{
    /// <summary>Cells in the legend colours of their RRS class (they never overlap).</summary>
    private static readonly RasterStyle Style = new(
    [
        new RasterRule
        {
            Fill = RasterStyle.Classes(RrsClasses.All.ToDictionary(c => c.Class, c => Rgba.Parse(c.Colour))),
            Outline = Rgba.Parse("#7f000040"), OutlineWidth = 0.5, Partition = true,
        },
    ]);

    public static TileLayerDefinition Create() =>
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
            Raster = TileRaster.Features(Style),
        };
}
