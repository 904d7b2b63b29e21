using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Access;
using GeoRisk.Core.Privacy;
using GeoRisk.Data.Interventions;
using GeoRisk.Reports.Effects;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// The interventions register and effect monitoring (docs/effects.md): what a casustafel did
/// where and when, and whether signals fell in the target area and moved to the buffer ring
/// (waterbedeffect) against a control area. Interventions are scoped like signals: a member
/// sees and edits only its own casustafels' interventions; viewers see none.
/// </summary>
public static partial class InterventionEndpoints
{
    public static IEndpointRouteBuilder MapInterventionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/intervention-kinds", ListKinds).WithTags("Interventions").RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("The kinds of intervention (reference list) with Dutch and English labels");
        var group = app.MapGroup("/api/interventions").WithTags("Interventions").RequireAuthorization(AccessPolicies.Member);
        group.MapGet("/", List).WithSummary("Current interventions of the caller's casustafels (optionally one casustafel)");
        group.MapPost("/", Create).WithSummary("Registers an intervention: target area or drawn polygon, start/end, kind, casustafel");
        group.MapGet("/{code}", Get).WithSummary("One intervention (current version, or ?version=n) with its target as GeoJSON");
        group.MapPut("/{code}", Update).WithSummary("Stores a new version of an intervention; the previous version stays readable");
        group.MapGet("/{code}/versions", Versions).WithSummary("Every version of an intervention");
        group.MapGet("/{code}/analysis", Analyse)
            .WithSummary("Before/after with buffer and control: counts, WDQ, net effect, rate ratios, interrupted time series and a verdict");
        group.MapGet("/{code}/series.csv", SeriesCsv).WithSummary("Monthly signal counts of target, buffer and control as CSV");
        return app;
    }

    public sealed record KindInfo(string Code, string LabelNl, string LabelEn);

    /// <summary>Body of POST and PUT. Either <see cref="Area"/> or <see cref="Target"/> (a GeoJSON Polygon/MultiPolygon, WGS84).</summary>
    public sealed record InterventionRequest(
        string? Code, string? Name, string? Kind, string? Casustafel, string? Area, JsonElement? Target,
        string? StartDate, string? EndDate, string? Description);

    internal static async Task<Ok<List<KindInfo>>> ListKinds(InterventionStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.KindsAsync(cancellationToken)).Select(k => new KindInfo(k.Code, k.LabelNl, k.LabelEn)).ToList());

    internal static async Task<Results<Ok<IReadOnlyList<Intervention>>, ProblemHttpResult>> List(
        HttpContext httpContext, InterventionStore store, AuditLog audit, string? casustafel, CancellationToken cancellationToken)
    {
        if (Refused(httpContext.GetCallerScope()) is { } refused) return refused;
        var list = await store.ListAsync(httpContext.GetCallerScope(), casustafel, cancellationToken);
        await audit.WriteAsync(httpContext, new AuditRead(list.Count));
        return TypedResults.Ok(list);
    }

    internal static async Task<Results<Ok<Intervention>, ProblemHttpResult>> Get(
        HttpContext httpContext, InterventionStore store, AuditLog audit, string code, int? version, CancellationToken cancellationToken)
    {
        if (Refused(httpContext.GetCallerScope()) is { } refused) return refused;
        var intervention = await store.GetAsync(code, version, httpContext.GetCallerScope(), cancellationToken);
        await audit.WriteAsync(httpContext, new AuditRead(intervention is null ? 0 : 1));
        return intervention is null ? NotFound() : TypedResults.Ok(intervention);
    }

    internal static async Task<Results<Ok<IReadOnlyList<Intervention>>, ProblemHttpResult>> Versions(
        HttpContext httpContext, InterventionStore store, AuditLog audit, string code, CancellationToken cancellationToken)
    {
        if (Refused(httpContext.GetCallerScope()) is { } refused) return refused;
        var versions = await store.VersionsAsync(code, httpContext.GetCallerScope(), cancellationToken);
        await audit.WriteAsync(httpContext, new AuditRead(versions.Count));
        return versions.Count == 0 ? NotFound() : TypedResults.Ok(versions);
    }

    internal static Task<Results<Created<Intervention>, Ok<Intervention>, ProblemHttpResult>> Create(
        HttpContext httpContext, InterventionStore store, AuditLog audit, InterventionRequest? request, CancellationToken cancellationToken) =>
        SaveAsync(httpContext, store, audit, request, null, cancellationToken);

    internal static Task<Results<Created<Intervention>, Ok<Intervention>, ProblemHttpResult>> Update(
        HttpContext httpContext, InterventionStore store, AuditLog audit, string code, InterventionRequest? request, CancellationToken cancellationToken) =>
        SaveAsync(httpContext, store, audit, request, code, cancellationToken);

    private static async Task<Results<Created<Intervention>, Ok<Intervention>, ProblemHttpResult>> SaveAsync(
        HttpContext httpContext, InterventionStore store, AuditLog audit, InterventionRequest? request, string? pathCode, CancellationToken cancellationToken)
    {
        var scope = httpContext.GetCallerScope();
        if (Refused(scope) is { } refused) return refused;
        if (request is null) return Invalid("body", "A JSON body with the intervention is required.");
        var code = pathCode ?? request.Code?.Trim();
        if (pathCode is not null && request.Code is not null && request.Code.Trim() != pathCode)
            return Invalid("code", "'code' in the body differs from the code in the path.");
        if (code is null || !CodePattern().IsMatch(code))
            return Invalid("code", "'code' must be 1-64 lowercase letters, digits or hyphens, starting with a letter or digit.");
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) return Invalid("name", "'name' is required (1-200 characters).");
        var description = request.Description?.Trim() ?? "";
        if (description.Length > 500) return Invalid("description", "'description' may be at most 500 characters.");
        foreach (var (field, text) in new[] { ("name", name), ("description", description) })
        {
            var personal = PrivacyGate.Scan(text).Codes();
            if (personal.Count > 0)
                // Names the kind, never the value.
                return TypedResults.Problem(title: "Personal data", statusCode: StatusCodes.Status400BadRequest,
                    detail: $"'{field}' seems to contain personal data ({string.Join(", ", personal)}); describe the intervention without identifying anyone.",
                    extensions: new Dictionary<string, object?> { ["field"] = field, ["kinds"] = personal, ["code"] = "personal_data" });
        }
        if (string.IsNullOrEmpty(request.Kind)) return Invalid("kind", "'kind' is required; see GET /api/intervention-kinds.");
        var casustafel = request.Casustafel?.Trim();
        if (string.IsNullOrEmpty(casustafel)) return Invalid("casustafel", "'casustafel' is required: the casustafel the intervention belongs to.");
        if (scope.Casustafels is not null && !scope.Casustafels.Contains(casustafel))
            return TypedResults.Problem(title: "Not allowed", statusCode: StatusCodes.Status403Forbidden,
                detail: "You can register interventions only for your own casustafels.");
        var hasArea = !string.IsNullOrWhiteSpace(request.Area);
        var hasTarget = request.Target is { ValueKind: JsonValueKind.Object };
        if (hasArea == hasTarget) return Invalid("target", "Give exactly one of 'area' (an area code) and 'target' (a GeoJSON polygon).");
        if (hasTarget && request.Target!.Value.TryGetProperty("type", out var type)
            && type.GetString() is not ("Polygon" or "MultiPolygon"))
            return Invalid("target", "'target' must be a GeoJSON Polygon or MultiPolygon.");
        if (!TryDate(request.StartDate, out var start)) return Invalid("start_date", "'start_date' must be a date as yyyy-MM-dd between 2000-01-01 and 2100-12-31.");
        DateOnly? end = null;
        if (!string.IsNullOrEmpty(request.EndDate))
        {
            if (!TryDate(request.EndDate, out var parsed)) return Invalid("end_date", "'end_date' must be a date as yyyy-MM-dd between 2000-01-01 and 2100-12-31.");
            if (parsed < start) return Invalid("end_date", "'end_date' must not be before 'start_date'.");
            end = parsed;
        }
        var draft = new InterventionDraft(code, name, request.Kind, casustafel, hasArea ? request.Area!.Trim() : null,
            hasTarget ? request.Target!.Value.GetRawText() : null, start, end, description);
        try
        {
            var saved = await store.SaveAsync(draft, expectNew: pathCode is null, Actor(httpContext, scope), scope, cancellationToken);
            await audit.WriteAsync(httpContext, new AuditRead(1));
            return pathCode is null
                ? TypedResults.Created($"/api/interventions/{saved.Code}", saved)
                : TypedResults.Ok(saved);
        }
        catch (InterventionRejectedException e) when (e.Field == "code" && pathCode is not null)
        {
            return NotFound();
        }
        catch (InterventionRejectedException e) when (e.Field == "code")
        {
            return TypedResults.Problem(title: "Conflict", statusCode: StatusCodes.Status409Conflict, detail: e.Message,
                extensions: new Dictionary<string, object?> { ["field"] = "code", ["code"] = "intervention_exists" });
        }
        catch (InterventionRejectedException e)
        {
            return Invalid(e.Field, e.Message);
        }
    }

    internal static async Task<Results<JsonHttpResult<EffectAnalysisReport>, ProblemHttpResult>> Analyse(
        HttpContext httpContext, InterventionStore store, EffectReport report, AuditLog audit, string code, CancellationToken cancellationToken)
    {
        var (intervention, options, problem) = await PrepareAsync(httpContext, store, code, cancellationToken);
        if (problem is not null) return problem;
        try
        {
            var result = await report.AnalyseAsync(intervention!, options!, cancellationToken);
            await audit.WriteAsync(httpContext, new AuditRead(result.Zones.Count) { Area = intervention!.AreaCode });
            return TypedResults.Json(result, EffectJson);
        }
        catch (EffectAnalysisException e)
        {
            return TypedResults.Problem(title: "Cannot analyse", statusCode: StatusCodes.Status422UnprocessableEntity, detail: e.Message,
                extensions: new Dictionary<string, object?> { ["code"] = e.Code });
        }
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> SeriesCsv(
        HttpContext httpContext, InterventionStore store, EffectReport report, AuditLog audit, string code, CancellationToken cancellationToken)
    {
        var (intervention, options, problem) = await PrepareAsync(httpContext, store, code, cancellationToken);
        if (problem is not null) return problem;
        try
        {
            var result = await report.AnalyseAsync(intervention!, options!, cancellationToken);
            await audit.WriteAsync(httpContext, new AuditRead(result.Zones.Sum(z => z.Series.Count)) { Area = intervention!.AreaCode });
            return TypedResults.File(new UTF8Encoding(false).GetBytes(EffectReport.SeriesCsv(result)), "text/csv; charset=utf-8",
                $"interventie-{intervention.Code}-reeks.csv");
        }
        catch (EffectAnalysisException e)
        {
            return TypedResults.Problem(title: "Cannot analyse", statusCode: StatusCodes.Status422UnprocessableEntity, detail: e.Message,
                extensions: new Dictionary<string, object?> { ["code"] = e.Code });
        }
    }

    /// <summary>Validates the analysis query string shared by the JSON and the CSV.</summary>
    private static async Task<(Intervention?, EffectOptions?, ProblemHttpResult?)> PrepareAsync(
        HttpContext httpContext, InterventionStore store, string code, CancellationToken cancellationToken)
    {
        var scope = httpContext.GetCallerScope();
        if (Refused(scope) is { } refused) return (null, null, refused);
        var intervention = await store.GetAsync(code, null, scope, cancellationToken);
        if (intervention is null) return (null, null, NotFound());
        var q = httpContext.Request.Query;
        var options = new EffectOptions();
        var mode = q["mode"].FirstOrDefault() ?? "buffer";
        if (mode is not ("buffer" or "mainports"))
            return (null, null, Invalid("mode", "'mode' must be 'buffer' (a ring around the target) or 'mainports' (the other mainports as buffer)."));
        options = options with { AcrossMainports = mode == "mainports" };
        if (!TryInt(q["buffer_m"].FirstOrDefault(), 50, 2000, 250, out var buffer))
            return (null, null, Invalid("buffer_m", "'buffer_m' must be a whole number of metres from 50 to 2000."));
        if (!TryInt(q["window_days"].FirstOrDefault(), EffectOptions.MinWindowDays, EffectOptions.MaxWindowDays, 182, out var window))
            return (null, null, Invalid("window_days", $"'window_days' must be a whole number from {EffectOptions.MinWindowDays} to {EffectOptions.MaxWindowDays}."));
        if (!TryInt(q["washout_days"].FirstOrDefault(), 0, EffectOptions.MaxWashoutDays, 0, out var washout))
            return (null, null, Invalid("washout_days", $"'washout_days' must be a whole number from 0 to {EffectOptions.MaxWashoutDays}."));
        DateOnly? asOf = null;
        if (q["as_of"].FirstOrDefault() is { Length: > 0 } asOfText)
        {
            if (!TryDate(asOfText, out var parsed)) return (null, null, Invalid("as_of", "'as_of' must be a date as yyyy-MM-dd between 2000-01-01 and 2100-12-31."));
            asOf = parsed;
        }
        var controls = SplitList(q["control"]);
        if (controls.Count > 20) return (null, null, Invalid("control", "At most 20 control areas."));
        if (controls.Count > 0 && (await store.UnknownAreasAsync(controls, cancellationToken)).Count > 0)
            return (null, null, Invalid("control", "Every 'control' must be the code of a current area (GET /api/areas)."));
        var categories = SplitList(q["category"]);
        if (categories.Count > 0 && !await store.CategoriesExistAsync(categories, cancellationToken))
            return (null, null, Invalid("category", "Every 'category' must be one of the codes of GET /api/categories."));
        return (intervention, options with
        {
            BufferM = buffer, WindowDays = window, WashoutDays = washout, AsOf = asOf,
            ControlCodes = controls, Categories = categories.Count > 0 ? categories : null,
        }, null);
    }

    private static List<string> SplitList(Microsoft.Extensions.Primitives.StringValues values) =>
        values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).ToList();

    private static bool TryInt(string? text, int min, int max, int fallback, out int value)
    {
        if (string.IsNullOrEmpty(text)) { value = fallback; return true; }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
        && date >= new DateOnly(2000, 1, 1) && date <= new DateOnly(2100, 12, 31);

    private static ProblemHttpResult? Refused(CallerScope scope) => scope.Suppressed
        ? TypedResults.Problem(title: "Not allowed", statusCode: StatusCodes.Status403Forbidden,
            detail: "Interventions are for casustafel members, analysts and admins; this key sees suppressed aggregates only.")
        : null;

    // One answer for unknown and out-of-scope, so a member cannot probe another table's codes.
    private static ProblemHttpResult NotFound() => Problems.NotFound("No intervention with that code within your casustafels.");

    private static ProblemHttpResult Invalid(string field, string detail) =>
        Problems.BadRequest("Invalid intervention request", detail, new Dictionary<string, object?> { ["field"] = field });

    private static string Actor(HttpContext httpContext, CallerScope scope) =>
        httpContext.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? $"{name} ({scope.Role})" : scope.Role;

    /// <summary>
    /// The analysis has undefined figures (a WDQ without success, an interval open above): they
    /// are written as null, with enums as snake_case strings, in the API's snake_case naming.
    /// </summary>
    internal static readonly JsonSerializerOptions EffectJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new FiniteOrNullConverter(), new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private sealed class FiniteOrNullConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value); else writer.WriteNullValue();
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex CodePattern();
}
