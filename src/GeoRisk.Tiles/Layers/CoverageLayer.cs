using GeoRisk.Data.Ports;
using GeoRisk.Rendering;

namespace GeoRisk.Tiles.Layers;

/// <summary>
/// Camera coverage (docs/ports.md): the signals in a programme's areas and its incidents, each
/// marked whether the view of one of the programme's cameras that was active on its day holds it
/// (SQL: tile_coverage, the rule of the coverage figures). Scope as the cameras and incidents
/// layers: suppressed callers (viewers) get none (they read the coverage shares). Web map style
/// and legend come from ports.js; the raster draws the same colours.
/// </summary>
public static class CoverageLayer
{
    // Blue in view, red out of view (distinguishable with red-green colour blindness), as ports.js.
    private static readonly Rgba Covered = Rgba.Parse("#2c7bb6");
    private static readonly Rgba Uncovered = Rgba.Parse("#d7191c");

    private static Rgba ByCover(double? covered) => covered == 1 ? Covered : Uncovered;

    /// <summary>Incident polygons see-through, then signal dots, then incident dots (larger, dark ring) on top.</summary>
    public static RasterStyle Style { get; } = new(
    [
        new RasterRule { Fill = v => ByCover(v).WithAlpha(89) },
        new RasterRule("signal") { PointRadius = 4, PointFill = ByCover, PointOutline = new Rgba(255, 255, 255) },
        new RasterRule("incident") { PointRadius = 6, PointFill = ByCover, PointOutline = Rgba.Parse("#222222"), PointOutlineWidth = 1.5 },
    ]);

    public static TileLayerDefinition Create() =>
        new("coverage", "Camera coverage: signals in a programme's areas and its incidents, covered or not by a camera view active on their day", 12, 18,
        [
            new("coverage", "One point per signal or incident (incident polygons as polygons)", new Dictionary<string, string>
            {
                ["what"] = "String: signal or incident",
                ["code"] = "String: signal category or incident kind",
                ["month"] = "String: YYYY-MM observed (Europe/Amsterdam)",
                ["covered"] = "Boolean: inside the view of a camera of the programme active on that day",
            }),
        ])
        {
            // Cameras (views, install dates), incidents and casustafel areas re-key every tile; signal changes per tile.
            DataVersions = ["camera", "overlay", "casustafel"],
            Changes = new TileChangeSource("signal", 8),
            ScopeArgument = PortStore.VisibleProgrammes,
            InCutout = true,
            Raster = TileRaster.Features(Style, marginPx: 8),
            WebMap = new WebMapLayer("Cameradekking", "Camera coverage", []),
        };
}
