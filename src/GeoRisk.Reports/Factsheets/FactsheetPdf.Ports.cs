using System.Globalization;
using GeoRisk.Rendering;

namespace GeoRisk.Reports.Factsheets;

public static partial class FactsheetPdf
{
    /// <summary>
    /// The port page of a mainport: share of incidents, signals and weighted risk in view of a camera
    /// of the programme that was active at the time, cameras active at the end of the period and per
    /// month, incidents per kind, and the Gi* hot-spot cells mostly out of view.
    /// </summary>
    private static void PortsPage(CairoContext cr, FactsheetData d, PortFactsheetSection p)
    {
        var en = d.Lang == "en";
        var c = p.Coverage;
        var y = Margin;
        Text(cr, Margin, y + 9, $"GeoRisk · Factsheet · {d.CasustafelName} · {d.AreaName}", 9, rgb: "#154273");
        y += 34;
        Text(cr, Margin, y, en ? "Camera coverage" : "Cameradekking", 16, bold: true);
        y += 18;
        Text(cr, Margin, y, Fit(cr, $"{(en ? "Programme" : "Programma")} {p.Programme} · {(en ? "period" : "periode")} {c.From:yyyy-MM-dd} – {c.To.AddDays(-1):yyyy-MM-dd}", 8.5, ContentW), 8.5, rgb: "#555555");
        y += 22;

        Text(cr, Margin, y, (en ? "Cameras active at the end of the period: " : "Actieve camera's aan het eind van de periode: ") + p.ActiveCameras.ToString(CultureInfo.InvariantCulture), 10.5, bold: true);
        y += 20;

        double[] cols = [Margin, Margin + 190, Margin + 280, Margin + 370];
        void Row(string label, string total, string covered, string share, bool bold = false)
        {
            Text(cr, cols[0], y, Fit(cr, label, 9, 180), 9, bold);
            Text(cr, cols[1], y, total, 9, bold);
            Text(cr, cols[2], y, covered, 9, bold);
            Text(cr, cols[3], y, share, 9, bold);
            y += 13;
        }
        string N(long? v) => v is null ? "–" : LocalNumber(v.Value, 0, en);
        string Share(double? s) => s is null ? "–" : LocalNumber(100 * s.Value, 1, en) + " %";
        Row("", en ? "total" : "totaal", en ? "in view" : "in beeld", en ? "share" : "aandeel", bold: true);
        Row(en ? "Incidents" : "Incidenten", N(c.Incidents.Total), N(c.Incidents.Covered), Share(c.Incidents.Share));
        Row(en ? "Signals" : "Signalen", N(c.Signals.Total), N(c.Signals.Covered), Share(c.Signals.Share));
        Row(en ? "Risk (weighted signals)" : "Risico (gewogen signalen)", c.Risk.Total is { } rt ? LocalNumber(rt, 1, en) : "–",
            c.Risk.Covered is { } rc ? LocalNumber(rc, 1, en) : "–", Share(c.Risk.Share));
        y += 12;

        Text(cr, Margin, y, en ? "Incidents per kind" : "Incidenten per soort", 11, bold: true);
        y += 15;
        if (c.IncidentKinds.Count == 0)
        {
            Text(cr, Margin, y, en ? "No incidents of the programme in this period." : "Geen incidenten van het programma in deze periode.", 9);
            y += 13;
        }
        foreach (var k in c.IncidentKinds.OrderByDescending(k => k.Total ?? 0).Take(12))
            Row(k.Key is null ? "–" : GeoRisk.Core.Ports.IncidentKindNames.Label(k.Key, en), N(k.Total), N(k.Covered), Share(k.Share));
        y += 12;

        Text(cr, Margin, y, en ? "Active cameras per month" : "Actieve camera's per maand", 11, bold: true);
        y += 15;
        // Two columns of months: a year and a half fits beside each other.
        var half = (c.Monthly.Count + 1) / 2;
        for (var i = 0; i < half; i++)
        {
            void Month(int index, double x)
            {
                if (index >= c.Monthly.Count) return;
                var m = c.Monthly[index];
                Text(cr, x, y, $"{m.Month}: {m.ActiveCameras.ToString(CultureInfo.InvariantCulture)} · {(en ? "incidents in view" : "incidenten in beeld")} {Share(m.Incidents.Share)}", 8.5);
            }
            Month(i, Margin);
            Month(i + half, Margin + ContentW / 2);
            y += 11.5;
        }
        y += 12;

        Text(cr, Margin, y, (en ? "Hot-spot cells (Gi*) mostly out of view: " : "Hotspotcellen (Gi*) grotendeels buiten beeld: ") + p.UncoveredHotspots.Count.ToString(CultureInfo.InvariantCulture), 11, bold: true);
        y += 15;
        foreach (var h in p.UncoveredHotspots.Take(8))
        {
            if (y > PageH - 70) break;
            Text(cr, Margin, y, $"RD {h.X.ToString("F0", CultureInfo.InvariantCulture)}, {h.Y.ToString("F0", CultureInfo.InvariantCulture)} · {h.Class} · {N(h.Signals)} {(en ? "signals" : "signalen")} · {Share(h.CoveredShare)} {(en ? "in view" : "in beeld")}", 8.5);
            y += 11.5;
        }

        var footer = PageH - 50;
        foreach (var line in Wrap(cr, en
            ? $"In view: inside the view (clipped by buildings) of a camera of the programme that was active on that day; planned cameras never count. Hot-spot cells: {p.CellSizeM} m hexagons, Gi* 90 % or more, less than half of their signals in view. See docs/ports.md."
            : $"In beeld: binnen het zichtveld (begrensd door gebouwen) van een camera van het programma die die dag actief was; geplande camera's tellen nooit. Hotspotcellen: zeshoeken van {p.CellSizeM} m, Gi* 90 % of meer, minder dan de helft van hun signalen in beeld. Zie docs/ports.md.", 7.5, ContentW))
        {
            Text(cr, Margin, footer, line, 7.5, rgb: "#777777");
            footer += 9.5;
        }
    }
}
