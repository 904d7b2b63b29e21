using System.Globalization;
using System.Text;
using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Access;
using GeoRisk.Core.Scoring;
using GeoRisk.Core.Signaallijst;
using GeoRisk.Data.Reference;
using GeoRisk.Reports.Factsheets;
using GeoRisk.Reports.Signaallijst;
using Npgsql;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// A casustafel's view: its areas, its ranked signal list (JSON and CSV), the
/// follow-up of its signals along the RIEC werkwijze, and a PDF factsheet per area. A casustafel
/// outside the caller's scope answers exactly like one that does not exist (404).
/// </summary>
public static class CasustafelEndpoints
{
    private const int DefaultLimit = 25;
    private const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapCasustafelEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/casustafels").WithTags("Casustafels");
        group.MapGet("/", ListCasustafels).WithSummary("The caller's casustafels with their areas and bounding box (WGS84)");
        // Signal-level data: members (and analysts, admins) only, within their scope.
        group.MapGet("/{id}/signaallijst", GetSignaallijst).RequireAuthorization(AccessPolicies.Member)
            .WithSummary("Signals in the casustafel's areas ranked by weight × reliability × recency × corroboration, with the reason per rank");
        group.MapGet("/{id}/signaallijst.csv", GetSignaallijstCsv).RequireAuthorization(AccessPolicies.Member).WithSummary("The signal list as CSV");
        group.MapGet("/{id}/signals/{signalId:long}/followup", GetFollowup).RequireAuthorization(AccessPolicies.Member)
            .WithSummary("Follow-up status and history of one signal");
        group.MapPost("/{id}/signals/{signalId:long}/followup", PostFollowup).RequireAuthorization(AccessPolicies.Member)
            .WithSummary("Moves a signal one step along the RIEC werkwijze with a short non-personal note");
        group.MapGet("/{id}/factsheet.pdf", GetFactsheet).RequireAuthorization(AccessPolicies.Member)
            .WithSummary("One-page PDF factsheet of one of the casustafel's areas");
        return app;
    }

    public sealed record CasustafelList(string Role, bool Suppressed, IReadOnlyList<CasustafelInfo> Casustafels);

    public sealed record FollowupRequest(string? Status, string? Note);

    public sealed record FollowupState(long SignalId, string Status, IReadOnlyList<string> NextStatuses, IReadOnlyList<FollowupEntry> History);

    internal static async Task<Ok<CasustafelList>> ListCasustafels(HttpContext httpContext, SignaallijstStore store, AuditLog audit, CancellationToken cancellationToken)
    {
        var scope = httpContext.GetCallerScope();
        var list = await store.ListCasustafelsAsync(scope, cancellationToken);
        // The list names the caller's areas and their extent: a scoped read like any other.
        await audit.WriteAsync(httpContext, new AuditRead(list.Count));
        return TypedResults.Ok(new CasustafelList(scope.Role, scope.Suppressed, list));
    }

    internal static async Task<Results<Ok<SignaallijstResult>, ProblemHttpResult>> GetSignaallijst(
        HttpContext httpContext, SignaallijstStore store, NpgsqlDataSource dataSource, AuditLog audit, string id, CancellationToken cancellationToken)
    {
        var (query, parameters, problem) = await PrepareAsync(httpContext, store, dataSource, id, requireArea: false, cancellationToken);
        if (problem is not null) return problem;
        var list = await store.GetAsync(query!, httpContext.GetCallerScope(), parameters!, cancellationToken);
        await audit.WriteAsync(httpContext, new AuditRead(list.Rows.Count) { Area = query!.AreaCode });
        return TypedResults.Ok(list);
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetSignaallijstCsv(
        HttpContext httpContext, SignaallijstStore store, NpgsqlDataSource dataSource, AuditLog audit, string id, CancellationToken cancellationToken)
    {
        var (query, parameters, problem) = await PrepareAsync(httpContext, store, dataSource, id, requireArea: false, cancellationToken);
        if (problem is not null) return problem;
        var list = await store.GetAsync(query!, httpContext.GetCallerScope(), parameters!, cancellationToken);
        await audit.WriteAsync(httpContext, new AuditRead(list.Rows.Count) { Area = query!.AreaCode });
        await using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        {
            // With an explicit lang the header is for people (the web map's export); without it, column codes.
            await SignaallijstCsv.WriteAsync(writer, list, cancellationToken,
                httpContext.Request.Query.ContainsKey("lang") ? query.Lang : null);
        }
        return TypedResults.File(buffer.ToArray(), "text/csv; charset=utf-8",
            $"signaallijst-{id}{(query!.AreaCode is null ? "" : "-" + query.AreaCode)}.csv");
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetFactsheet(
        HttpContext httpContext, SignaallijstStore store, FactsheetStore factsheets, GeoRisk.Reports.Effects.InterventionSectionCache effects,
        FactsheetBasemapLoader basemaps, NpgsqlDataSource dataSource, AuditLog audit, string id, CancellationToken cancellationToken)
    {
        // Server-Timing names where a factsheet's time goes (the benchmark prints it per section).
        var timing = new ServerTiming();
        var (query, parameters, problem) = await PrepareAsync(httpContext, store, dataSource, id, requireArea: true, cancellationToken);
        timing.Mark("prepare");
        if (problem is not null) return problem;
        int? windowDays = null;
        if (httpContext.Request.Query["window_days"].FirstOrDefault() is { } windowText)
        {
            if (!int.TryParse(windowText, NumberStyles.None, CultureInfo.InvariantCulture, out var days)
                || days is < ScoreSelection.MinWindowDays or > ScoreSelection.MaxWindowDays)
                return Problems.BadRequest("Invalid window", $"Parameter 'window_days' must be a whole number from {ScoreSelection.MinWindowDays} to {ScoreSelection.MaxWindowDays}.");
            windowDays = days;
        }
        var scope = httpContext.GetCallerScope();
        // The intervention and gelegenheidskaart sections need only the area code: they run while the
        // area, its score and the signal list are read, and the ports section and the basemap tiles
        // join them once the area is known; the factsheet waits for the slowest instead of the sum
        // (each query has its own connection).
        // The intervention section comes from the in-process cache while none of its inputs changed.
        var interventions = timing.Track("t_interventions",
            effects.GetAsync(id, query!.AreaCode!, query.Lang, DateOnly.FromDateTime(DateTime.UtcNow), scope, cancellationToken));
        var gelegenheidskaart = timing.Track("t_gelegenheidskaart",
            GeoRisk.Reports.Rtm.RtmFactsheetSection.LoadAsync(new GeoRisk.Data.Rtm.RtmStore(dataSource), query.AreaCode!, scope, cancellationToken));
        Task<FactsheetBasemap?>? basemapLoad = null;
        try
        {
            var data = await factsheets.LoadAsync(query.CasustafelName, query, ProfileOf(httpContext), scope,
                parameters!, DateTimeOffset.UtcNow, cancellationToken);
            timing.Mark("area_list");
            if (data is null) return Problems.NotFound("No current area with that code.");
            // The list's categories (and window_days) select a live score, as the panel shows it for the same filters.
            data = await factsheets.WithLiveScoreAsync(data, ProfileOf(httpContext), query.Categories, windowDays,
                DateOnly.FromDateTime(query.To.UtcDateTime).AddDays(-1), scope, cancellationToken);
            timing.Mark("live_score");
            await audit.WriteAsync(httpContext, AuditRead.ForArea(data.AreaCode, data.TopSignals.Count));
            timing.Mark("audit");
            var ports = timing.Track("t_ports", PortFactsheetSection.LoadAsync(dataSource, id, data.AreaCode, data.AreaKind, data.From, data.To, scope, cancellationToken));
            basemapLoad = timing.Track("t_basemap", basemaps.LoadAsync(data, FactsheetPdf.MapPixelWidth, FactsheetPdf.MapPixelHeight, cancellationToken));
            await Task.WhenAll(interventions, gelegenheidskaart, ports, basemapLoad);
            timing.Mark("sections_basemap");
            using var basemap = await basemapLoad;
            basemapLoad = null;
            var (interventionSections, cached) = await interventions;
            timing.Note("interventions_cache", cached ? "hit" : "miss");
            data = data with
            {
                Interventions = interventionSections,
                Gelegenheidskaart = await gelegenheidskaart,
                Ports = await ports,
                Basemap = basemap,
            };
            httpContext.Response.Headers["GeoRisk-Basemap"] = (basemap?.Status ?? GeoRisk.Rendering.Basemaps.BasemapStatus.None).ToString().ToLowerInvariant();
            await using var pdf = new MemoryStream();
            FactsheetPdf.Render(data, pdf);
            timing.Mark("render");
            httpContext.Response.Headers["Server-Timing"] = timing.ToString();
            return TypedResults.File(pdf.ToArray(), "application/pdf", $"factsheet-{id}-{data.AreaCode}.pdf");
        }
        finally
        {
            // After a 404 or a failure nothing started may outlive the request: wait for it (its
            // error, if any, is not the one to report) and free a basemap that was not used.
            await Task.WhenAll(interventions, gelegenheidskaart).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (basemapLoad is not null)
            {
                await ((Task)basemapLoad).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (basemapLoad.IsCompletedSuccessfully) basemapLoad.Result?.Dispose();
            }
        }
    }

    internal static async Task<Results<Ok<FollowupState>, ProblemHttpResult>> GetFollowup(
        HttpContext httpContext, SignaallijstStore store, AuditLog audit, string id, long signalId, CancellationToken cancellationToken)
    {
        var scope = httpContext.GetCallerScope();
        if (Refused(scope) is { } refused) return refused;
        var status = await store.FollowupStatusAsync(signalId, id, scope, cancellationToken);
        await audit.WriteAsync(httpContext, new AuditRead(status is null ? 0 : 1));
        if (status is null) return SignalNotFound();
        return TypedResults.Ok(new FollowupState(signalId, status, FollowupWorkflow.NextStatuses(status), await store.HistoryAsync(signalId, cancellationToken)));
    }

    internal static async Task<Results<Ok<FollowupState>, ProblemHttpResult>> PostFollowup(
        HttpContext httpContext, SignaallijstStore store, AuditLog audit, string id, long signalId, FollowupRequest request, CancellationToken cancellationToken)
    {
        var scope = httpContext.GetCallerScope();
        if (Refused(scope) is { } refused) return refused;
        if (scope.Role is not ("member" or "admin"))
        {
            return TypedResults.Problem(title: "Not allowed", statusCode: StatusCodes.Status403Forbidden,
                detail: $"Only casustafel members set a follow-up status; role '{scope.Role}' may not.");
        }
        var current = await store.FollowupStatusAsync(signalId, id, scope, cancellationToken);
        if (current is null)
        {
            await audit.WriteAsync(httpContext, new AuditRead(0));
            return SignalNotFound();
        }

        var to = request.Status?.Trim() ?? "";
        var note = request.Note?.Trim();
        if (FollowupWorkflow.Check(current, to, note) is { } invalid)
        {
            return Problems.BadRequest("Invalid follow-up", invalid.Message, new Dictionary<string, object?>
            {
                [ProblemCodes.Key] = invalid.Code,
                ["current_status"] = current,
                ["next_statuses"] = FollowupWorkflow.NextStatuses(current),
                ["length"] = note?.Length ?? 0,
                ["max_length"] = FollowupWorkflow.MaxNoteLength,
            });
        }
        var personal = FollowupNotePrivacy.Scan(note);
        if (personal.Count > 0)
        {
            // Names the kind, never the value (the rule for the privacy gate).
            return Problems.BadRequest("Personal data in note",
                $"The note seems to contain personal data ({string.Join(", ", personal)}); describe what was done without identifying anyone.",
                new Dictionary<string, object?> { ["kinds"] = personal });
        }
        var moved = await store.MoveAsync(signalId, id, current, to, note!, Actor(httpContext, scope), cancellationToken, httpContext.GetCallerKeyId(), scope.Role);
        // A change of a signal's status is accounted for like a read of it, also when it lost a race.
        await audit.WriteAsync(httpContext, new AuditRead(moved ? 1 : 0));
        if (!moved)
        {
            return TypedResults.Problem(title: "Conflict", statusCode: StatusCodes.Status409Conflict,
                detail: "The signal's follow-up status changed meanwhile; reload and try again.",
                extensions: new Dictionary<string, object?> { [ProblemCodes.Key] = "followup_conflict" });
        }
        return TypedResults.Ok(new FollowupState(signalId, to, FollowupWorkflow.NextStatuses(to), await store.HistoryAsync(signalId, cancellationToken)));
    }

    /// <summary>Validates the query string shared by the list, the CSV and the factsheet.</summary>
    private static async Task<(SignaallijstQuery?, RankingParameters?, ProblemHttpResult?)> PrepareAsync(
        HttpContext httpContext, SignaallijstStore store, NpgsqlDataSource dataSource, string id, bool requireArea, CancellationToken cancellationToken)
    {
        var scope = httpContext.GetCallerScope();
        if (Refused(scope) is { } refused) return (null, null, refused);
        var casustafel = (await store.ListCasustafelsAsync(scope, cancellationToken)).FirstOrDefault(c => c.Id == id);
        if (casustafel is null) return (null, null, Problems.NotFound("No casustafel with that id."));

        var q = httpContext.Request.Query;
        var area = q["area"].FirstOrDefault() is { Length: > 0 } a ? a : null;
        if (area is null && requireArea)
            return (null, null, Problems.BadRequest("Missing area", $"Parameter 'area' is required; this casustafel has: {string.Join(", ", casustafel.Areas.Select(x => x.Code))}."));
        if (area is not null && casustafel.Areas.All(x => x.Code != area))
        {
            return (null, null, Problems.BadRequest("Unknown area",
                $"Parameter 'area' is not one of this casustafel's areas: {string.Join(", ", casustafel.Areas.Select(x => x.Code))}.",
                new Dictionary<string, object?> { ["valid_areas"] = casustafel.Areas.Select(x => x.Code).ToList() }));
        }

        var limit = DefaultLimit;
        if (q["limit"].FirstOrDefault() is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            return (null, null, Problems.BadRequest("Invalid limit", $"Parameter 'limit' must be a whole number from 1 to {MaxLimit}."));

        var categories = q["category"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).Distinct().ToList();
        if (categories.Count > 0)
        {
            var valid = await new ReferenceStore(dataSource).CategoryCodesAsync(cancellationToken);
            var unknown = categories.Where(c => !valid.Contains(c)).ToList();
            if (unknown.Count > 0)
            {
                return (null, null, Problems.BadRequest("Unknown category",
                    $"Parameter 'category' has {unknown.Count} unknown value{(unknown.Count == 1 ? "" : "s")}; valid: {string.Join(", ", valid)}.",
                    new Dictionary<string, object?> { ["valid_categories"] = valid }));
            }
        }

        // Dates are whole days; 'to' is inclusive. Default: the year up to today.
        if (!TryDate(q["to"].FirstOrDefault(), out var toDay, DateOnly.FromDateTime(DateTime.UtcNow)))
            return (null, null, Problems.BadRequest("Invalid date", "Parameter 'to' must be a date as yyyy-MM-dd between 2000-01-01 and 2100-12-31."));
        if (!TryDate(q["from"].FirstOrDefault(), out var fromDay, toDay.AddDays(-364)))
            return (null, null, Problems.BadRequest("Invalid date", "Parameter 'from' must be a date as yyyy-MM-dd between 2000-01-01 and 2100-12-31."));
        if (fromDay > toDay)
            return (null, null, Problems.BadRequest("Invalid period", "Parameter 'from' must not be after 'to'."));

        var lang = q["lang"].FirstOrDefault() ?? "nl";
        if (lang is not ("nl" or "en"))
            return (null, null, Problems.BadRequest("Invalid language", "Parameter 'lang' must be 'nl' or 'en'."));

        var from = new DateTimeOffset(fromDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = new DateTimeOffset(toDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var parameters = await store.RankingParametersAsync(ProfileOf(httpContext), cancellationToken);
        return (new SignaallijstQuery(id, area, categories.Count == 0 ? null : categories, from, to, limit, lang) { CasustafelName = casustafel.Name },
            parameters, null);
    }

    private static string ProfileOf(HttpContext httpContext) =>
        httpContext.Request.Query["profile"].FirstOrDefault() is { Length: > 0 } p ? p : "riec-standaard";

    /// <summary>Signal lists are signal-level data: suppressed callers (viewers) get aggregates only.</summary>
    private static ProblemHttpResult? Refused(CallerScope scope) => scope.Suppressed
        ? TypedResults.Problem(title: "Not allowed", statusCode: StatusCodes.Status403Forbidden,
            detail: "Signal lists are for casustafel members; this key sees suppressed aggregates only.")
        : null;

    private static ProblemHttpResult SignalNotFound() =>
        Problems.NotFound("No signal with that id in this casustafel.");

    /// <summary>Who made a follow-up step: the authenticated key's name and role, never a person.</summary>
    private static string Actor(HttpContext httpContext, CallerScope scope) =>
        httpContext.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? $"{name} ({scope.Role})" : scope.Role;

    private static bool TryDate(string? text, out DateOnly date, DateOnly fallback)
    {
        if (string.IsNullOrEmpty(text)) { date = fallback; return true; }
        // Bounded so that the period arithmetic (a day on, a year back, the previous period) cannot overflow.
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            && date.Year is >= 2000 and <= 2100;
    }
}
