using System.Globalization;
using GeoRisk.Core.Localization;
using GeoRisk.Rendering;

namespace GeoRisk.Reports.Factsheets;

/// <summary>
/// Draws a one-page A4 factsheet with cairo's PDF surface: area name, map cut-out (an image in
/// the PDF), score with rank and components, trend, the knelpunt flag with its reasons, and the
/// top of the signal list. No personal data can appear: the inputs carry none.
/// </summary>
public static partial class FactsheetPdf
{
    private const double PageW = 595, PageH = 842, Margin = 40, ContentW = PageW - 2 * Margin;
    private const double MapH = 320;

    /// <summary>Where the map sits on the first page (points) and the size of its image (pixels, twice the page resolution).</summary>
    public const double MapLeft = Margin, MapTop = 100;
    public const int MapPixelWidth = (int)(ContentW * 2), MapPixelHeight = (int)(MapH * 2);

    public static void Render(FactsheetData d, Stream output)
    {
        ArgumentNullException.ThrowIfNull(d);
        var L = Labels.For(d.Lang);
        using var pdf = CairoPdfSurface.Create(output, PageW, PageH);
        using (var cr = new CairoContext(pdf))
        {
            var y = Margin;
            Text(cr, Margin, y + 9, $"GeoRisk · {L.Factsheet} · {d.CasustafelName}", 9, rgb: "#154273");
            y += 34;
            Text(cr, Margin, y, d.AreaName, TitleSize(cr, d.AreaName), bold: true);
            y += 16;
            Text(cr, Margin, y, $"{d.AreaCode} · {Label(d.KindLabels, d.AreaKind)} · {L.Period} {Date(d.From, d.Lang)} – {Date(d.To.AddDays(-1), d.Lang)}", 9, rgb: "#555555");
            y = MapTop;

            // The map is drawn as an image at twice the page resolution and placed scaled.
            using (var map = FactsheetMap.Render(d, MapPixelWidth, MapPixelHeight))
            {
                cr.DrawImage(map, Margin, y, ContentW, MapH);
            }
            cr.SetSource(Rgba.Parse("#999999"));
            cr.LineWidth = 0.5;
            cr.Rectangle(Margin, y, ContentW, MapH);
            cr.Stroke();
            y += MapH + 11;
            var caption = d.Basemap?.Status switch
            {
                GeoRisk.Rendering.Basemaps.BasemapStatus.Drawn => $"{L.MapCaption} {L.Basemap} {d.Basemap.Attribution}.",
                GeoRisk.Rendering.Basemaps.BasemapStatus.Unavailable => $"{L.MapCaption} {L.BasemapUnavailable}",
                _ => $"{L.MapCaption} {L.NoBasemap}",
            };
            foreach (var line in Wrap(cr, caption, 7.5, ContentW))
            {
                Text(cr, Margin, y, line, 7.5, rgb: "#555555");
                y += 9.5;
            }
            y += 12;

            var colW = ContentW / 2 - 10;
            var leftY = Kpis(cr, d, L, Margin, y);
            var rightY = Components(cr, d, L, Margin + colW + 20, y, colW);
            y = Math.Max(leftY, rightY) + 14;
            y = SignalTable(cr, d, L, y);

            Text(cr, Margin, PageH - 24,
                $"{L.NoPersonalData} · {(d.Score is null ? "" : $"{L.Profile} {d.Score.Profile} v{d.Score.ProfileVersion} · ")}{L.Generated} {d.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC",
                7.5, rgb: "#777777");
            cr.ShowPage();
            if (d.Interventions.Count > 0)
            {
                InterventionsPage(cr, d);
                cr.ShowPage();
            }
            if (d.Gelegenheidskaart is { } g)
            {
                GelegenheidskaartPage(cr, d, g);
                cr.ShowPage();
            }
            if (d.Ports is { } ports)
            {
                PortsPage(cr, d, ports);
                cr.ShowPage();
            }
            cr.ThrowOnError("drawing the factsheet");
        }
        pdf.Finish();
    }

