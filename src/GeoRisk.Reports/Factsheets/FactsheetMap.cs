using GeoRisk.Rendering;
using NetTopologySuite.Geometries;

namespace GeoRisk.Reports.Factsheets;

/// <summary>
/// The factsheet's map cut-out, drawn with cairo: neighbouring area outlines, the area filled
/// in its score colour, the top signals as numbered dots (numbers = ranks in the list), a
/// scale bar. Geometries in RD New (metres), so the scale is true.
/// </summary>
public static class FactsheetMap
{
    // The web map's and the raster tiles' score ramp (wwwroot/js/map.js SCORE_STEPS and
    // tiles/styles/areas.json), so paper and screen agree: breaks at RR ½, 1, 2 and 4.
    private static readonly (double From, Rgba Colour)[] ScoreRamp =
    [
        (0, Rgba.Parse("#ffffb2")), (25, Rgba.Parse("#fecc5c")), (50, Rgba.Parse("#fd8d3c")),
        (75, Rgba.Parse("#f03b20")), (90, Rgba.Parse("#bd0026")),
    ];

    public static Rgba ScoreColour(double? score)
    {
        if (score is null) return Rgba.Parse("#d9d9d9");
        var c = ScoreRamp[0].Colour;
        foreach (var (from, colour) in ScoreRamp) if (score >= from) c = colour;
        return c;
    }

    public static CairoImageSurface Render(FactsheetData data, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(data);
        var image = CairoImageSurface.Create(width, height);
        using var cr = new CairoContext(image);

        var env = new Envelope(data.AreaGeometry.EnvelopeInternal);
        env.ExpandBy(Math.Max(env.Width, env.Height) * 0.08 + 50);
        // Fit the envelope into the image, same scale on both axes (RD metres are square).
        var scale = Math.Min(width / env.Width, height / env.Height);
        var ox = (width - env.Width * scale) / 2;
        var oy = (height - env.Height * scale) / 2;
        (double X, double Y) P(double x, double y) => (ox + (x - env.MinX) * scale, height - (oy + (y - env.MinY) * scale));

        cr.SetSource(Rgba.Parse("#f4f1ea"));
        cr.Paint();

        cr.LineJoin = LineJoin.Round;
        foreach (var other in data.OtherAreas)
        {
            Path(cr, other, P);
            cr.SetSource(Rgba.Parse("#ffffff"));
            cr.FillPreserve();
            cr.SetSource(Rgba.Parse("#9a9a9a"));
            cr.LineWidth = 1;
            cr.Stroke();
        }

        Path(cr, data.AreaGeometry, P);
        cr.SetSource(ScoreColour(data.Score?.Score).WithAlpha(190));
        cr.FillPreserve();
        cr.SetSource(data.Score?.Candidate == true ? Rgba.Parse("#5b0a91") : Rgba.Parse("#222222"));
        cr.LineWidth = 3;
        cr.Stroke();

        cr.SelectFont(CairoContext.DefaultFontFamily, weight: FontWeight.Bold);
        cr.FontSize = 13;
        foreach (var s in data.TopSignals.Reverse())
        {
            if (s.Location.X is not double x || s.Location.Y is not double y) continue;
            var (px, py) = P(x, y);
            // A filled dot is an exact (object) location; a ring is a cell centre (pc6/street
            // precision), so nobody reads an approximate location as an address.
            var exact = s.Location.Precision == "object";
            cr.Circle(px, py, 14);
            cr.SetSource(exact ? Rgba.Parse("#1b7837") : Rgba.Parse("#ffffffdd"));
            cr.FillPreserve();
            cr.SetSource(exact ? Rgba.Parse("#ffffff") : Rgba.Parse("#1b7837"));
            cr.LineWidth = exact ? 2 : 3;
            cr.Stroke();
            cr.SetSource(exact ? Rgba.Parse("#ffffff") : Rgba.Parse("#1b7837"));
            var label = s.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var ext = cr.MeasureText(label);
            cr.MoveTo(px - ext.XAdvance / 2, py + ext.Height / 2);
            cr.ShowText(label);
        }

        DrawScaleBar(cr, scale, height);
        cr.ThrowOnError("drawing the factsheet map");
        image.Flush();
        return image;
    }

    internal static void DrawScaleBar(CairoContext cr, double pixelsPerMetre, int height)
    {
        // The largest of 1-2-5 × 10^n metres that fits in 150 px.
        var metres = 10.0;
        foreach (var candidate in new[] { 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000 })
            if (candidate * pixelsPerMetre <= 150) metres = candidate;
        var px = metres * pixelsPerMetre;
        double x0 = 16, y0 = height - 18;
        cr.SetSource(Rgba.Parse("#ffffffcc"));
        cr.Rectangle(x0 - 6, y0 - 22, px + 12, 30);
        cr.Fill();
        cr.SetSource(Rgba.Parse("#000000"));
        cr.LineWidth = 2;
        cr.MoveTo(x0, y0 - 5); cr.LineTo(x0, y0); cr.LineTo(x0 + px, y0); cr.LineTo(x0 + px, y0 - 5);
        cr.Stroke();
        cr.SelectFont(CairoContext.DefaultFontFamily);
        cr.FontSize = 12;
        cr.MoveTo(x0, y0 - 8);
        cr.ShowText(metres >= 1000 ? $"{metres / 1000:0} km" : $"{metres:0} m");
    }

    internal static void Path(CairoContext cr, Geometry g, Func<double, double, (double X, double Y)> p)
    {
        cr.NewPath();
        cr.FillRule = FillRule.EvenOdd;
        for (var i = 0; i < g.NumGeometries; i++)
        {
            if (g.GetGeometryN(i) is not Polygon poly) continue;
            Ring(cr, poly.ExteriorRing, p);
            foreach (var hole in poly.InteriorRings) Ring(cr, hole, p);
        }
    }

    private static void Ring(CairoContext cr, LineString ring, Func<double, double, (double X, double Y)> p)
    {
        var cs = ring.Coordinates;
        if (cs.Length == 0) return;
        var (x, y) = p(cs[0].X, cs[0].Y);
        cr.MoveTo(x, y);
        for (var i = 1; i < cs.Length; i++)
        {
            (x, y) = p(cs[i].X, cs[i].Y);
            cr.LineTo(x, y);
        }
        cr.ClosePath();
    }
}
