using GeoRisk.Data.Ports;
using GeoRisk.Tiles.Styles;

namespace GeoRisk.Tiles.Layers;

/// <summary>Features of the overlay datasets whose layer is 'incidents'.</summary>
public static class IncidentsLayer
{
    public static TileLayerDefinition Create(TileStyles styles) =>
        new("incidents", "Incidents uploaded by programmes (port, flower auction): points and polygons", 8, 18,
        [
            new("incidents", "Incident features", new Dictionary<string, string>
            {
                ["dataset"] = "String: dataset code",
                ["programme"] = "String: programme that uploaded it",
                ["kind"] = "String: kind of incident",
                ["month"] = "String: YYYY-MM observed (Europe/Amsterdam)",
            }),
        ])
        {
            DataVersions = ["overlay", "casustafel"],
            // Incidents belong to a programme: a member sees its own programmes' only, a viewer none.
            ScopeArgument = PortStore.VisibleProgrammes,
            InCutout = true,
            WebMap = new WebMapLayer("Incidenten", "Incidents", []),
            Raster = TileRaster.Features(Style(styles.Incidents), marginPx: 16),
        };

    /// <summary>Points as dots, polygons filled and outlined.</summary>
    public static RasterStyle Style(IncidentsStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        return new(
        [
            new RasterRule
            {
                Fill = RasterStyle.Colour(style.PolygonFill), Outline = style.PolygonOutline, OutlineWidth = style.OutlineWidth,
                PointRadius = style.PointRadius, PointFill = RasterStyle.Colour(style.PointColour), PointOutline = style.PointOutline,
            },
        ]);
    }
}
