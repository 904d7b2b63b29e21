using GeoRisk.Core.Hexagons;
using GeoRisk.Tiles.Styles;

namespace GeoRisk.Tiles.Layers;

/// <summary>
/// Gi* hot spots of one area (the filter's <c>area</c>) as the hot-spot endpoint computes them
/// (SQL: area_hotspot_cells, drawn by tile_hotspots): the same study region, counts, z, FDR-adjusted
/// p and class for the same period and categories, at the hexbins layer's cell size for the zoom
/// and rings 1. Without an area the tiles are empty.
/// </summary>
public static class HotspotsLayer
{
    public static TileLayerDefinition Create(TileStyles styles, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        return new("hotspots", "Getis-Ord Gi* hot spots of one area (parameter area), as GET /api/areas/{code}/hotspots computes them", 8, 18,
        [
            new("hotspots", "Cells of the area's study region", new Dictionary<string, string>
            {
                ["q"] = "Number: axial cell coordinate",
                ["r"] = "Number: axial cell coordinate",
                ["size_m"] = "Number: cell size (circumradius) in metres, following the zoom as the hexbins layer",
                ["n"] = "Number: the area's signals in the cell under the filter (published value for suppressed callers)",
                ["gi_z"] = "Number: Getis-Ord Gi* z-score",
                ["p_adjusted"] = "Number: Benjamini-Hochberg adjusted two-sided p over all cells of the area",
                ["gi_class"] = "Number: -3..3, hot (positive) or cold spot at 99/95/90% confidence after FDR correction, 0 not significant",
            }),
        ])
        {
            // Every signal of the area moves the statistic of every cell: any change re-keys the tiles.
            DataVersions = ["casustafel", "signal", "area"],
            // In the cut-out of an area: that area's hot spots (the cut-out puts its code in the filter).
            InCutout = true,
            // The cells in the hexbins layer's class colours (cells never overlap).
            Raster = TileRaster.Features(new RasterStyle(
            [
                new RasterRule
                {
                    Fill = v => styles.Hexbins.ColourForClass((int)(v ?? 0)),
                    Outline = styles.Hexbins.OutlineColour, OutlineWidth = styles.Hexbins.OutlineWidth, Partition = true,
                },
            ])),
            AdjustFilter = (filter, scope) => Period(filter, clock, scope.Suppressed),
            FilterExtras = (tile, filter, _) => ValueTask.FromResult<IReadOnlyDictionary<string, object?>>(new Dictionary<string, object?>
            {
                ["area"] = filter.Area,
                ["size_m"] = styles.Hexbins.CellSizeAt(tile.Z),
                ["period_from"] = filter.From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["period_to"] = filter.To?.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["max_cells"] = HexGrid.MaxHotspotCells,
            }),
        };
    }

    /// <summary>
    /// The endpoint's period: the filter's dates (to inclusive here, exclusive there), else the 365
    /// days up to and including today (Amsterdam); whole calendar months for suppressed callers.
    /// </summary>
    public static TileFilter Period(TileFilter filter, TimeProvider time, bool suppressed)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(time);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).DateTime);
        var to = filter.To ?? today;
        var from = filter.From ?? to.AddDays(1 - 365);
        var resolved = filter with { From = from, To = to };
        return suppressed ? resolved.WholeMonths() : resolved;
    }
}
