namespace GeoRisk.Rendering;

public enum Antialias { Default = 0, None = 1, Gray = 2, Subpixel = 3, Fast = 4, Good = 5, Best = 6 }

public enum FillRule { Winding = 0, EvenOdd = 1 }

public enum LineJoin { Miter = 0, Round = 1, Bevel = 2 }

public enum LineCap { Butt = 0, Round = 1, Square = 2 }

/// <summary>The cairo compositing operators we use (values from cairo_operator_t).</summary>
public enum CairoOperator { Clear = 0, Source = 1, Over = 2 }

public enum FontSlant { Normal = 0, Italic = 1, Oblique = 2 }

public enum FontWeight { Normal = 0, Bold = 1 }

/// <summary>
/// A cairo drawing context on a surface: build a path, then fill or stroke it. Antialiased by
/// default. Text goes through cairo's toy font API (good enough for labels and legends; the
/// family defaults to "DejaVu Sans", Debian <c>fonts-dejavu-core</c>).
/// </summary>
public sealed class CairoContext : IDisposable
{
    public const string DefaultFontFamily = "DejaVu Sans";

    private readonly CairoContextHandle _cr;

    public CairoContext(CairoSurface surface)
    {
        ArgumentNullException.ThrowIfNull(surface);
        _cr = new CairoContextHandle(CairoNative.cairo_create(surface.Handle));
        ThrowOnError("creating a drawing context");
        SelectFont(DefaultFontFamily);
    }

    public void Save() => CairoNative.cairo_save(_cr);
    public void Restore() => CairoNative.cairo_restore(_cr);

    public void SetSource(Rgba c) =>
        CairoNative.cairo_set_source_rgba(_cr, c.R / 255.0, c.G / 255.0, c.B / 255.0, c.A / 255.0);

    public void SetSourceRgba(double r, double g, double b, double a) => CairoNative.cairo_set_source_rgba(_cr, r, g, b, a);

    /// <summary>Uses another surface (e.g. a rendered map image) as the paint source, its origin at (x, y).</summary>
    public void SetSourceSurface(CairoSurface surface, double x, double y)
    {
        ArgumentNullException.ThrowIfNull(surface);
        CairoNative.cairo_set_source_surface(_cr, surface.Handle, x, y);
    }

    /// <summary>Draws <paramref name="image"/> into the rectangle (x, y, width, height), scaled to fit it.</summary>
    public void DrawImage(CairoImageSurface image, double x, double y, double width, double height)
    {
        ArgumentNullException.ThrowIfNull(image);
        Save();
        Translate(x, y);
        Scale(width / image.Width, height / image.Height);
        SetSourceSurface(image, 0, 0);
        // Edge pixels repeat outward instead of fading into transparency: scaled images laid
        // side by side (basemap tiles) then show no seams.
        CairoNative.cairo_pattern_set_extend(CairoNative.cairo_get_source(_cr), 3 /* CAIRO_EXTEND_PAD */);
        Rectangle(0, 0, image.Width, image.Height);
        Fill();
        Restore();
    }

    /// <summary>Draws <paramref name="image"/> scaled into the rectangle, at <paramref name="alpha"/> opacity (0-1).</summary>
    public void DrawImage(CairoImageSurface image, double x, double y, double width, double height, double alpha)
    {
        ArgumentNullException.ThrowIfNull(image);
        Save();
        Rectangle(x, y, width, height);
        Clip();
        Translate(x, y);
        Scale(width / image.Width, height / image.Height);
        SetSourceSurface(image, 0, 0);
        PaintWithAlpha(alpha);
        Restore();
    }

    /// <summary>
    /// Draws <paramref name="image"/> so that user-space point p shows the image's pixel
    /// <paramref name="userToImage"/>(p) (e.g. a Web Mercator basemap under an RD New map).
    /// </summary>
    public void DrawImage(CairoImageSurface image, CairoMatrix userToImage)
    {
        ArgumentNullException.ThrowIfNull(image);
        Save();
        Transform(userToImage.Invert());
        SetSourceSurface(image, 0, 0);
        Paint();
        Restore();
    }