    private static double Kpis(CairoContext cr, FactsheetData d, Labels L, double x, double y)
    {
        Text(cr, x, y, L.Score, 11, bold: true);
        y += 20;
        if (d.Score is { } s)
        {
            Text(cr, x, y + 6, Num(s.Score, 0, d.Lang), 26, bold: true, rgb: "#800026");
            Text(cr, x + 58, y - 4, $"{L.Rank} {Num(s.Rank, 0, d.Lang)} {L.Of} {Num(s.RankOf, 0, d.Lang)}", 9);
            if (s.Typed is { } typed)
            {
                // The relative-risk score: what 50 means is printed with it, so the number cannot be read as a percentile.
                Text(cr, x + 58, y + 8, TrendText.RelativeRisk(typed, d.Lang), 9);
                Text(cr, x + 58, y + 20, TrendText.ObservedExpected(typed, d.Lang), 8, rgb: "#555555");
                y += 12;
            }
            else
                Text(cr, x + 58, y + 8, $"{L.Raw} {Num(s.Raw, 2, d.Lang)} · {L.Sources} {Num(s.SourceCount, 0, d.Lang)}", 9);
            y += 26;
            var flag = s.Candidate switch { true => L.Yes, false => L.No, null => "–" };
            Text(cr, x, y, $"{L.Candidate}: {flag}", 9.5, bold: s.Candidate == true, rgb: s.Candidate == true ? "#5b0a91" : "#222222");
            y += 13;
            foreach (var reason in s.Reasons.Take(5))
            {
                foreach (var line in Wrap(cr, $"• {reason}", 8, ContentW / 2 - 14))
                {
                    Text(cr, x + 4, y, line, 8, rgb: "#333333");
                    y += 10.5;
                }
            }
        }
        else
        {
            Text(cr, x, y, L.NoScore, 9, rgb: "#777777");
            y += 13;
        }
        y += 6;
        if (d.Score?.Typed is { } scored)
        {
            // One trend everywhere: the rate-ratio test of the score, worded as in the web map.
            Text(cr, x, y, $"{L.Trend}: {TrendText.Format(scored.Trend, d.Lang)}", 9);
            if (scored.Basis == GeoRisk.Core.Scoring.RiskScore.Live)
            {
                // A live score of a selection must not be taken for the profile's stored score.
                y += 4;
                foreach (var line in Wrap(cr, TrendText.Basis(scored, d.Lang, d.CategoryLabels), 8, ContentW / 2 - 14))
                {
                    y += 10.5;
                    Text(cr, x, y, line, 8, rgb: "#5b0a91");
                }
            }
            return y + 6;
        }
        var change = d.SignalsPreviousPeriod == 0 ? (double?)null : 100.0 * (d.SignalsInPeriod - d.SignalsPreviousPeriod) / d.SignalsPreviousPeriod;
        var arrow = change switch { null => "", > 1 => "▲ ", < -1 => "▼ ", _ => "▶ " };
        Text(cr, x, y, $"{L.Trend}: {arrow}{Num(d.SignalsInPeriod, 0, d.Lang)} {L.Signals} ({L.Previously} {Num(d.SignalsPreviousPeriod, 0, d.Lang)}{(change is null ? "" : $", {(change > 0 ? "+" : "")}{Num(change.Value, 0, d.Lang)}%")})", 9);
        return y + 6;
    }

    private static double Components(CairoContext cr, FactsheetData d, Labels L, double x, double y, double w)
    {
        Text(cr, x, y, L.Components, 11, bold: true);
        y += 14;
        var comps = d.Score?.Components.Where(c => c.Value > 0).OrderByDescending(c => c.Value).Take(8).ToList() ?? [];
        if (comps.Count == 0)
        {
            Text(cr, x, y + 6, "–", 9);
            return y + 12;
        }
        var max = comps.Max(c => c.Value);
        const double labelW = 120, valueW = 40;
        foreach (var c in comps)
        {
            var label = d.CategoryLabels.TryGetValue(c.Category, out var l) ? l : c.Category;
            Text(cr, x, y + 8, Fit(cr, label, 8, labelW - 4), 8);
            var barW = (w - labelW - valueW) * c.Value / max;
            cr.SetSource(Rgba.Parse("#eeeeee"));
            cr.Rectangle(x + labelW, y, w - labelW - valueW, 10);
            cr.Fill();
            cr.SetSource(Rgba.Parse("#e31a1c"));
            cr.Rectangle(x + labelW, y, barW, 10);
            cr.Fill();
            Text(cr, x + w - valueW + 4, y + 8, Num(c.Value, 2, d.Lang), 8);
            y += 14;
        }
        return y;
    }

