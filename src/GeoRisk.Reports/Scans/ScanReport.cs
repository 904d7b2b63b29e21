using System.Globalization;
using GeoRisk.Core.Scans;
using GeoRisk.Core.Scoring;
using GeoRisk.Data;
using GeoRisk.Reports.Factsheets;
using GeoRisk.Rendering;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using static GeoRisk.Reports.Factsheets.FactsheetPdf;

namespace GeoRisk.Reports.Scans;

/// <summary>
/// The wijkscan report as a multi-page A4 PDF (cairo): a cover with the overview map of the
/// parent (sub-areas coloured by relative risk, kandidaten outlined) and its legend, the ranked
/// table, one page per kandidaat (map cut-out, category profile, trend against the window
/// before), and a methods page (profile, window, cut-off, model, suppression rules). Dutch by
/// default, English with lang=en. It draws the <see cref="ScanView"/> it is given, so a viewer's
/// report carries only the suppressed numbers.
/// </summary>
public sealed class ScanReportRenderer(NpgsqlDataSource db)
{
    private const double PageW = 595, PageH = 842, Margin = 40, ContentW = PageW - 2 * Margin;

    private static string Sql(string name) => SqlResource.Load(typeof(ScanReportRenderer).Assembly, name);

    /// <summary>Significance of the trend on the kandidaat pages (as the score's trend_alpha default).</summary>
    private const double TrendAlpha = 0.05;

