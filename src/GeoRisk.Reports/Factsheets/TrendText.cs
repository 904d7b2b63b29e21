using System.Globalization;
using GeoRisk.Core.Localization;
using GeoRisk.Core.Scoring;

namespace GeoRisk.Reports.Factsheets;

/// <summary>
/// Wording of a relative-risk score for reports, the same as the web map's score-panel.js:
/// the trend as "▲ stijgend (×1,35, p = 0,001)" — rate ratio to two decimals, p to three,
/// "&lt; 0,001" below that.
/// </summary>
public static class TrendText
{
    // The service runs with invariant globalization (no ICU data): the two number styles are spelled out.
    private static readonly NumberFormatInfo Dutch = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "." };
    private static readonly NumberFormatInfo English = new() { NumberDecimalSeparator = ".", NumberGroupSeparator = "," };

    private static NumberFormatInfo Culture(string lang) => lang == "en" ? English : Dutch;

    public static string Format(ScoreTrend trend, string lang)
    {
        ArgumentNullException.ThrowIfNull(trend);
        var en = lang == "en";
        var word = trend.Direction switch
        {
            "up" => "▲ " + (en ? "rising" : "stijgend"),
            "down" => "▼ " + (en ? "falling" : "dalend"),
            _ => "▶ " + (en ? "no significant change" : "geen significante verandering"),
        };
        if (trend.RateRatio is not double ratio || trend.PValue is not double p)
            return $"{word} ({(en ? "no comparison possible" : "geen vergelijking mogelijk")})";
        var c = Culture(lang);
        var pText = p < 0.001 ? "< " + 0.001.ToString("N3", c) : "= " + p.ToString("N3", c);
        return $"{word} (×{ratio.ToString("N2", c)}, p {pText})";
    }

    public static string RelativeRisk(RiskScore score, string lang)
    {
        ArgumentNullException.ThrowIfNull(score);
        var c = Culture(lang);
        var rr = score.RelativeRisk;
        return lang == "en"
            ? $"RR {rr.Mean.ToString("N2", c)} ({(100 * rr.Level).ToString("N0", c)}%: {rr.Lower.ToString("N2", c)} – {rr.Upper.ToString("N2", c)}); 50 = regional level"
            : $"RR {rr.Mean.ToString("N2", c)} ({(100 * rr.Level).ToString("N0", c)}%: {rr.Lower.ToString("N2", c)} – {rr.Upper.ToString("N2", c)}); 50 = regionaal niveau";
    }

    public static string ObservedExpected(RiskScore score, string lang)
    {
        ArgumentNullException.ThrowIfNull(score);
        var c = Culture(lang);
        return lang == "en"
            ? $"observed {score.Observed.ToString("N1", c)}, expected {score.Expected.ToString("N1", c)}"
            : $"waargenomen {score.Observed.ToString("N1", c)}, verwacht {score.Expected.ToString("N1", c)}";
    }

    /// <summary>
    /// What a score is: the profile's stored score, or a live score of a category selection or
    /// window, with the categories (their labels when given, else codes), the window and its dates.
    /// The factsheet prints it under the score and the ranking CSV has it as column basis_text.
    /// </summary>
    public static string Basis(RiskScore score, string lang, IReadOnlyDictionary<string, string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(score);
        var en = lang == "en";
        var profile = $"{score.Profile} v{score.Version.ToString(CultureInfo.InvariantCulture)}";
        if (score.Basis != RiskScore.Live)
            return en ? $"Stored score of profile {profile} (reference date {Formats.Date(score.ReferenceDate, lang)})"
                : $"Opgeslagen score van profiel {profile} (peildatum {Formats.Date(score.ReferenceDate, lang)})";
        var categories = score.Categories is { Count: > 0 } list
            ? string.Join(", ", list.Select(c => labels is not null && labels.TryGetValue(c, out var l) ? l : c))
            : en ? "every category of the profile" : "alle categorieën van het profiel";
        var days = score.Window.Days.ToString(CultureInfo.InvariantCulture);
        var period = $"{Formats.Date(score.ReferenceDate.AddDays(1 - score.Window.Days), lang)} – {Formats.Date(score.ReferenceDate, lang)}";
        return en
            ? $"Live score for categories {categories}, window {days} days ({period}); the stored score is the profile's ({profile})"
            : $"Live berekend voor categorieën {categories}, venster {days} dagen ({period}); de opgeslagen score is die van het profiel ({profile})";
    }

    /// <summary>Each kandidaat threshold with its actual and required value, marked ✔ or ✘.</summary>
    public static IReadOnlyList<string> Reasons(RiskScore score, string lang)
    {
        ArgumentNullException.ThrowIfNull(score);
        var c = Culture(lang);
        var en = lang == "en";
        return score.Reasons.Select(r =>
        {
            var name = r.Threshold switch
            {
                "min_rr_lower" => en ? "lower bound of relative risk" : "ondergrens relatief risico",
                "min_signals" => en ? "number of signals" : "aantal signalen",
                "min_sources" => en ? "number of sources" : "aantal bronnen",
                _ => r.Threshold,
            };
            var actual = r.Actual is double a ? a.ToString("0.##", c) : "–";
            return $"{(r.Passed ? "✔" : "✘")} {name} {actual} (≥ {r.Required.ToString("0.##", c)})";
        }).ToList();
    }
}
