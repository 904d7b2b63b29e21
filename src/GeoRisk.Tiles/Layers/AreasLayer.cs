using GeoRisk.Tiles.Styles;

namespace GeoRisk.Tiles.Layers;

/// <summary>Current areas with kind, latest score and the handhavingsknelpunt flag; raster: the score choropleth.</summary>
public static class AreasLayer
{
    public static TileLayerDefinition Create(TileStyles styles) =>
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
            Raster = TileRaster.Features(Style(styles.Areas)) with { Underlay = true },
        };

    /// <summary>The choropleth: fill by score class, outline, flagged areas outlined heavier on top.</summary>
    public static RasterStyle Style(AreasStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        return new(
        [
            new RasterRule { Fill = style.FillFor, Outline = style.OutlineColour, OutlineWidth = style.OutlineWidth },
            new RasterRule("flagged") { Line = style.FlaggedOutlineColour, LineWidth = style.FlaggedOutlineWidth },
        ]);
    }
}
