using GeoRisk.Core.Access;
using GeoRisk.Core.Scoring;
using Npgsql;

namespace GeoRisk.Data.Scoring;

public sealed partial class ScoreStore
{
    /// <summary>
    /// Live relative-risk scores of a selection (categories, window) as the area score, the ranking,
    /// its CSV and the factsheet give them: computed over every area valid on the date, ranked in
    /// their kind, then narrowed to <paramref name="kind"/> / <paramref name="code"/> and to the areas
    /// the caller may see, counts published with the cell-key method for a suppressed caller; best first.
    /// </summary>
    public async Task<IReadOnlyList<RiskScore>> LiveScoresAsync(
        ScoringProfile profile, DateOnly referenceDate, int? windowDays, IReadOnlyList<string>? categories,
        string? kind, string? code, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var visible = await VisibleAreasAsync(referenceDate, scope, cancellationToken);
        var (computed, keys) = await ComputeWithKeysAsync(profile, referenceDate, windowDays, categories, cancellationToken);
        var ranked = RelativeRiskModel.WithRanks(computed);
        return ranked
            .Where(s => (kind is null || s.Kind == kind) && (code is null || s.Code == code) && (visible is null || visible.Contains(s.Code)))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Code, StringComparer.Ordinal)
            // The selection's own key sums: another selection counts another set and gets other noise.
            .Select(s => scope.Suppressed ? s.Suppressed(scope.SuppressionK, keys[s.Code]) : s)
            .ToList();
    }

    /// <summary>Codes of the areas within the caller's reach on the date; null = every area.</summary>
    private async Task<HashSet<string>?> VisibleAreasAsync(DateOnly date, CallerScope scope, CancellationToken cancellationToken)
    {
        if (scope.SqlScope is null) return null;
        await using var command = dataSource.CreateCommand(Sql("Scores.reach.sql"));
        command.Parameters.Add(Date(date));
        command.Parameters.Add(Scope(scope));
        var codes = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) codes.Add(reader.GetString(0));
        return codes;
    }
}
