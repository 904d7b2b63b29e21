using GeoRisk.Data.Ports;

namespace GeoRisk.Tiles.Layers;

/// <summary>
/// Camera coverage (docs/ports.md): the signals in a programme's areas and its incidents, each
/// marked whether the view of one of the programme's cameras that was active on its day holds it
/// (SQL: tile_coverage, the rule of the coverage figures). Scope as the cameras and incidents
/// layers; signals are single points, so suppressed callers get the incidents only. Style and
/// legend come from ports.js.
/// </summary>
public static class CoverageLayer
{
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
            Changes = new TileChangeSource("signal", 2),
            ScopeArgument = PortStore.VisibleProgrammes,
            WebMap = new WebMapLayer("Cameradekking", "Camera coverage", []),
        };
}
