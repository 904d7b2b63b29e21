using System.Globalization;
using CsvHelper;
using GeoRisk.Core.Scans;

namespace GeoRisk.Reports.Scans;

/// <summary>A scan and a comparison as CSV (UTF-8, comma, RFC 4180; invariant numbers). Columns in docs/wijkscan.md.</summary>
public static class ScanCsv
{
    public static async Task WriteScanAsync(TextWriter writer, ScanView view, CancellationToken ct)
    {
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        string[] head = ["rank", "code", "name", "signals", "sources", "denominator", "denominator_unit", "rate",
            "rr_parent", "rr_parent_low", "rr_parent_high", "rr_region", "rr_region_low", "rr_region_high",
            "kandidaat", "hotspot_cells", "no_data"];
        // The area score's observed quantity, for the model that uses it (empty for suppressed callers).
        var observed = view.Scan.Model == ScanModel.ScoreV2;
        foreach (var h in head) csv.WriteField(h);
        if (observed) foreach (var h in new[] { "observed", "observed_expected_parent", "observed_expected_region" }) csv.WriteField(h);
        foreach (var c in view.Categories) csv.WriteField("n_" + c);
        await csv.NextRecordAsync();
        foreach (var r in view.Rows)
        {
            ct.ThrowIfCancellationRequested();
            csv.WriteField(r.Rank);
            csv.WriteField(r.Code);
            csv.WriteField(r.Name);
            csv.WriteField(Count(r.SignalCount, view.SuppressionK));
            csv.WriteField(Count(r.SourceCount, view.SuppressionK));
            csv.WriteField(Num(r.Denominator));
            csv.WriteField(r.DenominatorUnit);
            foreach (var v in new[] { r.RatePerDenominator, r.RrParent, r.RrParentLow, r.RrParentHigh, r.RrRegion, r.RrRegionLow, r.RrRegionHigh })
                csv.WriteField(Num(v));
            csv.WriteField(r.Kandidaat ? "true" : "false");
            csv.WriteField(r.HotspotCells);
            csv.WriteField(r.NoData ? "true" : "false");
            if (observed)
                foreach (var v in new[] { r.Observed?.Observed, r.Observed?.ExpectedParent, r.Observed?.ExpectedRegion }) csv.WriteField(Num(v));
            foreach (var c in view.Categories) csv.WriteField(Count(r.Counts[c], view.SuppressionK));
            await csv.NextRecordAsync();
        }
        await csv.FlushAsync();
    }

    public static async Task WriteComparisonAsync(TextWriter writer, IReadOnlyList<ScanChange> changes, CancellationToken ct)
    {
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var h in new[] { "baseline_codes", "later_codes", "name", "boundary", "class", "baseline_signals", "baseline_expected",
                     "later_signals", "later_expected", "baseline_rr", "later_rr", "rr_ratio", "p", "p_adjusted" })
            csv.WriteField(h);
        await csv.NextRecordAsync();
        foreach (var c in changes)
        {
            ct.ThrowIfCancellationRequested();
            csv.WriteField(string.Join(' ', c.BaselineCodes));
            csv.WriteField(string.Join(' ', c.LaterCodes));
            csv.WriteField(c.Name);
            csv.WriteField(c.Match);
            csv.WriteField(c.Class);
            csv.WriteField(c.BaselineCount?.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(Num(c.BaselineExpected));
            csv.WriteField(c.LaterCount?.ToString(CultureInfo.InvariantCulture) ?? "");
            foreach (var v in new[] { c.LaterExpected, c.BaselineRr, c.LaterRr, c.RrRatio, c.P, c.PAdjusted }) csv.WriteField(Num(v));
            await csv.NextRecordAsync();
        }
        await csv.FlushAsync();
    }

    private static string Count(ShownCount c, int k) => c.Suppressed ? $"<{k}" : c.Value!.Value.ToString(CultureInfo.InvariantCulture);

    private static string Num(double? v) => v is null ? "" : v.Value.ToString("G10", CultureInfo.InvariantCulture);
}
