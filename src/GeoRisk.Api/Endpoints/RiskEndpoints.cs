using System.Globalization;
using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Hexagons;
using GeoRisk.Core.Scoring;
using GeoRisk.Data.Scoring;
using Npgsql;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// Risk scores of handhavingsknelpunten, aggregation per area and Gi* hot spots
/// (docs/scoring.md). Every read takes the caller's scope; a scoped caller cannot start a run,
/// because percentiles compare all areas of a kind.
/// </summary>
public static class RiskEndpoints
{
    private const string GeoJson = "application/geo+json";
    private const string Json = "application/json";
    /// <summary>Gi* over more cells than this is refused with a 400 that names a coarser size.</summary>
    private const int MaxHotspotCells = HexGrid.MaxHotspotCells;

    public static IEndpointRouteBuilder MapRiskEndpoints(this IEndpointRouteBuilder app)
    {
        var scores = app.MapGroup("/api/scores").WithTags("Risk scores").RequireAuthorization(AccessPolicies.Viewer);
        scores.MapPost("/run", RunScores).RequireAuthorization(AccessPolicies.Analyst).WithSummary("Compute and store the scores of all areas (or one kind) for a reference date under a scoring profile");
        scores.MapGet("/", GetRanking).WithSummary("Ranking of a stored score run (latest unless date/version given); format=csv for CSV");

        var areas = app.MapGroup("/api/areas").WithTags("Risk scores").RequireAuthorization(AccessPolicies.Viewer);
        areas.MapGet("/{code}/score", GetAreaScore).WithSummary("An area's score: relative risk with interval, components, trend, kandidaat flag with reasons; live for a category selection or window");
        areas.MapGet("/{code}/score/verify", VerifyAreaScore).RequireAuthorization(AccessPolicies.Analyst).WithSummary("Recompute the stored score run of an area and compare it with what is stored");
        areas.MapGet("/{code}/stats", GetStats).WithSummary("Signals per category and month with rates, against the previous period of equal length");
        areas.MapGet("/{code}/hotspots", GetHotspots).WithSummary("Getis-Ord Gi* per hexagon cell (z, p, FDR-corrected class) as GeoJSON");
        return app;
    }

    /// <summary>Body of POST /api/scores/run; every field optional.</summary>
    public sealed record ScoreRunRequest(string? Profile, int? Version, string? ReferenceDate, string? Kind);

    internal static async Task<Results<Ok<ScoreRunResult>, ProblemHttpResult>> RunScores(
        HttpContext httpContext, NpgsqlDataSource dataSource, ScoreRunRequest? request, CancellationToken cancellationToken)
    {
        if (httpContext.GetCallerScope().Casustafels is not null)
            return TypedResults.Problem(title: "Forbidden", statusCode: StatusCodes.Status403Forbidden,
                detail: "A score run compares every area of a kind; it can only be started by a caller without a casustafel scope.");
        var store = new ScoreStore(dataSource);
        var profile = request?.Profile ?? ScoringProfile.DefaultName;
        var version = await store.ResolveProfileAsync(profile, request?.Version, cancellationToken);
        if (version is null)
            return Problems.BadRequest("Unknown scoring profile",
                $"There is no scoring profile of that name{(request?.Version is not null ? " and version" : "")}; GET /api/profiles lists them.");
        DateOnly date = Today();
        if (request?.ReferenceDate is not null && !TryParseDate(request.ReferenceDate, out date))
            return Problems.BadRequest("Invalid reference date", "'reference_date' must be a date as yyyy-MM-dd between 2000-01-01 and 2100-12-31.");
        if (request?.Kind is not null && !await store.KindExistsAsync(request.Kind, cancellationToken))
            return Problems.BadRequest("Unknown area kind", "'kind' must be one of the codes of GET /api/area-kinds.");
        return TypedResults.Ok(await store.RunAsync(profile, version.Value, date, request?.Kind, cancellationToken));
    }

    /// <summary>A stored run of a relative-risk profile: every area's <see cref="RiskScore"/>, best first.</summary>
    public sealed record ScoreRanking(string Profile, int Version, DateOnly ReferenceDate, string? Kind, IReadOnlyList<RiskScore> Areas);

