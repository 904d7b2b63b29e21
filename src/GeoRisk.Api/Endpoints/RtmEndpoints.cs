using System.Globalization;
using System.Text.RegularExpressions;
using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Intake;
using GeoRisk.Core.Ports;
using GeoRisk.Core.Privacy;
using GeoRisk.Core.Rtm;
using GeoRisk.Data.Ports;
using GeoRisk.Data.Rtm;
using GeoRisk.Reports.Rtm;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// Gelegenheidskaarten (docs/rtm.md): risk-factor kinds and layers, Risk Terrain Models fitted
/// per study area and stored with their inputs, their cells (JSON/CSV), validation and blind
/// spots. Models are read within the caller's reach; cell counts are suppressed for viewers.
/// </summary>
public static partial class RtmEndpoints
{
    public sealed record FactorKindRequest(string? Code, string? LabelNl, string? LabelEn, string? Description);

    /// <summary>A model to fit; every field but study_area has a default (see docs/rtm.md).</summary>
    public sealed record ModelRequest(string? StudyArea, string? Name, string? FitFrom, string? FitTo, string? TestFrom, string? TestTo,
        List<string>? Categories, List<string>? Factors, List<int>? Distances, List<int>? Bandwidths, double? DensitySds);

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,63}$")]
    private static partial Regex KindPattern();

    public static IEndpointRouteBuilder MapRtmEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rtm").WithTags("Gelegenheidskaarten (RTM)");
        group.MapGet("/factor-kinds", GetFactorKinds).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("Kinds of risk factor (reference data) with their layers and features");
        group.MapPost("/factor-kinds", AddFactorKind).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Add a kind of risk factor (admins)");
        group.MapPost("/factors/import", ImportFactors).RequireAuthorization(AccessPolicies.Analyst).DisableAntiforgery()
            .WithSummary("Import a risk-factor layer (CSV points, GeoJSON points/lines/polygons): ?programme=&dataset=&kind=&name=&crs=&mode=");
        group.MapPost("/models", CreateModel).RequireAuthorization(AccessPolicies.Analyst)
            .WithSummary("Fit and store a Risk Terrain Model of a study area (stepwise Poisson by BIC, validation on the next period)");
        group.MapGet("/models", ListModels).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("Stored models in the caller's reach, newest first: ?study_area=");
        group.MapGet("/models/{id:long}", GetModel).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("A model card: factors, RRVs with interval, operationalisations, validation (hit rate, PAI vs hot spots)");
        group.MapGet("/models/{id:long}/cells", GetCells).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("The cells of a model (RRS, expected and observed counts): ?area=&format=json|csv");
        group.MapGet("/models/{id:long}/blind-spots", GetBlindSpots).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("Cells with high terrain risk and few signals, ranked: ?area=&share=&max_signals=&format=json|csv");
        return app;
    }

    // ---- factor kinds and layers ------------------------------------------------------------

    internal static async Task<Ok<List<FactorKind>>> GetFactorKinds(NpgsqlDataSource db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await new RtmStore(db).FactorKindsAsync(cancellationToken));

    internal static async Task<Results<Created<FactorKindRequest>, ProblemHttpResult>> AddFactorKind(NpgsqlDataSource db, FactorKindRequest? request,
        CancellationToken cancellationToken)
    {
        if (request is null) return Problems.BadRequest("Invalid factor kind", "A JSON body with code, label_nl and label_en is required.");
        var code = request.Code?.Trim();
        if (code is null || !KindPattern().IsMatch(code))
            return Problems.BadRequest("Invalid factor kind", "'code' must be 1-64 lower-case letters, digits, '_' or '-', starting with a letter (e.g. loods-leegstand).");
        var nl = request.LabelNl?.Trim();
        var en = request.LabelEn?.Trim();
        var description = request.Description?.Trim() ?? "";
        if (string.IsNullOrEmpty(nl) || nl.Length > 100 || string.IsNullOrEmpty(en) || en.Length > 100)
            return Problems.BadRequest("Invalid factor kind", "'label_nl' and 'label_en' are required (1-100 characters each).");
        if (description.Length > 500) return Problems.BadRequest("Invalid factor kind", "'description' may be at most 500 characters.");
        foreach (var (field, text) in new[] { ("label_nl", nl), ("label_en", en), ("description", description) })
            if (PrivacyGate.Scan(text) != PersonalDataKind.None)
                return Problems.BadRequest("Personal data", $"'{field}' seems to contain personal data; a factor kind names a kind of place.");
        if (!await new RtmStore(db).AddFactorKindAsync(code, nl, en, description, cancellationToken))
            return TypedResults.Problem(title: "Factor kind exists", detail: $"There is already a factor kind '{code}'.", statusCode: StatusCodes.Status409Conflict);
        return TypedResults.Created($"/api/rtm/factor-kinds", new FactorKindRequest(code, nl, en, description));
    }

    internal static async Task<IResult> ImportFactors(HttpContext http, NpgsqlDataSource db, IOptions<IntakeOptions> limits, ILogger<FactorImporter> logger,
        string? programme, string? dataset, string? kind, string? name, string? crs, string? mode, CancellationToken cancellationToken)
    {
        if (!PortFileReader.IsProgrammeCode(programme))
            return Problems.BadRequest("Invalid programme", "Parameter 'programme' must be the casustafel id of the programme that supplies the layer (e.g. bloemenveiling).");
        if (!PortFileReader.IsProgrammeCode(dataset))
            return Problems.BadRequest("Invalid dataset", "Parameter 'dataset' names the factor layer: a code of lower-case letters, digits, '_' or '-' (e.g. vakantieparken-2026).");
        if (kind is null || !KindPattern().IsMatch(kind))
            return Problems.BadRequest("Invalid kind", "Parameter 'kind' must be a factor kind code; GET /api/rtm/factor-kinds lists them.");
        if (name is not null && (name.Length > 200 || PrivacyGate.Scan(name) != PersonalDataKind.None))
            return Problems.BadRequest("Invalid name", "Parameter 'name' must be at most 200 characters without personal data.");
        if (!ImportModes.TryParse(mode, out var importMode))
            return Problems.BadRequest("Invalid mode", "Parameter 'mode' must be atomic (default) or partial.");
        if (!IntakeEndpoints.TryParseCrs(crs, out var srid))
            return Problems.BadRequest("Invalid crs", "Parameter 'crs' must be 28992 (RD New) or 4326 (WGS84).");
        var (body, problem) = await IntakeEndpoints.ReadBodyAsync(http, limits.Value.MaxUploadBytes, cancellationToken);
        if (problem is not null) return problem;
        PortImportResult result;
        try
        {
            result = await new FactorImporter(db).ImportAsync(body!, programme!, dataset!, kind, name, srid, importMode, cancellationToken);
        }
        catch (IntakeFormatException e)
        {
            return IntakeEndpoints.Unreadable(e);
        }
        catch (PortImportRefusedException e)
        {
            return Problems.BadRequest("Import refused", e.Message + " Nothing was written.");
        }
        LogImport(logger, result.Mode, result.Rows, result.Inserted, result.Updated, result.Unchanged, result.RejectedRows);
        return result.Written
            ? TypedResults.Ok(result)
            : IntakeEndpoints.Rejected(result.Rejections, result.RejectedRows,
                $"{result.RejectedRows} of {result.Rows} rows were rejected; in atomic mode nothing was written (mode=partial writes the valid rows).", result);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "factor import ({Mode}): {Rows} rows, {Inserted} inserted, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected")]
    private static partial void LogImport(ILogger logger, string mode, int rows, int inserted, int updated, int unchanged, int rejected);

    // ---- models -------------------------------------------------------------------------------

    internal static async Task<Results<Created<RtmModelCard>, ProblemHttpResult>> CreateModel(HttpContext http, NpgsqlDataSource db,
        ModelRequest? request, CancellationToken cancellationToken)
    {
        if (request is null) return Problems.BadRequest("Invalid model", "A JSON body with at least 'study_area' is required.");
        if (string.IsNullOrWhiteSpace(request.StudyArea) || !GeoRisk.Core.Areas.AreaCode.IsWellFormed(request.StudyArea))
            return Problems.BadRequest("Invalid model", "'study_area' must be the code of a current area (a gemeente, the buitengebied, a bedrijventerrein).");
        var name = request.Name?.Trim() ?? $"gelegenheidskaart {request.StudyArea}";
        if (name.Length is 0 or > 200 || PrivacyGate.Scan(name) != PersonalDataKind.None)
            return Problems.BadRequest("Invalid model", "'name' must be 1-200 characters without personal data.");
        var periods = Periods(request);
        if (periods.Problem is not null) return Problems.BadRequest("Invalid period", periods.Problem);
        var settings = new RtmSettings
        {
            Distances = request.Distances ?? new RtmSettings().Distances,
            Bandwidths = request.Bandwidths ?? new RtmSettings().Bandwidths,
            DensitySds = request.DensitySds ?? new RtmSettings().DensitySds,
        };
        if (settings.Problem() is { } invalid) return Problems.BadRequest("Invalid model", invalid + ".");
        if (request.Factors is { Count: > 30 } || request.Categories is { Count: > 50 })
            return Problems.BadRequest("Invalid model", "At most 30 factor kinds and 50 categories.");
        var store = new RtmStore(db);
        if (!await store.StudyAreaExistsAsync(request.StudyArea, http.GetCallerScope(), cancellationToken))
            return Problems.NotFound("No current area with that code.");
        try
        {
            var card = await store.BuildAsync(new RtmRequest(request.StudyArea, name, periods.FitFrom!.Value, periods.FitTo!.Value, periods.TestFrom!.Value, periods.TestTo!.Value,
                request.Categories, request.Factors, settings), cancellationToken);
            return TypedResults.Created($"/api/rtm/models/{card.Id}", card);
        }
        catch (RtmInputException e)
        {
            return Problems.BadRequest("Model cannot be fitted", e.Message + ".");
        }
        catch (RtmException e)
        {
            return Problems.BadRequest("Model cannot be fitted", e.Message + ".");
        }
    }

    /// <summary>The two periods; defaults: test = the last 365 days, fit = the two years before it.</summary>
    private static (DateOnly? FitFrom, DateOnly? FitTo, DateOnly? TestFrom, DateOnly? TestTo, string? Problem) Periods(ModelRequest r)
    {
        static bool Parse(string? text, out DateOnly? value)
        {
            value = null;
            if (text is null) return true;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) || d.Year is < 2000 or > 2100) return false;
            value = d;
            return true;
        }
        if (!Parse(r.FitFrom, out var fitFrom) || !Parse(r.FitTo, out var fitTo) || !Parse(r.TestFrom, out var testFrom) || !Parse(r.TestTo, out var testTo))
            return (null, null, null, null, "fit_from, fit_to, test_from and test_to are dates as yyyy-MM-dd (from inclusive, to exclusive).");
        var tTo = testTo ?? RiskEndpoints.Today().AddDays(1);
        var tFrom = testFrom ?? fitTo ?? tTo.AddDays(-365);
        var fTo = fitTo ?? tFrom;
        var fFrom = fitFrom ?? fTo.AddDays(-730);
        if (fFrom >= fTo || tFrom >= tTo) return (null, null, null, null, "each period's start must lie before its end.");
        if (tFrom < fTo) return (null, null, null, null, "the test period must not start before the fit period ends (fit on one period, test on the next).");
        if (tTo.DayNumber - fFrom.DayNumber > 3660) return (null, null, null, null, "the two periods may span at most ten years.");
        return (fFrom, fTo, tFrom, tTo, null);
    }

    internal static async Task<Ok<List<RtmModelCard>>> ListModels(HttpContext http, NpgsqlDataSource db, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "study_area")] string? studyArea,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await new RtmStore(db).ModelsAsync(studyArea, http.GetCallerScope(), cancellationToken));

    internal static async Task<Results<Ok<RtmModelCard>, ProblemHttpResult>> GetModel(HttpContext http, NpgsqlDataSource db, long id, CancellationToken cancellationToken) =>
        await new RtmStore(db).ModelAsync(id, http.GetCallerScope(), cancellationToken) is { } card
            ? TypedResults.Ok(card)
            : Problems.NotFound("No model with that id in your reach.");

    internal static async Task<IResult> GetCells(HttpContext http, NpgsqlDataSource db, AuditLog audit, long id, string? area, string? format,
        CancellationToken cancellationToken)
    {
        if (format is not (null or "json" or "csv")) return Problems.BadRequest("Invalid format", "Parameter 'format' must be json (default) or csv.");
        var store = new RtmStore(db);
        var scope = http.GetCallerScope();
        if (await store.ModelAsync(id, scope, cancellationToken) is not { } card) return Problems.NotFound("No model with that id in your reach.");
        if (area is not null && !await store.AreaExistsAsync(area, cancellationToken)) return Problems.NotFound("No current area with that code.");
        var cells = await store.CellsAsync(id, area, scope, cancellationToken);
        await audit.WriteAsync(http, AuditRead.ForArea(card.StudyArea, cells.Count) with { Layer = "rtm" });
        if (format == "csv")
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"gelegenheidskaart-{card.StudyArea}-v{card.Version}.csv\"";
            return TypedResults.Text(RtmCsv.Cells(cells), "text/csv; charset=utf-8");
        }
        return TypedResults.Ok(new { model = id, study_area = card.StudyArea, version = card.Version, suppressed = scope.Suppressed, cells });
    }

    internal static async Task<IResult> GetBlindSpots(HttpContext http, NpgsqlDataSource db, long id, string? area, double? share, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "max_signals")] int? maxSignals,
        string? format, CancellationToken cancellationToken)
    {
        if (format is not (null or "json" or "csv")) return Problems.BadRequest("Invalid format", "Parameter 'format' must be json (default) or csv.");
        var top = share ?? RtmValidationMeasures.DefaultShare;
        if (!(top > 0 && top <= 0.5)) return Problems.BadRequest("Invalid share", "Parameter 'share' is the top share of cells by RRS: more than 0 and at most 0.5.");
        var scope = http.GetCallerScope();
        // A threshold of the caller's choice on exact counts would give them back (m versus m - 1):
        // suppressed callers get the one they may know anyway, "fewer than k".
        if (scope.Suppressed && maxSignals is not null)
            return Problems.BadRequest("Invalid max_signals", $"Suppressed callers get the cells with fewer than {scope.SuppressionK} signals (the suppression threshold); 'max_signals' is not available to them.");
        var most = scope.Suppressed ? scope.SuppressionK - 1 : maxSignals ?? 0;
        if (most is < 0 or > 100) return Problems.BadRequest("Invalid max_signals", "Parameter 'max_signals' must be between 0 and 100.");
        var store = new RtmStore(db);
        if (await store.ModelAsync(id, scope, cancellationToken) is not { } card) return Problems.NotFound("No model with that id in your reach.");
        if (area is not null && !await store.AreaExistsAsync(area, cancellationToken)) return Problems.NotFound("No current area with that code.");
        var spots = await store.BlindSpotsAsync(id, area, top, most, cancellationToken);
        if (format == "csv")
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"blinde-vlekken-{card.StudyArea}-v{card.Version}.csv\"";
            return TypedResults.Text(RtmCsv.BlindSpots(spots), "text/csv; charset=utf-8");
        }
        return TypedResults.Ok(new { model = id, study_area = card.StudyArea, version = card.Version, share = top, max_signals = most, area, blind_spots = spots });
    }
}
