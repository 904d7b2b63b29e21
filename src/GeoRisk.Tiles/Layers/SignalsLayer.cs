using GeoRisk.Tiles.Styles;

namespace GeoRisk.Tiles.Layers;

/// <summary>Signals: points from zoom 14, grid cells with counts below it; raster: the heatmap.</summary>
public static class SignalsLayer
{
    /// <summary>From this zoom on single signals are shown (when the caller may see them).</summary>
    public const int PointZoom = 14;

    /// <summary>
    /// Most features in one point tile; denser tiles are clustered per category (tile_signals).
    /// About 30 bytes a feature: 12,000 keep a tile well under 500 kB before gzip.
    /// </summary>
    public const int MaxPointFeatures = 12_000;

    public static TileLayerDefinition Create(TileStyles styles) =>
        new("signals", "Signals: single points from zoom 14 on, aggregated per grid cell below it (and always for suppressed callers)", 6, 18,
        [
            new("signals", "One point per signal (zoom 14 and deeper, not for suppressed callers); in very dense tiles, clusters of signals of one category", new Dictionary<string, string>
            {
                ["category"] = "String: signal category code",
                ["month"] = "String: month observed, YYYY-MM (Europe/Amsterdam); of a cluster: its latest month",
                ["reliability"] = "Number: 0-1; of a cluster: the mean",
                ["precision"] = "String: object, pc6, street or area (absent for a cluster)",
                ["n"] = "Number: signals at this point (1 for a single signal, more for a cluster)",
            }),
            new("signal_cells", "Signals aggregated per grid cell (1/64 of a tile)", new Dictionary<string, string>
            {
                ["n"] = "Number: signals in the cell",
                ["weight"] = "Number: sum of reliability",
                ["categories"] = "Number: distinct categories",
            }),
        ])
        {
            // Signal changes invalidate per tile, as far as the heatmap reaches (the MVT buffer is smaller).
            Changes = new TileChangeSource("signal", Math.Max(2, styles.Heatmap.RadiusPx + 1)),
            // Windows that differ by a few days cannot be subtracted to reveal the few signals between them.
            AdjustFilter = (filter, scope) => scope.Suppressed ? filter.WholeMonths() : filter,
            InCutout = true,
            WebMap = new WebMapLayer("Signalen", "Signals", []),
            FilterExtras = (_, _, _) => ValueTask.FromResult<IReadOnlyDictionary<string, object?>>(
                new Dictionary<string, object?> { ["point_zoom"] = PointZoom, ["max_points"] = MaxPointFeatures }),
            Raster = TileRaster.Heat(styles.Heatmap),
        };
}
