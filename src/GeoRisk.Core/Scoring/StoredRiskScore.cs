namespace GeoRisk.Core.Scoring;

/// <summary>
/// The stored form of a profile's <see cref="RiskScore"/> (the score table's typed columns): only
/// the numbers the model computed for the area. Everything else of the record follows from the
/// profile (a stored version never changes), the area and the reference date, and is rebuilt by
/// <see cref="ToScore"/> with the model's own helpers, so a score read back is the record the run
/// computed, field by field. Storing the numbers instead of the ~4 kB JSON document per area took
/// serialising, parsing and compressing that document out of every run.
/// </summary>
public sealed record StoredRiskScore(
    double Score,
    double Observed,
    double Expected,
    double Mean,
    double Lower,
    double Upper,
    double Exposure,
    string Unit,
    double ReferenceRate,
    double PriorShape,
    int SignalCount,
    int SourceCount,
    double Corroboration,
    double[] ComponentObserved,
    double[] ComponentExpected,
    double PreviousRelativeRisk,
    double PreviousObserved,
    double PreviousExpected,
    int PreviousSignalCount,
    double? RateRatio,
    double? PValue,
    string Direction,
    bool Kandidaat)
{
    /// <summary>
    /// The numbers of a score the profile's run computed (basis stored, every category the profile
    /// weighs, counts not withheld); throws for any other score, which could not be rebuilt from them.
    /// </summary>
    public static StoredRiskScore Of(ScoringProfile profile, RiskScore score)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(score);
        var t = score.Trend;
        if (score.Basis != RiskScore.Stored || score.Categories is not null
            || score.SignalCount is not int signals || score.SourceCount is not int sources || t.PreviousSignalCount is not int previousSignals
            || t.SignalCount != signals || t.RelativeRisk != score.RelativeRisk.Mean || t.Observed != score.Observed || t.Expected != score.Expected
            || !score.Components.Select(c => c.Category).SequenceEqual(RelativeRiskModel.Counted(profile, null)))
            throw new ArgumentException($"the score of {score.Code} is not one a stored run of {profile.Name} v{profile.Version} computed", nameof(score));
        return new StoredRiskScore(
            score.Score, score.Observed, score.Expected,
            score.RelativeRisk.Mean, score.RelativeRisk.Lower, score.RelativeRisk.Upper,
            score.Expectation.Exposure, score.Expectation.Unit, score.Expectation.ReferenceRate, score.Expectation.PriorShape,
            signals, sources, score.Corroboration,
            score.Components.Select(c => c.Observed).ToArray(), score.Components.Select(c => c.Expected).ToArray(),
            t.PreviousRelativeRisk, t.PreviousObserved, t.PreviousExpected, previousSignals,
            t.RateRatio, t.PValue, t.Direction, score.Kandidaat);
    }

    /// <summary>The score as the run computed it (no rank: that depends on the other stored rows).</summary>
    public RiskScore ToScore(ScoringProfile profile, string code, string? name, string kind, DateOnly referenceDate)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var settings = profile.RelativeRisk
            ?? throw new ArgumentException($"profile {profile.Name} v{profile.Version} is not a relative-risk profile", nameof(profile));
        var counted = RelativeRiskModel.Counted(profile, null);
        if (ComponentObserved.Length != counted.Count || ComponentExpected.Length != counted.Count)
            throw new FormatException($"the stored score of {code} has {ComponentObserved.Length} components, {profile.Name} v{profile.Version} weighs {counted.Count} categories");
        var components = new List<ScoreComponent>(counted.Count);
        for (var i = 0; i < counted.Count; i++)
            components.Add(RelativeRiskModel.Component(counted[i], ComponentObserved[i], ComponentExpected[i], Observed));
        var reasons = RelativeRiskModel.Reasons(profile, settings, Lower, SignalCount, SourceCount);
        return new RiskScore(
            code, name, kind, profile.Name, profile.Version, referenceDate, RiskScore.Stored, null,
            ScoreWindow.For(referenceDate, (int)profile.WindowDays),
            Score,
            new ScoreRelativeRisk(Mean, Lower, Upper, settings.CredibleLevel),
            Observed, Expected,
            new ScoreExpectation(Exposure, Unit, ReferenceRate, settings.Reference, PriorShape),
            SignalCount, SourceCount, Corroboration,
            components,
            new ScoreTrend(Mean, PreviousRelativeRisk, Observed, PreviousObserved, Expected, PreviousExpected,
                SignalCount, PreviousSignalCount, RateRatio, PValue, settings.TrendAlpha, Direction),
            Kandidaat, reasons, null);
    }
}