    private static double SignalTable(CairoContext cr, FactsheetData d, Labels L, double y)
    {
        Text(cr, Margin, y, $"{L.TopSignals} ({d.TopSignals.Count})", 11, bold: true);
        y += 8;
        double[] cols = [0, 22, 175, 240, 400, 450];
        string[] heads = ["#", L.Category, L.Date, L.Location, L.Partners, L.Followup];
        cr.SetSource(Rgba.Parse("#f3f6fa"));
        cr.Rectangle(Margin, y, ContentW, 14);
        cr.Fill();
        for (var i = 0; i < heads.Length; i++) Text(cr, Margin + cols[i] + 2, y + 10, heads[i], 8, bold: true);
        y += 14;
        foreach (var s in d.TopSignals)
        {
            if (y > PageH - 50) break;
            var cat = d.CategoryLabels.TryGetValue(s.Category, out var c) ? c : s.Category;
            var status = d.StatusLabels.TryGetValue(s.FollowupStatus, out var st) ? st : s.FollowupStatus;
            // RD coordinates are identifiers of a place, not amounts: no thousands separator.
            var precision = Label(d.PrecisionLabels, s.Location.Precision);
            var loc = s.Location.X is null ? $"{s.Location.Label} ({precision})"
                : FormattableString.Invariant($"{s.Location.X:0}, {s.Location.Y:0} ({precision})");
            string[] cells = [Num(s.Rank, 0, d.Lang), cat, Date(s.ObservedAt, d.Lang), loc,
                Num(s.CorroboratingPartners, 0, d.Lang), status];
            for (var i = 0; i < cells.Length; i++)
            {
                var w = (i + 1 < cols.Length ? cols[i + 1] : ContentW) - cols[i] - 4;
                Text(cr, Margin + cols[i] + 2, y + 10, Fit(cr, cells[i], 8, w), 8);
            }
            cr.SetSource(Rgba.Parse("#e5e5e5"));
            cr.LineWidth = 0.5;
            cr.MoveTo(Margin, y + 14); cr.LineTo(Margin + ContentW, y + 14);
            cr.Stroke();
            y += 14;
        }
        if (d.TopSignals.Count == 0) { Text(cr, Margin, y + 12, "–", 9); y += 14; }
        return y;
    }

    /// <summary>The effect of each intervention: before/after counts per zone, WDQ, net effect and the verdict.</summary>
    /// <summary>The model card of the area's newest gelegenheidskaart: kept factors with RRV and interval, validation, blind spots.</summary>
    private static void GelegenheidskaartPage(CairoContext cr, FactsheetData d, Rtm.RtmFactsheetSection g)
    {
        var en = d.Lang == "en";
        var y = Margin;
        Text(cr, Margin, y + 9, $"GeoRisk · Factsheet · {d.CasustafelName} · {d.AreaName}", 9, rgb: "#154273");
        y += 34;
        Text(cr, Margin, y, en ? "Opportunity map (Risk Terrain Modeling)" : "Gelegenheidskaart (Risk Terrain Modeling)", 16, bold: true);
        y += 18;
        Text(cr, Margin, y, Fit(cr, $"{g.Name} · {(en ? "version" : "versie")} {g.Version} · {(en ? "fitted on" : "gefit op")} {g.FitFrom} – {g.FitTo} · {(en ? "tested on" : "getoetst op")} {g.TestFrom} – {g.TestTo}", 8.5, ContentW), 8.5, rgb: "#555555");
        y += 22;
        if (g.Factors.Count == 0)
        {
            Text(cr, Margin, y, en ? "No factor raises the risk here demonstrably." : "Geen factor verhoogt het risico hier aantoonbaar.", 9.5);
            y += 16;
        }
        else
        {
            double[] columns = [Margin, Margin + 170, Margin + 330, Margin + 400];
            string[] heads = en ? ["Factor", "Influence", "RRV", "95 % interval"] : ["Factor", "Werking", "RRV", "95%-interval"];
            for (int i = 0; i < heads.Length; i++) Text(cr, columns[i], y, heads[i], 9, bold: true);
            y += 14;
            foreach (var f in g.Factors)
            {
                Text(cr, columns[0], y, Fit(cr, f.Factor, 9, 160), 9);
                Text(cr, columns[1], y, Rtm.RtmFactsheetSection.InfluenceText(f, en), 9);
                Text(cr, columns[2], y, "×" + LocalNumber(f.Rrv, 2, en), 9);
                Text(cr, columns[3], y, $"{LocalNumber(f.RrvLow, 2, en)} – {LocalNumber(f.RrvHigh, 2, en)}", 9);
                y += 13;
            }
        }
        y += 12;
        Text(cr, Margin, y, en ? "Test on the next period, top 5 % of cells" : "Toets op de volgende periode, top 5 % van de cellen", 11, bold: true);
        y += 16;
        string Figures(double? pai, double? hit) => pai is null || hit is null ? "–"
            : $"PAI {LocalNumber(pai.Value, 2, en)} · {(en ? "hit rate" : "trefkans")} {LocalNumber(100 * hit.Value, 1, en)} %";
        Text(cr, Margin, y, $"{(en ? "Opportunity map" : "Gelegenheidskaart")}: {Figures(g.ModelPai, g.ModelHitRate)}", 9.5);
        y += 13;
        Text(cr, Margin, y, $"{(en ? "Hot spots from earlier signals" : "Hotspots uit eerdere signalen")}: {Figures(g.HotspotPai, g.HotspotHitRate)}", 9.5);
        y += 20;
        Text(cr, Margin, y, en ? $"Blind spots (top 5 % terrain risk, no signals): {g.BlindSpots}" : $"Blinde vlekken (top 5 % terreinrisico, geen signalen): {g.BlindSpots}", 9.5);
        var footer = PageH - 50;
        foreach (var line in Wrap(cr, en
            ? "RRV: relative risk value of a factor (exp of its Poisson coefficient); RRS of a cell: product of the RRVs present. Factors chosen by BIC. See docs/rtm.md."
            : "RRV: relatieve risicowaarde van een factor (exp van de Poisson-coëfficiënt); RRS van een cel: product van de aanwezige RRV's. Factoren gekozen op BIC. Zie docs/rtm.md.", 7.5, ContentW))
        {
            Text(cr, Margin, footer, line, 7.5, rgb: "#777777");
            footer += 9.5;
        }
    }

