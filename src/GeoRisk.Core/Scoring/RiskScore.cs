namespace GeoRisk.Core.Scoring;

/// <summary>
/// The scoring window: signals observed in [From, To) count now, those in [PreviousFrom, From)
/// are the previous window of the trend. Boundaries are midnights in Europe/Amsterdam.
/// </summary>
public sealed record ScoreWindow(DateTimeOffset From, DateTimeOffset To, DateTimeOffset PreviousFrom)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>The <paramref name="days"/> calendar days up to and including <paramref name="referenceDate"/>, and the same number of days before.</summary>
    public static ScoreWindow For(DateOnly referenceDate, int days) => new(
        Midnight(referenceDate.AddDays(1 - days)), Midnight(referenceDate.AddDays(1)), Midnight(referenceDate.AddDays(1 - 2 * days)));

    public int Days => (int)Math.Round((To - From).TotalDays);

    private static DateTimeOffset Midnight(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Amsterdam.GetUtcOffset(local)).ToUniversalTime();
    }
}

/// <summary>The posterior relative risk: mean and equal-tailed credible interval at <paramref name="Level"/>.</summary>
public sealed record ScoreRelativeRisk(double Mean, double Lower, double Upper, double Level);

/// <summary>
/// What an area's score is measured against: <paramref name="Exposure"/> units (adressen, bedrijven,
/// inwoners, or km² when the area has no exposure) times the reference rate per unit gives Expected.
/// </summary>
public sealed record ScoreExpectation(double Exposure, string Unit, double ReferenceRate, string Reference, double PriorShape);

/// <summary>One category's part: Observed values of all categories add up to the area's Observed.</summary>
/// <param name="Share">Observed / the area's Observed (0 when it observed nothing).</param>
/// <param name="RelativeRisk">Observed / Expected of this category alone; null when nothing was expected.</param>
public sealed record ScoreComponent(string Category, double Observed, double Share, double Expected, double? RelativeRisk);

/// <summary>
/// The trend: posterior RR now and in the previous window (each against its own window's
/// reference), and the rate-ratio test of the raw ratios; Direction is up/down only when
/// p &lt; Alpha. Counts are null when withheld from a suppressed caller.
/// </summary>
public sealed record ScoreTrend(
    double RelativeRisk,
    double PreviousRelativeRisk,
    double Observed,
    double PreviousObserved,
    double Expected,
    double PreviousExpected,
    int? SignalCount,
    int? PreviousSignalCount,
    double? RateRatio,
    double? PValue,
    double Alpha,
    string Direction);

/// <summary>One threshold of the kandidaat flag: required, actual (null when withheld) and whether it passed.</summary>
public sealed record ScoreReason(string Threshold, double Required, double? Actual, bool Passed);

/// <summary>The area's place among the scored areas of its kind: context, never the score itself.</summary>
/// <param name="Percentile">100 · (areas of the kind with a lower score) / (Of − 1); null when the area is alone in its kind.</param>
public sealed record ScoreRank(int InKind, int Of, double? Percentile);

/// <summary>
/// One area's risk score under the relative-risk model (profile model "relative-risk"):
/// the single record that the score store writes and reads, the endpoints and the OpenAPI
/// document expose, and the factsheet, CSV and web map read. docs/scoring.md explains each part.
/// </summary>
/// <param name="Basis">"stored": the profile's stored run; "live": computed for this request's categories or window.</param>
/// <param name="Categories">The categories counted; null = every category the profile weighs.</param>
/// <param name="Score">0-100 from the posterior mean RR by <see cref="ScoreScale"/> (50 = the reference rate).</param>
/// <param name="Observed">O: Σ weight · reliability · decay, times corroboration.</param>
/// <param name="Expected">E: reference rate × exposure.</param>
public sealed record RiskScore(
    string Code,
    string? Name,
    string Kind,
    string Profile,
    int Version,
    DateOnly ReferenceDate,
    string Basis,
    IReadOnlyList<string>? Categories,
    ScoreWindow Window,
    double Score,
    ScoreRelativeRisk RelativeRisk,
    double Observed,
    double Expected,
    ScoreExpectation Expectation,
    int? SignalCount,
    int? SourceCount,
    double Corroboration,
    IReadOnlyList<ScoreComponent> Components,
    ScoreTrend Trend,
    bool Kandidaat,
    IReadOnlyList<ScoreReason> Reasons,
    ScoreRank? Rank)
{
    public const string Stored = "stored";
    public const string Live = "live";

    /// <summary>
    /// The same score as a caller who may not see counts below k sees it: every count published
    /// by the cell-key method (<see cref="GeoRisk.Core.Access.Suppression.Publish"/>) with the key
    /// sums of exactly the signals and partners it counts, and the split per category not given.
    /// Two requests that overlap (another category selection, window or area) count different
    /// sets, get independent noise, and cannot be subtracted to reveal the difference.
    /// </summary>
    public RiskScore Suppressed(int k, ScoreCellKeys keys)
    {
        int? Publish(int? n, long keySum) =>
            n is int v ? (int?)GeoRisk.Core.Access.Suppression.Publish(v, keySum, k).Value : null;
        var now = Publish(SignalCount, keys.Signals);
        return this with
        {
            SignalCount = now,
            SourceCount = now is null ? null : Publish(SourceCount, keys.Sources),
            Components = [],
            Trend = Trend with
            {
                SignalCount = Publish(Trend.SignalCount, keys.Signals),
                PreviousSignalCount = Publish(Trend.PreviousSignalCount, keys.PreviousSignals),
            },
            Reasons = Reasons.Select(r => r.Threshold is "min_signals" or "min_sources" ? r with { Actual = null } : r).ToList(),
        };
    }
}

/// <summary>
/// Key sums (sums of record keys, docs/access.md "Suppression") of what a score counts: the
/// window's signals, its distinct source partners and the previous window's signals. Kept beside
/// the score (score.key_sum, source_key_sum, previous_key_sum), never part of its JSON.
/// </summary>
public readonly record struct ScoreCellKeys(long Signals, long Sources, long PreviousSignals);

/// <summary>The one JSON shape of <see cref="RiskScore"/>: snake_case, as the API writes it and the score table stores it.</summary>
public static class RiskScoreJson
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
    };

    public static string Serialize(RiskScore score) => System.Text.Json.JsonSerializer.Serialize(score, Options);

    public static RiskScore Deserialize(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<RiskScore>(json, Options) ?? throw new FormatException("not a risk score");
}