    internal static async Task<Results<Ok<ScoreRanking>, ContentHttpResult, ProblemHttpResult>> GetRanking(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string? kind, string? date, string? profile, int? version,
        string? format, string? lang, CancellationToken cancellationToken)
    {
        var store = new ScoreStore(dataSource);
        if (format is not (null or "json" or "csv"))
            return Problems.BadRequest("Invalid format", "Parameter 'format' must be 'json' or 'csv'.");
        if (lang is not (null or "nl" or "en"))
            return Problems.BadRequest("Invalid language", "Parameter 'lang' must be 'nl' or 'en'.");
        if (kind is not null && !await store.KindExistsAsync(kind, cancellationToken))
            return Problems.BadRequest("Unknown area kind", "Parameter 'kind' must be one of the codes of GET /api/area-kinds.");
        DateOnly? referenceDate = null;
        if (date is not null)
        {
            if (!TryParseDate(date, out var parsed)) return Problems.BadRequest("Invalid date", "Parameter 'date' must be a date as yyyy-MM-dd.");
            referenceDate = parsed;
        }
        var name = profile ?? ScoringProfile.DefaultName;
        if (await ResolveAsync(store, name, version, cancellationToken) is not { } resolved)
            return UnknownProfile(name, version);
        if (resolved.RelativeRisk is not null)
        {
            var scope = httpContext.GetCallerScope();
            var scores = await store.StoredScoresAsync(resolved, referenceDate, kind, null, scope, cancellationToken);
            await audit.WriteAsync(httpContext, new AuditRead(scores.Count));
            // A scoped caller may see none of a stored run's areas: an empty ranking, not "no run".
            var run = scores.Count > 0 || scope.Casustafels is null ? scores
                : await store.StoredScoresAsync(resolved, referenceDate, kind, null, GeoRisk.Core.Access.CallerScope.Unrestricted, cancellationToken);
            if (run.Count == 0) return Problems.NotFound("No stored score run matches; start one with POST /api/scores/run.");
            if (scores.Count == 0) return TypedResults.Ok(new ScoreRanking(resolved.Name, resolved.Version, run[0].ReferenceDate, kind, scores));
            if (format == "csv")
            {
                await using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
                await GeoRisk.Reports.Scores.RiskScoreCsv.WriteAsync(writer, scores, lang ?? "nl", cancellationToken);
                return TypedResults.Text(writer.ToString(), "text/csv", System.Text.Encoding.UTF8);
            }
            return TypedResults.Ok(new ScoreRanking(resolved.Name, resolved.Version, scores[0].ReferenceDate, kind, scores));
        }
        if (format == "csv")
            return Problems.BadRequest("Not available for this profile", $"Profile '{resolved.Name}' version {resolved.Version} is a percentile profile: CSV is offered for relative-risk profiles.");
        var json = await store.RankingAsync(name, resolved.Version, referenceDate, kind, httpContext.GetCallerScope(), cancellationToken);
        await audit.WriteAsync(httpContext, new AuditRead(json is null ? 0 : ArrayLength(json, "areas")));
        return json is null
            ? Problems.NotFound("No stored score run matches; start one with POST /api/scores/run.")
            : TypedResults.Text(json, Json);
    }

