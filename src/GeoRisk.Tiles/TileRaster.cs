using GeoRisk.Rendering;
using GeoRisk.Tiles.Styles;
using NetTopologySuite.Geometries;

namespace GeoRisk.Tiles;

/// <summary>The colour of a feature for its value (a ramp, a class table, one colour).</summary>
public delegate Rgba RasterPaint(double? value);

/// <summary>
/// One feature of a raster: its geometry in the pixel space of the extent the SQL function drew
/// into, and the class and value the style picks symbols by.
/// </summary>
public readonly record struct RasterFeature(Geometry Geometry, string? Class, double? Value);

/// <summary>
/// A rule of a <see cref="RasterStyle"/>: the features of one class (null: every feature) and
/// what is drawn for each — polygon fill and outline, a stroke along lines and polygon
/// boundaries, a dot at points. Widths and radii are in pixels of a 256 px tile.
/// </summary>
public sealed record RasterRule(string? Class = null)
{
    /// <summary>Polygon fill by value; null with an outline width: outline only.</summary>
    public RasterPaint? Fill { get; init; }

    public Rgba Outline { get; init; }

    public double OutlineWidth { get; init; }

    /// <summary>
    /// The polygons never overlap (hexagons, a partition): one path per fill colour and all
    /// outlines in one stroke — the same picture for such features at a fraction of the work.
    /// </summary>
    public bool Partition { get; init; }

    /// <summary>A stroke along lines and polygon boundaries (e.g. a heavier outline on top).</summary>
    public Rgba Line { get; init; }

    public double LineWidth { get; init; }

    /// <summary>Dots at points; 0: points are not drawn by this rule.</summary>
    public double PointRadius { get; init; }

    public RasterPaint? PointFill { get; init; }

    public Rgba PointOutline { get; init; }

    public double PointOutlineWidth { get; init; } = 1;

    public bool Matches(RasterFeature feature) => Class is null || string.Equals(Class, feature.Class, StringComparison.Ordinal);
}

/// <summary>
/// How a layer's features are drawn: rules in painting order (a later rule draws on top), each
/// drawing the features of its class in the order the SQL function returned them.
/// </summary>
public sealed record RasterStyle(IReadOnlyList<RasterRule> Rules)
{
    public static RasterPaint Colour(Rgba colour) => _ => colour;

    /// <summary>A colour per whole value (a class), transparent for a value not listed.</summary>
    public static RasterPaint Classes(IReadOnlyDictionary<int, Rgba> colours) =>
        v => v is { } d && colours.TryGetValue((int)d, out var c) ? c : default;

    public void Draw(RasterCanvas canvas, IReadOnlyList<RasterFeature> features)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(features);
        foreach (var rule in Rules)
        {
            var matching = features.Where(rule.Matches);
            if (rule.Partition)
            {
                canvas.DrawPolygonsByColour([.. matching.Select(f => (f.Geometry, rule.Fill?.Invoke(f.Value) ?? default))], rule.Outline, rule.OutlineWidth);
                continue;
            }
            foreach (var f in matching)
            {
                if (rule.Fill is not null || rule.OutlineWidth > 0)
                    canvas.DrawPolygons(f.Geometry, rule.Fill?.Invoke(f.Value) ?? default, rule.Outline, rule.OutlineWidth);
                if (rule.LineWidth > 0) canvas.StrokeLines(f.Geometry, rule.Line, rule.LineWidth);
                if (rule.PointRadius > 0)
                    canvas.DrawPoints(f.Geometry, rule.PointRadius, rule.PointFill?.Invoke(f.Value) ?? default, rule.PointOutline, rule.PointOutlineWidth);
            }
        }
    }
}

/// <summary>
/// The PNG part of a layer definition. Its features come from the SQL function
/// <c>tile_&lt;id&gt;_raster(bounds, extent, buffer, filter, scope, k)</c> (sql/functions/1800_tile_rasters.sql
/// describes the contract); one renderer (<see cref="Rendering.RasterRenderer"/>) draws them for a
/// tile and for an area's map cut-out, with the <see cref="Style"/> or, for a layer of weighted
/// points, as a <see cref="Heatmap"/>.
/// </summary>
public sealed record TileRaster
{
    private TileRaster(RasterStyle? style, HeatmapStyle? heatmap, double marginPx)
    {
        if (marginPx is < 0 or > 256) throw new ArgumentOutOfRangeException(nameof(marginPx), "a raster margin is 0 to 256 px");
        Style = style;
        Heatmap = heatmap;
        MarginPx = marginPx;
    }

    /// <summary>Features drawn with a style; <paramref name="marginPx"/>: see <see cref="MarginPx"/>.</summary>
    public static TileRaster Features(RasterStyle style, double marginPx = 4) =>
        new(style ?? throw new ArgumentNullException(nameof(style)), null, marginPx);

    /// <summary>Weighted points (geometry a point, value the weight) drawn as a kernel density heatmap.</summary>
    public static TileRaster Heat(HeatmapStyle style) =>
        new(null, style ?? throw new ArgumentNullException(nameof(style)), style.RadiusPx);

    public RasterStyle? Style { get; }

    public HeatmapStyle? Heatmap { get; }

    /// <summary>
    /// How far beyond the edge (pixels of a 256 px tile) the function must return features: the
    /// buffer of ST_AsMVTGeom, so that strokes are not cut at the edge, or a heatmap's kernel radius.
    /// </summary>
    public double MarginPx { get; }

    /// <summary>
    /// In an area's map cut-out: drawn first, below the context lines, and see-through over a
    /// basemap so that streets and water stay readable (a choropleth).
    /// </summary>
    public bool Underlay { get; init; }

    /// <summary>The SQL function's name for a layer id.</summary>
    public static string FunctionFor(string layerId) => $"tile_{layerId}_raster";
}
