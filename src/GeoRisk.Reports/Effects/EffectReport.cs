using System.Globalization;
using System.Text;
using GeoRisk.Core.Effects;
using GeoRisk.Data.Interventions;

namespace GeoRisk.Reports.Effects;

/// <summary>How an analysis is set up; every field has a documented default.</summary>
/// <param name="BufferM">Width of the buffer ring; ignored when <paramref name="AcrossMainports"/>.</param>
/// <param name="AcrossMainports">The buffer is the other mainports: displacement between ports.</param>
/// <param name="ControlCodes">Control areas; empty: the best suggestion is used.</param>
/// <param name="AsOf">The data cut-off: windows end on or before this day.</param>
public sealed record EffectOptions(
    double BufferM = 250, bool AcrossMainports = false, IReadOnlyList<string>? ControlCodes = null, int WindowDays = 182,
    int WashoutDays = 0, IReadOnlyList<string>? Categories = null, DateOnly? AsOf = null)
{
    public const int MinWindowDays = 28;
    public const int MaxWindowDays = 730;
    public const int MaxWashoutDays = 365;
    public const int SeriesMonthsBefore = 24;
}

/// <summary>The windows an analysis compares: [from, to) each, equal lengths, Europe/Amsterdam days.</summary>
public sealed record EffectWindows(DateOnly BeforeFrom, DateOnly BeforeTo, DateOnly AfterFrom, DateOnly AfterTo, int Days, int WashoutDays, DateOnly AsOf);

/// <summary>One zone: its outline and size, its window counts per category and its monthly series.</summary>
public sealed record EffectZone(
    string Zone, double Km2, System.Text.Json.JsonElement? Geometry, long Before, long After,
    IReadOnlyDictionary<string, long[]> Categories, IReadOnlyList<MonthlyCount> Series, InterruptedTimeSeries? Its);

/// <summary>The whole answer for one intervention.</summary>
public sealed record EffectAnalysisReport(
    Intervention Intervention,
    EffectWindows Windows,
    bool AcrossMainports,
    double? BufferM,
    IReadOnlyList<string> ControlCodes,
    bool ControlSuggested,
    IReadOnlyList<SuggestedControl> Suggestions,
    IReadOnlyList<EffectZone> Zones,
    EffectResult Result,
    string VerdictNl,
    string VerdictEn,
    IReadOnlyList<string> Methods);

/// <summary>Why an analysis cannot be made (too early, no control); a 4xx for the caller.</summary>
public sealed class EffectAnalysisException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// Before/after with buffer and control for one intervention (Bowers &amp; Johnson 2003) plus an
/// interrupted time series per zone; PostgreSQL counts, <see cref="EffectAnalysis"/> judges.
/// </summary>
public sealed class EffectReport(InterventionStore store)
{
    public static EffectWindows WindowsFor(Intervention intervention, EffectOptions options)
    {
        var asOf = options.AsOf ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var afterFrom = intervention.StartDate.AddDays(options.WashoutDays);
        int days = Math.Min(options.WindowDays, asOf.DayNumber - afterFrom.DayNumber);
        if (days < EffectOptions.MinWindowDays)
            throw new EffectAnalysisException("too_early",
                $"The after-window needs at least {EffectOptions.MinWindowDays} days of data after the start (and washout); on {asOf:yyyy-MM-dd} there are {Math.Max(0, days)}.");
        return new EffectWindows(intervention.StartDate.AddDays(-days), intervention.StartDate, afterFrom, afterFrom.AddDays(days), days, options.WashoutDays, asOf);
    }

