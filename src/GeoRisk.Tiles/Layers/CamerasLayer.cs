using GeoRisk.Data.Ports;
using GeoRisk.Tiles.Styles;

namespace GeoRisk.Tiles.Layers;

/// <summary>Cameras and their viewsheds; raster: camera coverage.</summary>
public static class CamerasLayer
{
    public static TileLayerDefinition Create(TileStyles styles) =>
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
            // Programmes, not geometry: a member sees its own programmes' cameras only, a viewer none.
            ScopeArgument = PortStore.VisibleProgrammes,
            InCutout = true,
            WebMap = new WebMapLayer("Camera's", "Cameras", []),
            Raster = TileRaster.Features(Style(styles.Cameras), marginPx: 16),
        };

    /// <summary>Camera coverage: the sectors, then the camera positions on top.</summary>
    public static RasterStyle Style(CamerasStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        return new(
        [
            new RasterRule("viewshed") { Fill = RasterStyle.Colour(style.ViewshedFill), Outline = style.ViewshedOutline, OutlineWidth = style.ViewshedOutlineWidth },
            new RasterRule("camera") { PointRadius = style.PointRadius, PointFill = RasterStyle.Colour(style.PointColour), PointOutline = style.PointOutline },
        ]);
    }
}
