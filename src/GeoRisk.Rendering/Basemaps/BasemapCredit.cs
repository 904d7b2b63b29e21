namespace GeoRisk.Rendering.Basemaps;

/// <summary>The basemap's attribution, or the note that it is missing, in the image's bottom-right corner.</summary>
public static class BasemapCredit
{
    public const string UnavailableNote = "Achtergrondkaart niet beschikbaar · basemap unavailable";

    /// <summary>The line a cut-out carries for a status, or null (no basemap configured, or no attribution).</summary>
    public static string? Text(BasemapStatus status, string attribution) => status switch
    {
        BasemapStatus.Drawn when attribution.Length > 0 => attribution,
        BasemapStatus.Unavailable => UnavailableNote,
        _ => null,
    };

    public static void Draw(CairoContext cr, string text, int width, int height, double ratio = 1)
    {
        ArgumentNullException.ThrowIfNull(cr);
        ArgumentNullException.ThrowIfNull(text);
        cr.Save();
        cr.SelectFont(CairoContext.DefaultFontFamily);
        cr.FontSize = 9 * ratio;
        var ext = cr.MeasureText(text);
        var pad = 3 * ratio;
        var w = Math.Min(ext.XAdvance + 2 * pad, width);
        var h = 9 * ratio + 2 * pad;
        cr.SetSource(Rgba.Parse("#ffffffcc"));
        cr.Rectangle(width - w, height - h, w, h);
        cr.Fill();
        cr.SetSource(Rgba.Parse("#333333"));
        cr.MoveTo(width - w + pad, height - pad - 1.5 * ratio);
        cr.ShowText(text);
        cr.Restore();
    }
}