    public async Task<byte[]> RenderAsync(ScanView view, string lang, CancellationToken ct)
    {
        var geometries = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        Geometry? parent = null;
        var reader = new WKBReader();
        await using (var cmd = db.CreateCommand(Sql("scan_report_geometry.sql")))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = view.Scan.Id });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var g = reader.Read(r.GetFieldValue<byte[]>(2));
                if (r.GetString(0) == "parent") parent = g; else geometries[r.GetString(1)] = g;
            }
        }
        var previous = new Dictionary<string, (int N, long KeySum)>(StringComparer.Ordinal);
        await using (var cmd = db.CreateCommand(Sql("scan_report_previous.sql")))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = view.Scan.Id });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) previous[r.GetString(0)] = (r.GetInt32(1), r.GetInt64(2));
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var cmd = db.CreateCommand(Sql("labels.sql")))
        {
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                if (r.GetString(0) == "category") labels[r.GetString(1)] = lang == "en" ? r.GetString(3) : r.GetString(2);
        }
        using var output = new MemoryStream();
        Render(view, lang, parent ?? new GeometryFactory().CreateGeometryCollection(), geometries, previous, labels, output);
        return output.ToArray();
    }

    /// <summary>Diverging classes of relative risk: blue below 1, red above; grey without a value.</summary>
    public static readonly (double From, string Colour)[] RrClasses =
        [(0, "#2166ac"), (0.5, "#92c5de"), (0.8, "#f7f7f7"), (1.25, "#f4a582"), (2, "#b2182b")];

    public static Rgba RrColour(double? rr)
    {
        if (rr is null) return Rgba.Parse("#bdbdbd");
        var c = RrClasses[0].Colour;
        foreach (var (from, colour) in RrClasses) if (rr >= from) c = colour;
        return Rgba.Parse(c);
    }

    public static void Render(ScanView view, string lang, Geometry parent, IReadOnlyDictionary<string, Geometry> geometries,
        IReadOnlyDictionary<string, (int N, long KeySum)> previous, IReadOnlyDictionary<string, string> categoryLabels, Stream output)
    {
        var L = Labels.For(lang);
        var h = view.Scan;
        using var pdf = CairoPdfSurface.Create(output, PageW, PageH);
        using var cr = new CairoContext(pdf);
        var page = 1;
        void Footer()
        {
            Text(cr, Margin, PageH - 24, $"GeoRisk · {L.Title} {h.ParentName} · {h.Name} · {L.NoPersonalData}{(view.Suppressed ? " · " + L.SuppressedNote(view.SuppressionK) : "")}", 7, rgb: "#777777");
            Text(cr, PageW - Margin - 30, PageH - 24, $"{L.Page} {page}", 7, rgb: "#777777");
            cr.ShowPage();
            page++;
        }

        // Cover: title, overview map with legend, summary.
        var y = Margin;
        Text(cr, Margin, y + 9, $"GeoRisk · {L.Title}", 9, rgb: "#154273");
        y += 34;
        Text(cr, Margin, y, $"{L.Title} {h.ParentName}", 20, bold: true);
        y += 18;
        Text(cr, Margin, y, $"{h.Name} · {h.ParentCode} · {L.Level(h.Level)} · {L.Window} {h.WindowFrom:yyyy-MM-dd} – {h.WindowTo:yyyy-MM-dd} · {L.Cutoff} {h.Cutoff.UtcDateTime:yyyy-MM-dd HH:mm} UTC", 8.5, rgb: "#555555");
        y += 10;
        const double mapH = 430;
        var byCode = view.Rows.ToDictionary(r => r.Code, StringComparer.Ordinal);
        using (var map = DrawMap(parent, geometries, code => (RrColour(byCode[code].RrParent), byCode[code].Kandidaat, false), (int)(ContentW * 2), (int)(mapH * 2), null))
            cr.DrawImage(map, Margin, y, ContentW, mapH);
        y += mapH + 14;
        Text(cr, Margin, y, L.LegendTitle, 9, bold: true);
        y += 6;
        var x = Margin;
        for (var i = 0; i < RrClasses.Length; i++)
        {
            var (from, colour) = RrClasses[i];
            var label = i + 1 < RrClasses.Length ? $"{from.ToString(CultureInfo.InvariantCulture)} – {RrClasses[i + 1].From.ToString(CultureInfo.InvariantCulture)}" : $"≥ {from.ToString(CultureInfo.InvariantCulture)}";
            cr.SetSource(Rgba.Parse(colour)); cr.Rectangle(x, y, 14, 10); cr.Fill();
            cr.SetSource(Rgba.Parse("#666666")); cr.LineWidth = 0.5; cr.Rectangle(x, y, 14, 10); cr.Stroke();
            Text(cr, x + 18, y + 8.5, label, 8);
            x += 80;
        }
        y += 16;
        cr.SetSource(Rgba.Parse("#bdbdbd")); cr.Rectangle(Margin, y, 14, 10); cr.Fill();
        Text(cr, Margin + 18, y + 8.5, L.NoValue, 8);
        cr.SetSource(Rgba.Parse("#5b0a91")); cr.LineWidth = 2.5; cr.Rectangle(Margin + 160, y, 14, 10); cr.Stroke();
        Text(cr, Margin + 178, y + 8.5, L.KandidaatOutline, 8);
        y += 26;
        var kandidaten = view.Rows.Where(r => r.Kandidaat).ToList();
        foreach (var line in Wrap(cr, L.Summary(view.Rows.Count, L.Level(h.Level), kandidaten.Count, Count(view.ParentTotal, view.SuppressionK)), 9.5, ContentW))
        {
            Text(cr, Margin, y, line, 9.5);
            y += 13;
        }
        Footer();

        // Ranked table.
        double[] cols = [0, 26, 100, 270, 318, 370, 455, 500];
        string[] heads = ["#", Labels.Code, L.Name, L.Signals, L.Rate, L.RrParent, L.RrRegion, L.Hot];
        var rowIndex = 0;
        while (rowIndex < view.Rows.Count)
        {
            y = Margin;
            Text(cr, Margin, y + 10, $"{L.Ranking} ({L.Level(h.Level)}, {view.Rows.Count})", 13, bold: true);
            y += 22;
            cr.SetSource(Rgba.Parse("#f3f6fa")); cr.Rectangle(Margin, y, ContentW, 14); cr.Fill();
            for (var i = 0; i < heads.Length; i++) Text(cr, Margin + cols[i] + 2, y + 10, heads[i], 7.5, bold: true);
            y += 14;
            while (rowIndex < view.Rows.Count && y < PageH - 60)
            {
                var r = view.Rows[rowIndex++];
                if (r.Kandidaat) { cr.SetSource(Rgba.Parse("#f2e6fa")); cr.Rectangle(Margin, y, ContentW, 14); cr.Fill(); }
                string[] cells =
                [
                    r.Rank.ToString(CultureInfo.InvariantCulture), r.Code, r.Name, Count(r.SignalCount, view.SuppressionK),
                    Num(r.RatePerDenominator, 1), r.RrParent is null ? "–" : $"{Num(r.RrParent, 2)} ({Num(r.RrParentLow, 2)}–{Num(r.RrParentHigh, 2)})",
                    Num(r.RrRegion, 2), r.HotspotCells.ToString(CultureInfo.InvariantCulture),
                ];
                for (var i = 0; i < cells.Length; i++)
                {
                    var w = (i + 1 < cols.Length ? cols[i + 1] : ContentW) - cols[i] - 4;
                    Text(cr, Margin + cols[i] + 2, y + 10, Fit(cr, cells[i], 7.5, w), 7.5, bold: r.Kandidaat && i == 2);
                }
                cr.SetSource(Rgba.Parse("#e5e5e5")); cr.LineWidth = 0.5;
                cr.MoveTo(Margin, y + 14); cr.LineTo(Margin + ContentW, y + 14); cr.Stroke();
                y += 14;
            }
            Text(cr, Margin, y + 14, $"{L.RateUnit}: {(view.Rows.Count > 0 ? view.Rows[0].DenominatorUnit : "")}. {L.KandidaatShaded}", 7.5, rgb: "#555555");
            Footer();
        }

        // One page per kandidaat.
        foreach (var k in kandidaten)
        {
            y = Margin;
            Text(cr, Margin, y + 9, $"{L.Kandidaat} · {L.Rank} {k.Rank} {L.Of} {view.Rows.Count}", 9, rgb: "#5b0a91");
            y += 32;
            Text(cr, Margin, y, $"{k.Name} ({k.Code})", 18, bold: true);
            y += 10;
            const double cutH = 300;
            if (geometries.TryGetValue(k.Code, out var focus))
            {
                using var cut = DrawMap(parent, geometries, code => (code == k.Code ? RrColour(k.RrParent) : Rgba.Parse("#ffffff"), code == k.Code, code != k.Code), (int)(ContentW * 2), (int)(cutH * 2), focus);
                cr.DrawImage(cut, Margin, y, ContentW, cutH);
            }
            y += cutH + 22;
            Text(cr, Margin, y, $"{L.Signals}: {Count(k.SignalCount, view.SuppressionK)} · {L.Sources}: {Count(k.SourceCount, view.SuppressionK)} · {L.RrParent}: {Num(k.RrParent, 2)} (90 %: {Num(k.RrParentLow, 2)}–{Num(k.RrParentHigh, 2)}) · {L.RrRegion}: {Num(k.RrRegion, 2)} · {L.Hot}: {k.HotspotCells}", 9);
            y += 22;
            Text(cr, Margin, y, L.Profile, 11, bold: true);
            y += 10;
            var shown = k.Counts.Where(c => c.Value.Value is > 0 || c.Value.Suppressed).OrderByDescending(c => c.Value.Value ?? 0).ToList();
            var max = Math.Max(1, shown.Select(c => c.Value.Value ?? 0).DefaultIfEmpty(1).Max());
            foreach (var (category, count) in shown.Take(12))
            {
                var label = categoryLabels.TryGetValue(category, out var l) ? l : category;
                Text(cr, Margin, y + 8, Fit(cr, label, 8, 170), 8);
                cr.SetSource(Rgba.Parse("#eeeeee")); cr.Rectangle(Margin + 175, y, ContentW - 230, 10); cr.Fill();
                cr.SetSource(Rgba.Parse("#b2182b")); cr.Rectangle(Margin + 175, y, (ContentW - 230) * (count.Value ?? 0) / max, 10); cr.Fill();
                Text(cr, Margin + ContentW - 48, y + 8, Count(count, view.SuppressionK), 8);
                y += 14;
            }
            y += 14;
            Text(cr, Margin, y, Labels.Trend, 11, bold: true);
            y += 16;
            var (before, beforeKeySum) = previous.GetValueOrDefault(k.Code);
            var beforePublished = GeoRisk.Core.Access.Suppression.Publish(before, beforeKeySum, view.SuppressionK);
            var beforeShown = view.Suppressed ? Count(new ShownCount(beforePublished.Value, beforePublished.Suppressed), view.SuppressionK)
                : before.ToString(CultureInfo.InvariantCulture);
            // The test needs exact counts: the suppressed version shows the (rounded) counts only.
            var trend = view.Suppressed || k.SignalCount.Value is not { } now ? null : RateRatioTest.Test(now, 1, before, 1, TrendAlpha);
            Text(cr, Margin, y, L.TrendLine(Count(k.SignalCount, view.SuppressionK), beforeShown), 9);
            if (trend?.RateRatio is { } ratio)
            {
                y += 13;
                Text(cr, Margin, y, L.TrendTestLine(ratio, trend.PValue!.Value, trend.Direction), 9);
            }
            Footer();
        }

        // Methods.
        y = Margin;
        Text(cr, Margin, y + 10, L.Methods, 13, bold: true);
        y += 28;
        foreach (var paragraph in L.MethodsText(h, view))
        {
            foreach (var line in Wrap(cr, paragraph, 9, ContentW))
            {
                Text(cr, Margin, y, line, 9);
                y += 12.5;
            }
            y += 6;
        }
        Footer();
        cr.ThrowOnError("drawing the wijkscan report");
        pdf.Finish();
    }

    /// <summary>The parent's sub-areas filled by <paramref name="style"/>; the extent is the focus area (cut-out) or the parent.</summary>
    private static CairoImageSurface DrawMap(Geometry parent, IReadOnlyDictionary<string, Geometry> geometries,
        Func<string, (Rgba Fill, bool Highlight, bool Faint)> style, int width, int height, Geometry? focus)
    {
        var image = CairoImageSurface.Create(width, height);
        using var cr = new CairoContext(image);
        var env = new Envelope((focus ?? (parent.IsEmpty ? new GeometryFactory().BuildGeometry(geometries.Values) : parent)).EnvelopeInternal);
        env.ExpandBy(Math.Max(env.Width, env.Height) * (focus is null ? 0.03 : 0.35) + 20);
        var scale = Math.Min(width / env.Width, height / env.Height);
        var ox = (width - env.Width * scale) / 2;
        var oy = (height - env.Height * scale) / 2;
        (double X, double Y) P(double px, double py) => (ox + (px - env.MinX) * scale, height - (oy + (py - env.MinY) * scale));
        cr.SetSource(Rgba.Parse("#f4f1ea"));
        cr.Paint();
        cr.LineJoin = LineJoin.Round;
        foreach (var (code, g) in geometries.OrderBy(g => style(g.Key).Highlight))
        {
            var (fill, highlight, faint) = style(code);
            FactsheetMap.Path(cr, g, P);
            cr.SetSource(fill.WithAlpha((byte)(faint ? 140 : 230)));
            cr.FillPreserve();
            cr.SetSource(highlight ? Rgba.Parse("#5b0a91") : Rgba.Parse("#7a7a7a"));
            cr.LineWidth = highlight ? 5 : 1;
            cr.Stroke();
        }
        if (!parent.IsEmpty)
        {
            FactsheetMap.Path(cr, parent, P);
            cr.SetSource(Rgba.Parse("#222222"));
            cr.LineWidth = 2;
            cr.Stroke();
        }
        FactsheetMap.DrawScaleBar(cr, scale, height);
        cr.ThrowOnError("drawing the wijkscan map");
        image.Flush();
        return image;
    }

    private static string Count(ShownCount c, int k) => c.Suppressed ? $"<{k}" : c.Value!.Value.ToString(CultureInfo.InvariantCulture);

    private static string Num(double? v, int digits) => v is null ? "–" : v.Value.ToString("0." + new string('0', digits), CultureInfo.InvariantCulture);

    private sealed record Labels(string Lang)
    {
        public static Labels For(string lang) => new(lang == "en" ? "en" : "nl");
        private bool En => Lang == "en";
        public string Title => En ? "Neighbourhood scan" : "Wijkscan";
        public string Window => En ? "window" : "venster";
        public string Cutoff => En ? "data cut-off" : "peildatum gegevens";
        public string Level(string level) => (level, En) switch { ("buurt", true) => "neighbourhoods (buurten)", ("wijk", true) => "districts (wijken)", ("buurt", false) => "buurten", _ => "wijken" };
        public string LegendTitle => En ? "Relative risk against the municipality (signals / expected)" : "Relatief risico t.o.v. de gemeente (signalen / verwacht)";
        public string NoValue => En ? "no value (no data or suppressed)" : "geen waarde (geen gegevens of afgeschermd)";
        public string KandidaatOutline => En ? "candidate (kandidaat)" : "kandidaat";
        public string Summary(int n, string level, int k, string total) => En
            ? $"{n} {level} scanned; {k} candidate(s): relative risk significantly above the municipality (90 % interval above 1) with enough signals and sources. Signals in the window: {total}."
            : $"{n} {level} gescand; {k} kandida(a)t(en): relatief risico significant boven de gemeente (90 %-interval boven 1) met genoeg signalen en bronnen. Signalen in het venster: {total}.";
        public string Ranking => En ? "Ranking" : "Rangorde";
        public static string Code => "Code";
        public string Name => En ? "Name" : "Naam";
        public string Signals => En ? "Signals" : "Signalen";
        public string Sources => En ? "Sources" : "Bronnen";
        public string Rate => En ? "Rate" : "Ratio";
        public string RrParent => En ? "RR municipality (90 %)" : "RR gemeente (90 %)";
        public string RrRegion => En ? "RR region" : "RR regio";
        public string Hot => En ? "Hot cells" : "Hotspots";
        public string RateUnit => En ? "Rate: signals" : "Ratio: signalen";
        public string KandidaatShaded => En ? "Shaded rows are candidates." : "Gearceerde rijen zijn kandidaten.";
        public string Kandidaat => En ? "Candidate" : "Kandidaat";
        public string Rank => En ? "rank" : "rang";
        public string Of => En ? "of" : "van";
        public string Profile => En ? "Category profile" : "Profiel per categorie";
        public static string Trend => "Trend";
        public string TrendLine(string now, string before) => En
            ? $"Signals in this window: {now}; in the window of equal length before it: {before}."
            : $"Signalen in dit venster: {now}; in het even lange venster ervoor: {before}.";
        public string TrendTestLine(double ratio, double p, string direction) => En
            ? $"Rate ratio {Num(ratio, 2)} (p = {Num(p, 3)}): {(direction == "up" ? "up" : direction == "down" ? "down" : "no significant change")}."
            : $"Verhouding {Num(ratio, 2)} (p = {Num(p, 3)}): {(direction == "up" ? "stijgend" : direction == "down" ? "dalend" : "geen significante verandering")}.";
        public string Methods => En ? "Methods" : "Werkwijze";
        public string Page => En ? "page" : "pagina";
        public string NoPersonalData => En ? "contains no personal data" : "bevat geen persoonsgegevens";
        public string SuppressedNote(int k) => En ? $"counts below {k} withheld" : $"aantallen onder {k} afgeschermd";

        public IEnumerable<string> MethodsText(ScanHeader h, ScanView v)
        {
            if (En)
            {
                yield return $"Scan '{h.Name}' of {h.ParentName} ({h.ParentCode}) at the level of {Level(h.Level)}, {v.Rows.Count} sub-areas. Scoring profile {h.Profile} version {h.ProfileVersion}; model {h.Model}.";
                yield return $"Window: signals observed from {h.WindowFrom:yyyy-MM-dd} to {h.WindowTo:yyyy-MM-dd} inclusive (Amsterdam time). Data cut-off: only signals imported up to {h.Cutoff.UtcDateTime:yyyy-MM-dd HH:mm} UTC count, so the scan can be reproduced exactly later (verify).";
                yield return "Counts: signals of the categories the profile weighs, per sub-area (boundary versions frozen with the scan). Expected count: the municipality's rate (all sub-areas together) times the sub-area's exposure (or km²); "
                    + (h.Model == ScanModel.ScoreV2
                        ? "relative risk = the area score v2 (weight × reliability × decay per signal, times the corroboration of its sources, against the same quantity of the municipality), the posterior mean of the Poisson-Gamma model with its 90 % credible interval; against the region it is the area score itself."
                        : h.Model == ScanModel.PoissonGammaV2
                        ? "relative risk = the posterior mean of the Poisson-Gamma model, Gamma(α + observed, α + expected) with α estimated over the sub-areas, with its 90 % credible interval."
                        : "relative risk = observed / expected, with Byar's 90 % Poisson interval.")
                    + " The same against the region (all areas of this level).";
                yield return $"Trend (candidate pages): the signals in the window of equal length before the scan's window, same boundaries, categories and cut-off; rate ratio now / before with the Wald test on its log, a change when p < {Num(TrendAlpha, 2)}. The suppressed version shows the counts only.";
                yield return "Candidate: the lower bound of the relative risk against the municipality is above 1, and the profile's minimum numbers of signals and sources are met. Hot cells: 250 m hexagons with a Getis-Ord Gi* hot spot at 95 % (Benjamini-Hochberg) whose centre lies in the sub-area.";
                yield return $"Suppression: outside a casustafel, counts below {v.SuppressionK} are withheld (shown as <{v.SuppressionK}) and other counts are rounded to multiples of 5; ratios are computed from rounded counts; totals that would reveal withheld counts are withheld too. {(v.Suppressed ? "This report is the suppressed version." : "This report shows exact counts: do not share it beyond the parties entitled to them.")}";
                yield return "No personal data: signals describe places and observations, never people.";
            }
            else
            {
                yield return $"Scan '{h.Name}' van {h.ParentName} ({h.ParentCode}) op het niveau van {Level(h.Level)}, {v.Rows.Count} deelgebieden. Scoringsprofiel {h.Profile} versie {h.ProfileVersion}; model {h.Model}.";
                yield return $"Venster: signalen waargenomen van {h.WindowFrom:yyyy-MM-dd} tot en met {h.WindowTo:yyyy-MM-dd} (Amsterdamse tijd). Peildatum gegevens: alleen signalen ingelezen tot {h.Cutoff.UtcDateTime:yyyy-MM-dd HH:mm} UTC tellen mee, zodat de scan later exact te herhalen is (verify).";
                yield return "Aantallen: signalen van de categorieën die het profiel weegt, per deelgebied (grensversies vastgelegd met de scan). Verwacht aantal: de ratio van de gemeente (alle deelgebieden samen) maal de blootstelling (of km²) van het deelgebied; "
                    + (h.Model == ScanModel.ScoreV2
                        ? "relatief risico = de gebiedsscore v2 (per signaal gewicht × betrouwbaarheid × verval, maal de bevestiging door meerdere bronnen, t.o.v. dezelfde grootheid van de gemeente), het posterieure gemiddelde van het Poisson-Gammamodel met het 90 %-geloofwaardigheidsinterval; t.o.v. de regio is het de gebiedsscore zelf."
                        : h.Model == ScanModel.PoissonGammaV2
                        ? "relatief risico = het posterieure gemiddelde van het Poisson-Gammamodel, Gamma(α + waargenomen, α + verwacht) met α geschat over de deelgebieden, met het 90 %-geloofwaardigheidsinterval."
                        : "relatief risico = waargenomen / verwacht, met Byars 90 %-Poissoninterval.")
                    + " Hetzelfde t.o.v. de regio (alle gebieden van dit niveau).";
                yield return $"Trend (kandidaatpagina's): de signalen in het even lange venster vóór het venster van de scan, met dezelfde grenzen, categorieën en peildatum; verhouding nu / toen met de Wald-toets op de logaritme, een verandering bij p < {Num(TrendAlpha, 2)}. De afgeschermde versie toont alleen de aantallen.";
                yield return "Kandidaat: de ondergrens van het relatief risico t.o.v. de gemeente ligt boven 1, en het minimum aantal signalen en bronnen van het profiel is gehaald. Hotspots: zeshoeken van 250 m met een Getis-Ord Gi*-hotspot op 95 % (Benjamini-Hochberg) waarvan het midden in het deelgebied ligt.";
                yield return $"Afscherming: buiten een casustafel worden aantallen onder {v.SuppressionK} niet getoond (als <{v.SuppressionK}) en andere aantallen afgerond op vijftallen; verhoudingen komen uit afgeronde aantallen; totalen die afgeschermde aantallen zouden verraden worden ook afgeschermd. {(v.Suppressed ? "Dit rapport is de afgeschermde versie." : "Dit rapport toont exacte aantallen: deel het niet buiten de partijen die daartoe gerechtigd zijn.")}";
                yield return "Geen persoonsgegevens: signalen beschrijven plaatsen en waarnemingen, nooit personen.";
            }
        }
    }
}