    private static void InterventionsPage(CairoContext cr, FactsheetData d)
    {
        bool en = d.Lang == "en";
        var y = Margin;
        Text(cr, Margin, y + 9, $"GeoRisk · Factsheet · {d.CasustafelName} · {d.AreaName}", 9, rgb: "#154273");
        y += 34;
        Text(cr, Margin, y, en ? "Interventions and their effect" : "Interventies en hun effect", 16, bold: true);
        y += 22;
        foreach (var i in d.Interventions)
        {
            if (y > PageH - 120) break;
            Text(cr, Margin, y, Fit(cr, i.Name, 11, ContentW), 11, bold: true);
            y += 13;
            Text(cr, Margin, y, $"{i.KindLabel} · {(en ? "start" : "start")} {i.StartDate:yyyy-MM-dd}" + (i.EndDate is { } end ? $" · {(en ? "end" : "einde")} {end:yyyy-MM-dd}" : ""), 8.5, rgb: "#555555");
            y += 13;
            if (i.Report is not { } r)
            {
                Text(cr, Margin, y, i.NotAnalysed ?? "–", 9);
                y += 20;
                continue;
            }
            var w = r.Windows;
            Text(cr, Margin, y, $"{(en ? "before" : "voor")} {w.BeforeFrom:yyyy-MM-dd} – {w.BeforeTo.AddDays(-1):yyyy-MM-dd} · {(en ? "after" : "na")} {w.AfterFrom:yyyy-MM-dd} – {w.AfterTo.AddDays(-1):yyyy-MM-dd} · {(en ? "control" : "controle")} {string.Join(", ", r.ControlCodes)}", 8.5);
            y += 12;
            var c = r.Result.Counts;
            Text(cr, Margin, y, en
                ? $"target {c.TargetBefore:0} → {c.TargetAfter:0} · buffer {c.BufferBefore:0} → {c.BufferAfter:0} · control {c.ControlBefore:0} → {c.ControlAfter:0}"
                : $"doelgebied {c.TargetBefore:0} → {c.TargetAfter:0} · buffer {c.BufferBefore:0} → {c.BufferAfter:0} · controle {c.ControlBefore:0} → {c.ControlAfter:0}", 8.5);
            y += 12;
            var wdq = double.IsFinite(r.Result.Wdq) ? LocalNumber(r.Result.Wdq, 2, en) : (en ? "undefined" : "niet gedefinieerd");
            Text(cr, Margin, y, $"WDQ {wdq} · {(en ? "total net effect" : "netto-effect")} {LocalNumber(r.Result.TotalNetEffect, 0, en)} {(en ? "signals" : "signalen")}", 8.5);
            y += 13;
            foreach (var line in Wrap(cr, (en ? "Verdict: " : "Oordeel: ") + (en ? r.VerdictEn : r.VerdictNl), 9.5, ContentW))
            {
                Text(cr, Margin, y, line, 9.5, bold: true);
                y += 12;
            }
            y += 10;
        }
        foreach (var line in Wrap(cr, en
            ? "Method: Bowers & Johnson (2003) against a control area; a change counts when its 95 % interval excludes 1. See docs/effects.md."
            : "Methode: Bowers & Johnson (2003) ten opzichte van een controlegebied; een verandering telt als het 95%-interval 1 uitsluit. Zie docs/effects.md.", 7.5, ContentW))
        {
            Text(cr, Margin, PageH - 40, line, 7.5, rgb: "#777777");
        }
    }

