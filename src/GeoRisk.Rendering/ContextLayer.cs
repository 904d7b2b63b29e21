using NetTopologySuite.Geometries;

namespace GeoRisk.Rendering;

/// <summary>An administrative area drawn as context: its outline and, where it fits, its name.</summary>
public sealed record ContextArea(Geometry Geometry, string Kind, string Name, Coordinate? LabelAt);

/// <summary>
/// Gemeente, wijk and buurt outlines with their names, for map cut-outs without a basemap: the
/// area of interest is then never an isolated shape. Known open water is filled underneath, so
/// canals and harbour basins read as water. Larger units are drawn heavier; labels are placed
/// largest unit first (water names, in italics, last) and left out where they would overlap one
/// already placed.
/// </summary>
public static class ContextLayer
{
    private sealed record Style(Rgba Line, double Width, Rgba Text, double FontSize, FontWeight Weight);

    private static readonly Dictionary<string, Style> Styles = new(StringComparer.Ordinal)
    {
        ["gemeente"] = new(Rgba.Parse("#4d4d4d"), 2.2, Rgba.Parse("#333333"), 12, FontWeight.Bold),
        ["stadsdeel"] = new(Rgba.Parse("#6b6b6b"), 1.6, Rgba.Parse("#444444"), 11, FontWeight.Bold),
        ["wijk"] = new(Rgba.Parse("#7f7f7f"), 1.2, Rgba.Parse("#4d4d4d"), 10, FontWeight.Normal),
        ["buurt"] = new(Rgba.Parse("#adadad"), 0.7, Rgba.Parse("#666666"), 8.5, FontWeight.Normal),
    };

    private static readonly string[] Order = ["buurt", "wijk", "stadsdeel", "gemeente"];

    /// <summary>The kind of a context feature that is open water rather than an area.</summary>
    public const string WaterKind = "water";

    /// <summary>Open water: a light blue that the risk layers and the outline stay readable on.</summary>
    public static readonly Rgba WaterFill = Rgba.Parse("#bcd7ee");

    private static readonly Style WaterStyle = new(Rgba.Parse("#8fb6d9"), 0.6, Rgba.Parse("#2f5f8a"), 9, FontWeight.Normal);

    /// <summary>Whether an area of this kind is drawn as context.</summary>
    public static bool IsContextKind(string kind) => kind == WaterKind || Styles.ContainsKey(kind);

    /// <param name="toPixel">From the geometries' coordinates to image pixels.</param>
    /// <param name="ratio">Pixels per display pixel (2 for a cut-out printed at double resolution).</param>
    public static void Draw(CairoContext cr, IReadOnlyList<ContextArea> areas, Func<double, double, (double X, double Y)> toPixel,
        int width, int height, double ratio = 1)
    {
        ArgumentNullException.ThrowIfNull(cr);
        ArgumentNullException.ThrowIfNull(areas);
        ArgumentNullException.ThrowIfNull(toPixel);
        cr.Save();
        cr.LineJoin = LineJoin.Round;
        cr.FillRule = FillRule.EvenOdd; // islands in a lake stay land
        foreach (var water in areas.Where(a => a.Kind == WaterKind))
        {
            Outline(cr, water.Geometry, toPixel);
            cr.SetSource(WaterFill);
            cr.FillPreserve();
            cr.SetSource(WaterStyle.Line);
            cr.LineWidth = WaterStyle.Width * ratio;
            cr.Stroke();
        }
        foreach (var kind in Order)
        {
            var style = Styles[kind];
            cr.SetSource(style.Line);
            cr.LineWidth = style.Width * ratio;
            foreach (var a in areas.Where(a => a.Kind == kind))
            {
                Outline(cr, a.Geometry, toPixel);
                cr.Stroke();
            }
        }

        var placed = new List<(double X0, double Y0, double X1, double Y1)>();
        foreach (var kind in Order.Reverse().Append(WaterKind))
        {
            var style = kind == WaterKind ? WaterStyle : Styles[kind];
            cr.SelectFont(CairoContext.DefaultFontFamily, kind == WaterKind ? FontSlant.Italic : FontSlant.Normal, style.Weight);
            cr.FontSize = style.FontSize * ratio;
            foreach (var a in areas.Where(a => a.Kind == kind && a.LabelAt is not null && a.Name.Length > 0))
            {
                var (x, y) = toPixel(a.LabelAt!.X, a.LabelAt.Y);
                var ext = cr.MeasureText(a.Name);
                var pad = 2 * ratio;
                var box = (X0: x - ext.XAdvance / 2 - pad, Y0: y - ext.Height / 2 - pad, X1: x + ext.XAdvance / 2 + pad, Y1: y + ext.Height / 2 + pad);
                if (box.X0 < 0 || box.Y0 < 0 || box.X1 > width || box.Y1 > height) continue;
                if (placed.Any(p => p.X0 < box.X1 && box.X0 < p.X1 && p.Y0 < box.Y1 && box.Y0 < p.Y1)) continue;
                placed.Add(box);
                cr.SetSource(Rgba.Parse("#ffffffb0"));
                cr.Rectangle(box.X0, box.Y0, box.X1 - box.X0, box.Y1 - box.Y0);
                cr.Fill();
                cr.SetSource(style.Text);
                cr.MoveTo(x - ext.XAdvance / 2, y + ext.Height / 2 - ratio);
                cr.ShowText(a.Name);
            }
        }
        cr.Restore();
    }

    /// <summary>The rings of a polygon or multipolygon (other geometries: their lines) as a path.</summary>
    public static void Outline(CairoContext cr, Geometry g, Func<double, double, (double X, double Y)> toPixel)
    {
        ArgumentNullException.ThrowIfNull(cr);
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(toPixel);
        cr.NewPath();
        for (var i = 0; i < g.NumGeometries; i++)
        {
            switch (g.GetGeometryN(i))
            {
                case Polygon poly:
                    Line(cr, poly.ExteriorRing, toPixel, close: true);
                    foreach (var hole in poly.InteriorRings) Line(cr, hole, toPixel, close: true);
                    break;
                case LineString line:
                    Line(cr, line, toPixel, close: false);
                    break;
            }
        }
    }

    private static void Line(CairoContext cr, LineString line, Func<double, double, (double X, double Y)> toPixel, bool close)
    {
        var cs = line.Coordinates;
        if (cs.Length == 0) return;
        var (x, y) = toPixel(cs[0].X, cs[0].Y);
        cr.MoveTo(x, y);
        for (var i = 1; i < cs.Length; i++)
        {
            (x, y) = toPixel(cs[i].X, cs[i].Y);
            cr.LineTo(x, y);
        }
        if (close) cr.ClosePath();
    }
}
