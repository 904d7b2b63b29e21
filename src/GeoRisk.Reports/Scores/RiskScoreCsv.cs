using System.Globalization;
using CsvHelper;
using GeoRisk.Core.Scoring;

namespace GeoRisk.Reports.Scores;

/// <summary>
/// Stored or live risk scores as CSV (UTF-8, comma, invariant numbers, ISO dates): the same
/// numbers as the API's RiskScore, one row per area, with the trend of the one definition
/// (rate ratio, p, direction) and the trend's wording as the panel and factsheet show it; the last
/// columns say what was counted (stored score of the profile, or a live selection of categories and window).
/// </summary>
public static class RiskScoreCsv
{
    public static IReadOnlyList<string> Columns { get; } =
    [
        "code", "name", "kind", "rank_in_kind", "of", "score", "relative_risk", "rr_lower", "rr_upper", "credible_level",
        "observed", "expected", "exposure", "exposure_unit", "signal_count", "source_count", "kandidaat",
        "trend_direction", "trend_rate_ratio", "trend_p_value", "trend_text", "basis", "profile", "version", "reference_date",
        "categories", "window_days", "window_from", "basis_text",
    ];

    public static async Task WriteAsync(TextWriter writer, IEnumerable<RiskScore> scores, string lang, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scores);
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var c in Columns) csv.WriteField(c);
        await csv.NextRecordAsync();
        foreach (var s in scores)
        {
            ct.ThrowIfCancellationRequested();
            csv.WriteField(s.Code);
            csv.WriteField(s.Name ?? "");
            csv.WriteField(s.Kind);
            csv.WriteField(s.Rank?.InKind.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(s.Rank?.Of.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(R(s.Score));
            csv.WriteField(R(s.RelativeRisk.Mean));
            csv.WriteField(R(s.RelativeRisk.Lower));
            csv.WriteField(R(s.RelativeRisk.Upper));
            csv.WriteField(R(s.RelativeRisk.Level));
            csv.WriteField(R(s.Observed));
            csv.WriteField(R(s.Expected));
            csv.WriteField(R(s.Expectation.Exposure));
            csv.WriteField(s.Expectation.Unit);
            csv.WriteField(s.SignalCount?.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(s.SourceCount?.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(s.Kandidaat ? "true" : "false");
            csv.WriteField(s.Trend.Direction);
            csv.WriteField(s.Trend.RateRatio is double r ? R(r) : "");
            csv.WriteField(s.Trend.PValue is double p ? R(p) : "");
            csv.WriteField(Factsheets.TrendText.Format(s.Trend, lang));
            csv.WriteField(s.Basis);
            csv.WriteField(s.Profile);
            csv.WriteField(s.Version);
            csv.WriteField(s.ReferenceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            // What was counted: a live score names its selection, so that a stored and a live file are never mixed up.
            csv.WriteField(s.Categories is null ? "" : string.Join(' ', s.Categories));
            csv.WriteField(s.Window.Days);
            csv.WriteField(s.ReferenceDate.AddDays(1 - s.Window.Days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            csv.WriteField(Factsheets.TrendText.Basis(s, lang));
            await csv.NextRecordAsync();
        }
        await csv.FlushAsync();
    }

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