    /// <summary>
    /// An area's score. Under a relative-risk profile: the stored score, or with <c>categories</c>
    /// (comma-separated) or <c>window_days</c> a live score of that selection (basis "live").
    /// A version-1 profile answers its stored percentile score as before.
    /// </summary>
    internal static async Task<Results<Ok<RiskScore>, ContentHttpResult, ProblemHttpResult>> GetAreaScore(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string code, string? date, string? profile, int? version,
        string? categories, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "window_days")] int? windowDays, CancellationToken cancellationToken)
    {
        DateOnly? referenceDate = null;
        if (date is not null)
        {
            if (!TryParseDate(date, out var parsed)) return Problems.BadRequest("Invalid date", "Parameter 'date' must be a date as yyyy-MM-dd.");
            referenceDate = parsed;
        }
        var store = new ScoreStore(dataSource);
        var name = profile ?? ScoringProfile.DefaultName;
        if (await ResolveAsync(store, name, version, cancellationToken) is not { } resolved)
            return UnknownProfile(name, version);
        var scope = httpContext.GetCallerScope();
        if (resolved.RelativeRisk is null)
        {
            if (categories is not null || windowDays is not null)
                return Problems.BadRequest("Not available for this profile",
                    $"Profile '{resolved.Name}' version {resolved.Version} is a percentile profile: it has no live scores for 'categories' or 'window_days'.");
            var json = await store.AreaScoreAsync(code, name, resolved.Version, referenceDate, scope, cancellationToken);
            await audit.WriteAsync(httpContext, AuditRead.ForArea(AuditArea(code), json is null ? 0 : 1));
            return json is null
                ? Problems.NotFound("No stored score for that area (unknown area, or no score run yet).")
                : TypedResults.Text(json, Json);
        }
        List<string>? selection = null;
        if (categories is not null)
        {
            selection = categories.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
            var unknown = selection.FirstOrDefault(c => resolved.WeightOf(c) <= 0);
            if (selection.Count == 0 || unknown is not null)
                return Problems.BadRequest("Invalid categories",
                    $"Parameter 'categories' must list category codes that profile '{resolved.Name}' v{resolved.Version} weighs{(unknown is null ? "" : "; at least one of them is not")}.");
        }
        if (windowDays is < 7 or > 3650)
            return Problems.BadRequest("Invalid window", "Parameter 'window_days' must be between 7 and 3650.");
        RiskScore? score;
        if (selection is null && (windowDays is null || windowDays == (int)resolved.WindowDays))
        {
            var stored = await store.StoredScoresAsync(resolved, referenceDate, null, code, scope, cancellationToken);
            score = stored.Count > 0 ? stored[0] : null;
        }
        else
        {
            // A live score of the selection, for an area the caller may see; the model needs every area.
            score = null;
            if (await new AreaAnalysisStore(dataSource).AreaKm2Async(code, scope, cancellationToken) is not null)
            {
                var (scores, keys) = await store.ComputeWithKeysAsync(resolved, referenceDate ?? Today(), windowDays, selection, cancellationToken);
                score = RelativeRiskModel.WithRanks(scores).FirstOrDefault(s => s.Code == code);
                // The selection's own key sums: another selection counts another set, gets other noise.
                if (score is not null && scope.Suppressed) score = score.Suppressed(scope.SuppressionK, keys[code]);
            }
        }
        await audit.WriteAsync(httpContext, AuditRead.ForArea(AuditArea(code), score is null ? 0 : 1));
        return score is null
            ? Problems.NotFound("No score for that area (unknown area, or no score run yet).")
            : TypedResults.Ok(score);
    }

    private static async Task<ScoringProfile?> ResolveAsync(ScoreStore store, string name, int? version, CancellationToken cancellationToken) =>
        await store.ResolveProfileAsync(name, version, cancellationToken) is int v ? await store.ProfileAsync(name, v, cancellationToken) : null;

    private static ProblemHttpResult UnknownProfile(string name, int? version) =>
        Problems.NotFound($"There is no scoring profile of that name{(version is not null ? " and version" : "")}; GET /api/profiles lists them.");

    internal static async Task<Results<Ok<ScoreVerification>, ProblemHttpResult>> VerifyAreaScore(
        HttpContext httpContext, NpgsqlDataSource dataSource, string code, string? date, string? profile, int? version, CancellationToken cancellationToken)
    {
        DateOnly? referenceDate = null;
        if (date is not null)
        {
            if (!TryParseDate(date, out var parsed)) return Problems.BadRequest("Invalid date", "Parameter 'date' must be a date as yyyy-MM-dd.");
            referenceDate = parsed;
        }
        var store = new ScoreStore(dataSource);
        var run = await store.StoredRunOfAreaAsync(code, profile ?? ScoringProfile.DefaultName, version, referenceDate, httpContext.GetCallerScope(), cancellationToken);
        if (run is null) return Problems.NotFound("No stored score for that area (unknown area, or no score run yet).");
        // The percentile depends on every area of the kind: the whole kind is recomputed and compared.
        var verification = await store.VerifyAsync(run.Value.Profile, run.Value.Version, run.Value.Date, run.Value.Kind, cancellationToken);
        // A casustafel-scoped caller learns about its own area only, not which other areas changed.
        if (httpContext.GetCallerScope().Casustafels is not null)
            verification = verification with { Differing = verification.Differing.Where(c => c == code).ToList() };
        return TypedResults.Ok(verification);
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetStats(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string code, string? from, string? to, string? category, CancellationToken cancellationToken)
    {
        if (ParsePeriod(from, to, out var start, out var end) is { } invalid) return invalid;
        if (httpContext.GetCallerScope().Suppressed) (start, end) = WholeMonths(start, end);
        var store = new AreaAnalysisStore(dataSource);
        if (category is not null && !await store.CategoryExistsAsync(category, cancellationToken))
            return Problems.BadRequest("Unknown category", "Parameter 'category' must be one of the codes of GET /api/categories.");
        var json = await store.StatsAsync(code, start, end, category, httpContext.GetCallerScope(), cancellationToken);
        await audit.WriteAsync(httpContext, AuditRead.ForArea(AuditArea(code), json is null ? 0 : ArrayLength(json, "current")));
        return json is null ? Problems.NotFound("No current area with that code.") : TypedResults.Text(json, Json);
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetHotspots(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string code, int? cell, string? from, string? to, string? category, int? rings,
        CancellationToken cancellationToken)
    {
        var size = cell ?? 250;
        if (!HexGrid.Sizes.Contains(size))
            return Problems.BadRequest("Invalid cell size", $"Parameter 'cell' must be one of {string.Join(", ", HexGrid.Sizes)} (metres, hexagon circumradius).");
        var neighbourhood = rings ?? 1;
        if (neighbourhood is < 1 or > 3)
            return Problems.BadRequest("Invalid rings", "Parameter 'rings' must be 1, 2 or 3 (rings of neighbouring hexagons in the Gi* weights).");
        if (ParsePeriod(from, to, out var start, out var end) is { } invalid) return invalid;
        if (httpContext.GetCallerScope().Suppressed) (start, end) = WholeMonths(start, end);
        var store = new AreaAnalysisStore(dataSource);
        if (category is not null && !await store.CategoryExistsAsync(category, cancellationToken))
            return Problems.BadRequest("Unknown category", "Parameter 'category' must be one of the codes of GET /api/categories.");
        var scope = httpContext.GetCallerScope();
        var km2 = await store.AreaKm2Async(code, scope, cancellationToken);
        if (km2 is null)
        {
            await audit.WriteAsync(httpContext, AuditRead.ForArea(AuditArea(code), 0));
            return Problems.NotFound("No current area with that code.");
        }
        var cells = km2.Value * 1e6 / HexGrid.AreaM2(size);
        if (cells > MaxHotspotCells)
        {
            var coarser = HexGrid.Sizes.FirstOrDefault(s => km2.Value * 1e6 / HexGrid.AreaM2(s) <= MaxHotspotCells);
            return Problems.BadRequest("Too many cells",
                $"This area spans about {cells:F0} cells of {size} m; at most {MaxHotspotCells} are analysed. Use cell={coarser}.");
        }
        var json = await store.HotspotsAsync(code, size, start, end, category, neighbourhood, scope, cancellationToken);
        await audit.WriteAsync(httpContext, AuditRead.ForArea(AuditArea(code), json is null ? 0 : ArrayLength(json, "features")) with { Layer = $"hex{size}" });
        return json is null ? Problems.NotFound("No current area with that code.") : TypedResults.Text(json, GeoJson);
    }

    /// <summary>from/to as dates (to exclusive); defaults: the 365 days up to and including today.</summary>
    internal static ProblemHttpResult? ParsePeriod(string? from, string? to, out DateOnly start, out DateOnly end)
    {
        end = Today().AddDays(1);
        start = default;
        if (to is not null && !TryParseDate(to, out end))
            return Problems.BadRequest("Invalid period", "Parameter 'to' must be a date as yyyy-MM-dd (exclusive).");
        start = end.AddDays(-365);
        if (from is not null && !TryParseDate(from, out start))
            return Problems.BadRequest("Invalid period", "Parameter 'from' must be a date as yyyy-MM-dd (inclusive).");
        if (start >= end)
            return Problems.BadRequest("Invalid period", "Parameter 'from' must be before 'to'.");
        if (end.DayNumber - start.DayNumber > 3660)
            return Problems.BadRequest("Invalid period", "The period may span at most ten years.");
        return null;
    }

    /// <summary>
    /// Suppressed callers get whole calendar months only: two windows that differ by a few days
    /// (and so by a few signals) give the same answer, so subtracting them reveals nothing.
    /// </summary>
    internal static (DateOnly Start, DateOnly End) WholeMonths(DateOnly start, DateOnly end)
    {
        var first = new DateOnly(start.Year, start.Month, 1);
        var last = end.Day == 1 ? end : new DateOnly(end.Year, end.Month, 1).AddMonths(1);
        return (first, last);
    }

    private static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
        && date.Year is >= 2000 and <= 2100;

    internal static DateOnly Today() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Europe/Amsterdam"));

    /// <summary>Rows returned for the audit log: the length of a top-level array of the JSON answer.</summary>
    private static long ArrayLength(string json, string property)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty(property, out var a) && a.ValueKind == System.Text.Json.JsonValueKind.Array ? a.GetArrayLength() : 1;
    }

    internal static string AuditArea(string code) => GeoRisk.Core.Areas.AreaCode.IsWellFormed(code) ? code : "(malformed)";

}
