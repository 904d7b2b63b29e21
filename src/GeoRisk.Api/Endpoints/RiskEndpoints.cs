using System.Globalization;
using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Hexagons;
using GeoRisk.Core.Scoring;
using GeoRisk.Data.Scoring;
using Npgsql;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// Risk scores of handhavingsknelpunten, aggregation per area and Gi* hot spots (issue 4;
/// docs/scoring.md). Every read takes the caller's scope; a scoped caller cannot start a run,
/// because percentiles compare all areas of a kind.
/// </summary>
public static class RiskEndpoints
{
    private const string GeoJson = "application/geo+json";
    private const string Json = "application/json";
    /// <summary>Gi* over more cells than this is refused with a 400 that names a coarser size.</summary>
    private const int MaxHotspotCells = 60_000;

    public static IEndpointRouteBuilder MapRiskEndpoints(this IEndpointRouteBuilder app)
    {
        var scores = app.MapGroup("/api/scores").WithTags("Risk scores").RequireAuthorization(AccessPolicies.Viewer);
        scores.MapPost("/run", RunScores).RequireAuthorization(AccessPolicies.Analyst).WithSummary("Compute and store the scores of all areas (or one kind) for a reference date under a scoring profile");
        scores.MapGet("/", GetRanking).WithSummary("Ranking of a stored score run (latest unless date/version given)");

        var areas = app.MapGroup("/api/areas").WithTags("Risk scores").RequireAuthorization(AccessPolicies.Viewer);
        areas.MapGet("/{code}/score", GetAreaScore).WithSummary("An area's stored score: components, corroboration, trend, kandidaat flag with reasons");
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
                $"There is no scoring profile '{Printable(profile)}'{(request?.Version is int v ? $" version {v}" : "")}; the default is '{ScoringProfile.DefaultName}'.");
        DateOnly date = Today();
        if (request?.ReferenceDate is not null && !TryParseDate(request.ReferenceDate, out date))
            return Problems.BadRequest("Invalid reference date", "'reference_date' must be a date as yyyy-MM-dd between 2000-01-01 and 2100-12-31.");
        if (request?.Kind is not null && !await store.KindExistsAsync(request.Kind, cancellationToken))
            return Problems.BadRequest("Unknown area kind", "'kind' must be one of the codes of GET /api/area-kinds.");
        return TypedResults.Ok(await store.RunAsync(profile, version.Value, date, request?.Kind, cancellationToken));
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetRanking(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string? kind, string? date, string? profile, int? version, CancellationToken cancellationToken)
    {
        var store = new ScoreStore(dataSource);
        if (kind is not null && !await store.KindExistsAsync(kind, cancellationToken))
            return Problems.BadRequest("Unknown area kind", "Parameter 'kind' must be one of the codes of GET /api/area-kinds.");
        DateOnly? referenceDate = null;
        if (date is not null)
        {
            if (!TryParseDate(date, out var parsed)) return Problems.BadRequest("Invalid date", "Parameter 'date' must be a date as yyyy-MM-dd.");
            referenceDate = parsed;
        }
        var json = await store.RankingAsync(profile ?? ScoringProfile.DefaultName, version, referenceDate, kind, httpContext.GetCallerScope(), cancellationToken);
        await audit.WriteAsync(httpContext, new AuditRead(json is null ? 0 : ArrayLength(json, "areas")));
        return json is null
            ? Problems.NotFound("No stored score run matches; start one with POST /api/scores/run.")
            : TypedResults.Text(json, Json);
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetAreaScore(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string code, string? date, string? profile, int? version, CancellationToken cancellationToken)
    {
        DateOnly? referenceDate = null;
        if (date is not null)
        {
            if (!TryParseDate(date, out var parsed)) return Problems.BadRequest("Invalid date", "Parameter 'date' must be a date as yyyy-MM-dd.");
            referenceDate = parsed;
        }
        var json = await new ScoreStore(dataSource).AreaScoreAsync(code, profile ?? ScoringProfile.DefaultName, version, referenceDate, httpContext.GetCallerScope(), cancellationToken);
        await audit.WriteAsync(httpContext, AuditRead.ForArea(AuditArea(code), json is null ? 0 : 1));
        return json is null
            ? Problems.NotFound("No stored score for that area (unknown area, or no score run yet).")
            : TypedResults.Text(json, Json);
    }

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

    /// <summary>Echo only harmless characters of a name the caller sent.</summary>
    private static string Printable(string text) =>
        text.Length <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? text : "(invalid name)";
}