    public async Task<EffectAnalysisReport> AnalyseAsync(Intervention intervention, EffectOptions options, CancellationToken cancellationToken)
    {
        var windows = WindowsFor(intervention, options);
        double? bufferM = options.AcrossMainports ? null : options.BufferM;
        var startMonth = new DateOnly(intervention.StartDate.Year, intervention.StartDate.Month, 1);
        var seriesFrom = startMonth.AddMonths(-EffectOptions.SeriesMonthsBefore);
        // Only whole months enter the series: a month still running would look like a fall.
        var asOfMonth = new DateOnly(windows.AsOf.Year, windows.AsOf.Month, 1);
        var seriesTo = windows.AsOf == asOfMonth.AddMonths(1).AddDays(-1) ? asOfMonth.AddMonths(1) : asOfMonth;
        if (seriesTo <= seriesFrom) seriesTo = seriesFrom.AddMonths(1);

        // Suggestions cost a scan of every candidate's series: only when the caller named no control.
        // The candidates' series and the target's are independent queries: side by side (a
        // connection each), the suggestion waits for the slower instead of their sum.
        IReadOnlyList<SuggestedControl> ranked = [];
        if (options.ControlCodes is not { Count: > 0 })
        {
            var candidateSeries = store.ControlCandidatesAsync(intervention.Id, bufferM, seriesFrom, startMonth, options.Categories, cancellationToken);
            var targetSeries = TargetPreSeriesAsync(intervention, bufferM, seriesFrom, startMonth, options, cancellationToken);
            await Task.WhenAll(candidateSeries, targetSeries);
            var candidates = (await candidateSeries).Select(c => new ControlCandidate(c.Code, c.Name, c.Series)).ToList();
            ranked = ControlSuggestion.Rank(await targetSeries, candidates);
        }
        var controls = options.ControlCodes is { Count: > 0 } given ? given : ranked.Take(1).Select(s => s.Code).ToList();
        if (controls.Count == 0)
            throw new EffectAnalysisException("no_control",
                "No control area could be suggested (no comparable area with signals before the start); name one with 'control'.");

        var counts = await store.ZoneCountsAsync(new ZoneQuery(intervention.Id, bufferM, controls, windows.BeforeFrom, windows.AfterFrom,
            windows.Days, seriesFrom, seriesTo, options.Categories), cancellationToken);
        var zones = BuildZones(counts, seriesFrom, seriesTo, startMonth);
        long Before(string zone) => zones.FirstOrDefault(z => z.Zone == zone)?.Before ?? 0;
        long After(string zone) => zones.FirstOrDefault(z => z.Zone == zone)?.After ?? 0;
        var result = EffectAnalysis.Analyse(new EffectCounts(Before("target"), After("target"), Before("buffer"), After("buffer"), Before("control"), After("control")));
        return new EffectAnalysisReport(intervention, windows, options.AcrossMainports, bufferM, controls, options.ControlCodes is not { Count: > 0 },
            ranked, zones, result, VerdictText.Dutch(result), VerdictText.English(result), Methods);
    }

    private async Task<long[]> TargetPreSeriesAsync(Intervention intervention, double? bufferM, DateOnly from, DateOnly to, EffectOptions options, CancellationToken cancellationToken)
    {
        var pre = await store.ZoneCountsAsync(new ZoneQuery(intervention.Id, bufferM, [], from, from, 1, from, to, options.Categories), cancellationToken);
        var months = MonthsOf(from, to);
        var byMonth = pre.Series.Where(s => s.Zone == "target").ToDictionary(s => s.Month, s => s.Count);
        return months.Select(m => byMonth.GetValueOrDefault(m)).ToArray();
    }

    private static List<EffectZone> BuildZones(ZoneCounts counts, DateOnly seriesFrom, DateOnly seriesTo, DateOnly startMonth)
    {
        var months = MonthsOf(seriesFrom, seriesTo);
        var zones = new List<EffectZone>();
        foreach (var shape in counts.Zones)
        {
            var windows = counts.Windows.Where(w => w.Zone == shape.Zone).ToList();
            var byMonth = counts.Series.Where(s => s.Zone == shape.Zone).ToDictionary(s => s.Month, s => s.Count);
            var series = months.Select(m => new MonthlyCount(m, byMonth.GetValueOrDefault(m))).ToList();
            zones.Add(new EffectZone(shape.Zone, shape.Km2, shape.Geometry, windows.Sum(w => w.Before), windows.Sum(w => w.After),
                windows.OrderBy(w => w.Category, StringComparer.Ordinal).ToDictionary(w => w.Category, w => new[] { w.Before, w.After }),
                series, InterruptedTimeSeriesModel.Fit(series, startMonth)));
        }
        return zones;
    }

    private static List<DateOnly> MonthsOf(DateOnly from, DateOnly to)
    {
        var months = new List<DateOnly>();
        for (var m = from; m < to; m = m.AddMonths(1)) months.Add(m);
        return months;
    }

    /// <summary>The casustafel's interventions targeting this area, each analysed with the defaults as of today (for the factsheet).</summary>
    public Task<IReadOnlyList<InterventionSummary>> SummariesAsync(string casustafelId, string areaCode, string lang, CancellationToken cancellationToken) =>
        SummariesAsync(casustafelId, areaCode, lang, DateOnly.FromDateTime(DateTime.UtcNow), cancellationToken);

    /// <summary>
    /// The casustafel's interventions targeting this area, each analysed with the defaults and the data
    /// cut-off <paramref name="asOf"/>, reduced to what the factsheet prints (<see cref="ForFactsheet"/>).
    /// </summary>
    public async Task<IReadOnlyList<InterventionSummary>> SummariesAsync(string casustafelId, string areaCode, string lang, DateOnly asOf, CancellationToken cancellationToken)
    {
        var kinds = (await store.KindsAsync(cancellationToken)).ToDictionary(k => k.Code, k => lang == "en" ? k.LabelEn : k.LabelNl);
        var summaries = new List<InterventionSummary>();
        foreach (var i in (await store.ListAsync(Core.Access.CallerScope.Unrestricted, casustafelId, cancellationToken)).Where(i => i.AreaCode == areaCode).Take(4))
        {
            var kind = kinds.GetValueOrDefault(i.Kind, i.Kind);
            try
            {
                summaries.Add(new InterventionSummary(i.Name, kind, i.StartDate, i.EndDate,
                    ForFactsheet(await AnalyseAsync(i, new EffectOptions(AsOf: asOf), cancellationToken)), null));
            }
            catch (EffectAnalysisException e)
            {
                summaries.Add(new InterventionSummary(i.Name, kind, i.StartDate, i.EndDate, null,
                    e.Code == "too_early" ? (lang == "en" ? "Too early to judge: too little time since the start." : "Nog te vroeg om te beoordelen: te kort na de start.")
                        : (lang == "en" ? "No control area available." : "Geen controlegebied beschikbaar.")));
            }
        }
        return summaries;
    }