    public double LineWidth { set => CairoNative.cairo_set_line_width(_cr, value); }
    public LineJoin LineJoin { set => CairoNative.cairo_set_line_join(_cr, (int)value); }
    public LineCap LineCap { set => CairoNative.cairo_set_line_cap(_cr, (int)value); }
    public Antialias Antialias { set => CairoNative.cairo_set_antialias(_cr, (int)value); }
    public FillRule FillRule { set => CairoNative.cairo_set_fill_rule(_cr, (int)value); }
    public CairoOperator Operator { set => CairoNative.cairo_set_operator(_cr, (int)value); }

    public void Translate(double tx, double ty) => CairoNative.cairo_translate(_cr, tx, ty);
    public void Scale(double sx, double sy) => CairoNative.cairo_scale(_cr, sx, sy);

    /// <summary>Multiplies the current transformation by <paramref name="matrix"/> (applied first).</summary>
    public void Transform(CairoMatrix matrix) => CairoNative.cairo_transform(_cr, in matrix);

    public void NewPath() => CairoNative.cairo_new_path(_cr);
    public void NewSubPath() => CairoNative.cairo_new_sub_path(_cr);
    public void MoveTo(double x, double y) => CairoNative.cairo_move_to(_cr, x, y);
    public void LineTo(double x, double y) => CairoNative.cairo_line_to(_cr, x, y);
    public void ClosePath() => CairoNative.cairo_close_path(_cr);
    public void Rectangle(double x, double y, double width, double height) => CairoNative.cairo_rectangle(_cr, x, y, width, height);
    public void Arc(double xc, double yc, double radius, double angle1, double angle2) => CairoNative.cairo_arc(_cr, xc, yc, radius, angle1, angle2);
    public void Circle(double xc, double yc, double radius)
    {
        NewSubPath();
        Arc(xc, yc, radius, 0, 2 * Math.PI);
        ClosePath();
    }

    public void Fill() => CairoNative.cairo_fill(_cr);
    public void FillPreserve() => CairoNative.cairo_fill_preserve(_cr);
    public void Stroke() => CairoNative.cairo_stroke(_cr);
    public void StrokePreserve() => CairoNative.cairo_stroke_preserve(_cr);
    public void Paint() => CairoNative.cairo_paint(_cr);
    public void PaintWithAlpha(double alpha) => CairoNative.cairo_paint_with_alpha(_cr, alpha);
    public void Clip() => CairoNative.cairo_clip(_cr);
    public void ResetClip() => CairoNative.cairo_reset_clip(_cr);

    /// <summary>Ends a PDF page; the next drawing starts a new one.</summary>
    public void ShowPage()
    {
        CairoNative.cairo_show_page(_cr);
        ThrowOnError("ending a page");
    }

    public void SelectFont(string family, FontSlant slant = FontSlant.Normal, FontWeight weight = FontWeight.Normal) =>
        CairoNative.cairo_select_font_face(_cr, family, (int)slant, (int)weight);

    public double FontSize { set => CairoNative.cairo_set_font_size(_cr, value); }

    /// <summary>Draws text with its baseline starting at the current point.</summary>
    public void ShowText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        CairoNative.cairo_show_text(_cr, text);
    }

    public TextExtents MeasureText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        CairoNative.cairo_text_extents(_cr, text, out var extents);
        return extents;
    }

    /// <summary>Throws when cairo put the context in an error state (it then ignores all drawing).</summary>
    public void ThrowOnError(string doing)
    {
        var status = CairoNative.cairo_status(_cr);
        if (status != CairoNative.StatusSuccess)
        {
            throw new CairoException($"while {doing}: {CairoNative.StatusText(status)}");
        }
    }

    public void Dispose() => _cr.Dispose();
}
