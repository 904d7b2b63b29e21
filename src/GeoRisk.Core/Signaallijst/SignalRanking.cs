using System.Globalization;

namespace GeoRisk.Core.Signaallijst;

/// <summary>The constants of the signal list's ranking; defaults documented in docs/webmap.md.</summary>
/// <param name="HalfLifeDays">Age at which a signal's recency factor is one half.</param>
/// <param name="CorroborationStep">Added to the corroboration factor per other partner nearby: 1 + step × partners.</param>
/// <param name="CorroborationRadiusM">"Nearby": other partners' signals within this distance (RD metres)...</param>
/// <param name="CorroborationDays">...and within this many days before or after the signal.</param>
/// <param name="CategoryWeights">Weight per category; a category not listed weighs <paramref name="DefaultWeight"/>.</param>
public sealed record RankingParameters(
    double HalfLifeDays,
    double CorroborationStep,
    double CorroborationRadiusM,
    double CorroborationDays,
    IReadOnlyDictionary<string, double> CategoryWeights,
    double DefaultWeight = 1.0)
{
    public static RankingParameters Default { get; } = new(180, 0.5, 250, 365, new Dictionary<string, double>());

    public double WeightOf(string category) =>
        CategoryWeights.TryGetValue(category, out var w) ? w : DefaultWeight;
}

/// <summary>A signal as the ranking sees it: only what the priority depends on.</summary>
/// <param name="CorroboratingPartners">Distinct other partners with a signal nearby (radius and days of the parameters).</param>
public sealed record SignalCandidate(
    long Id, string Category, string Source, DateTimeOffset ObservedAt, double Reliability, int CorroboratingPartners);

/// <summary>One row of the ranking with every factor of its priority, so the rank can be explained.</summary>
public sealed record RankedSignal(
    SignalCandidate Signal, int Rank, double Priority, double Weight, double Recency, double Corroboration, double AgeDays)
{
    /// <summary>Why the signal is at this rank, as the product of its factors (Dutch or English).</summary>
    public string Reason(string lang = "nl")
    {
        var en = lang == "en";
        // The service runs with invariant globalization: the Dutch decimal comma is set by hand.
        string F(double v)
        {
            var s = v.ToString("0.##", CultureInfo.InvariantCulture);
            return en ? s : s.Replace('.', ',');
        }
        var partners = Signal.CorroboratingPartners;
        return en
            ? $"weight {F(Weight)} × reliability {F(Signal.Reliability)} × recency {F(Recency)} ({F(Math.Round(AgeDays))} days old) × corroboration {F(Corroboration)} ({partners} other partner{(partners == 1 ? "" : "s")} nearby) = {F(Priority)}"
            : $"gewicht {F(Weight)} × betrouwbaarheid {F(Signal.Reliability)} × recentheid {F(Recency)} ({F(Math.Round(AgeDays))} dagen oud) × bevestiging {F(Corroboration)} ({partners} andere partner{(partners == 1 ? "" : "s")} in de buurt) = {F(Priority)}";
    }
}

/// <summary>
/// Ranks signals for a casustafel's signaallijst: priority = category weight × reliability ×
/// recency (2^(−age/half-life)) × corroboration (1 + step × other partners nearby). The same
/// factors as the area score (docs/scoring.md), applied to one signal. Ties are broken
/// by the newer signal, then the lower id, so the order is stable.
/// </summary>
public static class SignalRanking
{
    public static double Recency(double ageDays, double halfLifeDays) =>
        Math.Pow(2, -Math.Max(0, ageDays) / halfLifeDays);

    public static double Corroboration(int otherPartners, double step) => 1 + step * Math.Max(0, otherPartners);

    public static IReadOnlyList<RankedSignal> Rank(
        IEnumerable<SignalCandidate> signals, RankingParameters parameters, DateTimeOffset referenceTime)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.HalfLifeDays <= 0) throw new ArgumentOutOfRangeException(nameof(parameters), "half-life must be positive");
        var scored = signals.Select(s =>
        {
            var age = (referenceTime - s.ObservedAt).TotalDays;
            var weight = parameters.WeightOf(s.Category);
            var recency = Recency(age, parameters.HalfLifeDays);
            var corroboration = Corroboration(s.CorroboratingPartners, parameters.CorroborationStep);
            return (s, age, weight, recency, corroboration, priority: weight * s.Reliability * recency * corroboration);
        });
        return scored
            .OrderByDescending(x => x.priority)
            .ThenByDescending(x => x.s.ObservedAt)
            .ThenBy(x => x.s.Id)
            .Select((x, i) => new RankedSignal(x.s, i + 1, x.priority, x.weight, x.recency, x.corroboration, Math.Max(0, x.age)))
            .ToList();
    }
}