    // Dutch numbers: decimal comma, thousands dot (the process runs with invariant globalization).
    private static readonly NumberFormatInfo DutchNumbers = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "." };

    private static string LocalNumber(double v, int digits, bool en) =>
        v.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), en ? CultureInfo.InvariantCulture : DutchNumbers);

    /// <summary>20 pt, or smaller until a long area name fits the page width.</summary>
    private static double TitleSize(CairoContext cr, string title)
    {
        cr.SelectFont(CairoContext.DefaultFontFamily, weight: FontWeight.Bold);
        var size = 20.0;
        for (; size > 11; size -= 1)
        {
            cr.FontSize = size;
            if (cr.MeasureText(title).XAdvance <= ContentW) break;
        }
        return size;
    }

    internal static void Text(CairoContext cr, double x, double y, string text, double size, bool bold = false, string rgb = "#222222")
    {
        cr.SelectFont(CairoContext.DefaultFontFamily, weight: bold ? FontWeight.Bold : FontWeight.Normal);
        cr.FontSize = size;
        cr.SetSource(Rgba.Parse(rgb));
        cr.MoveTo(x, y);
        cr.ShowText(text);
    }

    /// <summary>Shortens text with an ellipsis until it fits <paramref name="width"/> points.</summary>
    internal static string Fit(CairoContext cr, string text, double size, double width)
    {
        cr.SelectFont(CairoContext.DefaultFontFamily);
        cr.FontSize = size;
        if (cr.MeasureText(text).XAdvance <= width) return text;
        while (text.Length > 1 && cr.MeasureText(text + "…").XAdvance > width) text = text[..^1];
        return text + "…";
    }

    internal static IEnumerable<string> Wrap(CairoContext cr, string text, double size, double width)
    {
        cr.SelectFont(CairoContext.DefaultFontFamily);
        cr.FontSize = size;
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : $"{line} {word}";
            if (line.Length > 0 && cr.MeasureText(candidate).XAdvance > width)
            {
                yield return line;
                line = word;
            }
            else line = candidate;
        }
        if (line.Length > 0) yield return line;
    }

    private static string Num(double v, int digits, string lang) => Formats.Number(v, digits, lang);
    private static string Date(DateTimeOffset d, string lang) => Formats.Date(d, lang);
    private static string Label(IReadOnlyDictionary<string, string> labels, string code) => labels.TryGetValue(code, out var l) ? l : code;

    private sealed record Labels(
        string Factsheet, string Period, string Score, string Rank, string Of, string Raw, string Sources,
        string Candidate, string Yes, string No, string NoScore, string Trend, string Signals, string Previously,
        string Components, string TopSignals, string Category, string Date, string Location, string Partners,
        string Followup, string NoPersonalData, string Profile, string Generated, string MapCaption,
        string Basemap, string BasemapUnavailable, string NoBasemap)
    {
        public static Labels For(string lang) => lang == "en"
            ? new("Factsheet", "period", "Risk score", "rank", "of", "raw", "sources",
                "Candidate enforcement bottleneck", "yes", "no", "No score for this area yet.", "Trend", "signals", "previous period",
                "Components by category", "Top signals", "Category", "Date", "Location (RD, precision)", "Partners",
                "Follow-up", "Contains no personal data", "profile", "generated",
                "Numbers are ranks in the list below. Filled dot: exact location; ring: centre of a 100 m (pc6) or 250 m (street) cell. Area colour: risk score.",
                "Basemap:", "Basemap unavailable (tile server not reachable in time): municipal, district and neighbourhood lines instead.",
                "Lines: municipality, district, neighbourhood.")
            : new("Factsheet", "periode", "Risicoscore", "rang", "van", "ruw", "bronnen",
                "Kandidaat-handhavingsknelpunt", "ja", "nee", "Nog geen score voor dit gebied.", "Trend", "signalen", "vorige periode",
                "Componenten per categorie", "Belangrijkste signalen", "Categorie", "Datum", "Locatie (RD, precisie)", "Partners",
                "Opvolging", "Bevat geen persoonsgegevens", "profiel", "gegenereerd",
                "Nummers zijn de rangen in de lijst hieronder. Gevulde stip: exacte locatie; ring: midden van een cel van 100 m (pc6) of 250 m (straat). Kleur: risicoscore.",
                "Achtergrond:", "Achtergrondkaart niet beschikbaar (tegelserver niet op tijd bereikbaar): gemeente-, wijk- en buurtgrenzen getekend.",
                "Lijnen: gemeente, wijk, buurt.");
    }
}
