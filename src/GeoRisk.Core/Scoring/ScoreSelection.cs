namespace GeoRisk.Core.Scoring;

/// <summary>
/// When a request asks for a live score instead of the profile's stored one: the rule shared by the
/// area score, the ranking and its CSV, and the factsheet, so that they never disagree about which
/// number they show for the same request (docs/scoring.md, "Filters").
/// </summary>
public static class ScoreSelection
{
    public const int MinWindowDays = 7;
    public const int MaxWindowDays = 3650;

    /// <summary>A category selection, or a window other than the profile's, is scored live.</summary>
    public static bool IsLive(ScoringProfile profile, IReadOnlyList<string>? categories, int? windowDays)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return categories is not null || (windowDays is int days && days != (int)profile.WindowDays);
    }

    /// <summary>Every category is one the profile weighs (a live score of an unweighed category would be empty by construction).</summary>
    public static bool Weighs(ScoringProfile profile, IReadOnlyList<string> categories)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(categories);
        return categories.Count > 0 && categories.All(c => profile.WeightOf(c) > 0);
    }
}