    /// <summary>
    /// An analysis without what the factsheet does not print: the zones' outlines and series, the
    /// ranked suggestions, the intervention's drawn target, description and author. What is left
    /// is aggregates (counts, windows, verdict, control codes) and may be kept in a cache.
    /// </summary>
    public static EffectAnalysisReport ForFactsheet(EffectAnalysisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report with
        {
            Intervention = report.Intervention with { Description = "", CreatedBy = "", Target = default },
            Suggestions = [],
            Zones = [],
        };
    }

    public static IReadOnlyList<string> Methods { get; } =
    [
        "Success measure, buffer displacement measure, Weighted Displacement Quotient and total net effect: Bowers & Johnson (2003), each against the control area.",
        "After/before rate ratio per zone: exact conditional Poisson interval (Clopper–Pearson) and exact two-sided test, as R's poisson.test.",
        "Target and buffer against control: ratio of rate ratios with a log-normal (Wald) 95 % interval; ½ added to every count when one is 0.",
        "WDQ and total net effect intervals: parametric Poisson bootstrap, 2,000 replicates, fixed seed, 2.5th–97.5th percentile.",
        "Interrupted time series per zone: segmented quasi-Poisson regression of monthly counts (level and trend change; a 12-month harmonic from 24 months on).",
        "Verdict: a change counts only when its 95 % interval against the control excludes 1; fewer than 20 target signals or 5 control signals in a window: too few to judge.",
    ];

    /// <summary>The series of every zone as CSV: month, zone, count (one row per month and zone).</summary>
    public static string SeriesCsv(EffectAnalysisReport report)
    {
        var csv = new StringBuilder("month,zone,count,intervention_start\n");
        foreach (var zone in report.Zones)
            foreach (var month in zone.Series)
                csv.Append(CultureInfo.InvariantCulture, $"{month.Month:yyyy-MM},{zone.Zone},{month.Count},{report.Intervention.StartDate:yyyy-MM-dd}\n");
        return csv.ToString();
    }
}

/// <summary>One intervention on a factsheet: its analysis with the defaults, or why there is none yet.</summary>
public sealed record InterventionSummary(string Name, string KindLabel, DateOnly StartDate, DateOnly? EndDate, EffectAnalysisReport? Report, string? NotAnalysed);

/// <summary>The verdict in plain language, Dutch and English; the rules are in <see cref="EffectAnalysis"/>.</summary>
public static class VerdictText
{
    public static string Dutch(EffectResult r) => r.Verdict switch
    {
        "too_few_signals" => "Te weinig signalen om te beoordelen.",
        "displacement_exceeds_decrease" => "Daling in het doelgebied, maar de verplaatsing naar de buffer is groter dan de daling (WDQ < −1).",
        "decrease_with_displacement" => "Daling in het doelgebied, met significante verplaatsing naar de buffer (waterbedeffect).",
        "decrease_with_diffusion" => "Daling in het doelgebied, en ook in de buffer (uitstraling van het effect).",
        "decrease_no_displacement" => "Daling in het doelgebied, geen significante verplaatsing naar de buffer.",
        "increase_in_target" => "Stijging in het doelgebied ten opzichte van het controlegebied.",
        "buffer_increase_without_decrease" => "Geen significante daling in het doelgebied; wel een stijging in de buffer.",
        _ => "Geen significante verandering ten opzichte van het controlegebied.",
    };

    public static string English(EffectResult r) => r.Verdict switch
    {
        "too_few_signals" => "Too few signals to judge.",
        "displacement_exceeds_decrease" => "Decrease in the target area, but displacement to the buffer is larger than the decrease (WDQ < −1).",
        "decrease_with_displacement" => "Decrease in the target area, with significant displacement to the buffer.",
        "decrease_with_diffusion" => "Decrease in the target area and in the buffer (diffusion of benefits).",
        "decrease_no_displacement" => "Decrease in the target area, no significant displacement to the buffer.",
        "increase_in_target" => "Increase in the target area relative to the control area.",
        "buffer_increase_without_decrease" => "No significant decrease in the target area; an increase in the buffer.",
        _ => "No significant change relative to the control area.",
    };
}
