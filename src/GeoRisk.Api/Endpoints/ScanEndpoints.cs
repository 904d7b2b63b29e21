using System.Globalization;
using System.Text;
using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Access;
using GeoRisk.Core.Areas;
using GeoRisk.Core.Scans;
using GeoRisk.Core.Scoring;
using GeoRisk.Data.Scans;
using GeoRisk.Data.Scoring;
using GeoRisk.Reports.Scans;
using Npgsql;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// Wijkscans and the nulmeting (docs/wijkscan.md): run and store a scan of every wijk or buurt
/// of a parent area, read it (suppressed for viewers), verify it from its frozen inputs, mark it
/// as baseline, compare a later scan with the baseline, export CSV and a PDF report. A scan whose
/// parent lies outside the caller's scope answers exactly like one that does not exist (404).
/// </summary>
public static class ScanEndpoints
{
    public static IEndpointRouteBuilder MapScanEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/scans").WithTags("Wijkscans").RequireAuthorization(AccessPolicies.Viewer);
        // Members may scan an area inside their own scope; viewers only read.
        group.MapPost("/", RunScan).RequireAuthorization(AccessPolicies.Member)
            .WithSummary("Run and store a named scan of every sub-area (wijk/buurt) of a parent area");
        group.MapGet("/", ListScans).WithSummary("Stored scans the caller may see");
        group.MapGet("/{name}", GetScan).WithSummary("A stored scan: frozen inputs and one row per sub-area, best rank first");
        group.MapGet("/{name}/scan.csv", GetScanCsv).WithSummary("A stored scan as CSV");
        group.MapGet("/{name}/areas", GetScanAreas).WithSummary("The scan's sub-area boundaries (frozen versions) as GeoJSON (WGS84)");
        group.MapGet("/{name}/report.pdf", GetReport).WithSummary("Multi-page PDF report of the scan (lang=nl|en)");
        group.MapGet("/{name}/verify", VerifyScan).RequireAuthorization(AccessPolicies.Analyst)
            .WithSummary("Recompute a stored scan from its frozen inputs and compare");
        group.MapPost("/{name}/baseline", MarkBaseline).RequireAuthorization(AccessPolicies.Analyst)
            .WithSummary("Mark the scan as the nulmeting of its parent and level");
        group.MapGet("/{name}/comparison", GetComparison)
            .WithSummary("Compare the scan with a baseline (default: the nulmeting) sub-area by sub-area");
        group.MapGet("/{name}/comparison.csv", GetComparisonCsv).WithSummary("The comparison as CSV");
        return app;
    }

    /// <summary>Body of POST /api/scans. Defaults: window ending today, the profile's window length, cut-off now, riec-standaard, model rr-poisson-1 (or rr-poisson-gamma-2, rr-score-3).</summary>
    public sealed record ScanRunRequest(string? Name, string? Parent, string? Level, string? WindowTo, int? WindowDays,
        DateTimeOffset? Cutoff, string? Profile, int? Version, int? HotspotCell, string? Model = null);

    public sealed record ScanList(IReadOnlyList<ScanHeader> Scans);

    public sealed record ComparisonView(ScanHeader Baseline, ScanHeader Later, bool Suppressed, IReadOnlyList<ChangeView> Changes,
        IReadOnlyDictionary<string, int> Classes);

    public sealed record ChangeView(IReadOnlyList<string> BaselineCodes, IReadOnlyList<string> LaterCodes, string Name, string Boundary,
        string Class, ShownCount? BaselineSignals, ShownCount? LaterSignals, double? BaselineRr, double? LaterRr, double? RrRatio,
        double? P, double? PAdjusted);

    internal static async Task<Results<Created<ScanHeader>, ProblemHttpResult>> RunScan(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, ScanRunRequest? request, CancellationToken cancellationToken)
    {
        var scope = httpContext.GetCallerScope();
        if (request is null) return Problems.BadRequest("Missing body", "Send a JSON body with at least 'name', 'parent' and 'level'.");
        if (!ScanNames.IsValid(request.Name))
            return Problems.BadRequest("Invalid scan name", "'name' must be 1-100 characters: letters, digits, '-' and '_', starting with a letter or digit.");
        if (request.Parent is null || !AreaCode.IsWellFormed(request.Parent))
            return Problems.BadRequest("Invalid parent", "'parent' must be the code of an area, e.g. GM0362.");
        if (request.Level is null || !ScanNames.Levels.Contains(request.Level))
            return Problems.BadRequest("Invalid level", $"'level' must be one of: {string.Join(", ", ScanNames.Levels)}.");
        if (request.Model is { } model && !ScanModel.All.Contains(model))
            return Problems.BadRequest("Invalid model", $"'model' must be one of: {string.Join(", ", ScanModel.All)}.");
        if (request.WindowDays is { } days && days is < 1 or > 3660)
            return Problems.BadRequest("Invalid window", "'window_days' must be between 1 and 3660.");
        if (request.HotspotCell is { } cell && !GeoRisk.Core.Hexagons.HexGrid.Sizes.Contains(cell))
            return Problems.BadRequest("Invalid cell size", $"'hotspot_cell' must be one of {string.Join(", ", GeoRisk.Core.Hexagons.HexGrid.Sizes)}.");
        var windowTo = Today();
        if (request.WindowTo is not null && !TryParseDate(request.WindowTo, out windowTo))
            return Problems.BadRequest("Invalid window", "'window_to' must be a date as yyyy-MM-dd between 2000-01-01 and 2100-12-31.");
        if (request.Cutoff is { } cutoff && cutoff > DateTimeOffset.UtcNow.AddMinutes(10))
            return Problems.BadRequest("Invalid cut-off", "'cutoff' lies in the future: a scan can only freeze data that has been imported.");

        var profile = request.Profile ?? ScoringProfile.DefaultName;
        var version = await new ScoreStore(dataSource).ResolveProfileAsync(profile, request.Version, cancellationToken);
        if (version is null)
            return Problems.BadRequest("Unknown scoring profile", $"There is no such scoring profile; the default is '{ScoringProfile.DefaultName}'.");

        var store = new ScanStore(dataSource);
        // Outside the scope is the same 404 as a missing area.
        if (!await store.ParentVisibleAsync(request.Parent, scope.SqlScope, cancellationToken))
            return Problems.NotFound($"No current area with code '{request.Parent}'.");
        var outcome = await store.RunAsync(new ScanRequest(request.Name!, request.Parent, request.Level, windowTo, request.WindowDays,
            request.Cutoff, profile, version.Value, request.HotspotCell ?? 250, request.Model ?? ScanModel.Counts), cancellationToken);
        switch (outcome.Status)
        {
            case ScanRunStatus.NameTaken:
                return TypedResults.Problem(title: "Scan name taken", statusCode: StatusCodes.Status409Conflict,
                    detail: $"A scan named '{request.Name}' exists; stored scans are never overwritten, choose another name.");
            case ScanRunStatus.ParentNotFound:
                return Problems.NotFound($"No area with code '{request.Parent}' valid on {windowTo:yyyy-MM-dd}.");
            case ScanRunStatus.NoSubAreas:
                return TypedResults.Problem(title: "No sub-areas", statusCode: StatusCodes.Status422UnprocessableEntity,
                    detail: $"Area '{request.Parent}' contains no areas of kind '{request.Level}' valid on {windowTo:yyyy-MM-dd}; import them first.");
            case ScanRunStatus.ProfileNotRelativeRisk:
                return TypedResults.Problem(title: "Profile has no relative-risk model", statusCode: StatusCodes.Status422UnprocessableEntity,
                    detail: $"Model '{ScanModel.ScoreV2}' is the area score v2 and needs a relative-risk profile; '{profile}' version {version} is not one (GET /api/profiles lists them).");
        }
        await audit.WriteAsync(httpContext, new AuditRead(outcome.Scan!.SubAreas) { Area = request.Parent });
        return TypedResults.Created($"/api/scans/{outcome.Scan.Name}", outcome.Scan);
    }

    internal static async Task<Ok<ScanList>> ListScans(HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, CancellationToken cancellationToken)
    {
        var list = await new ScanStore(dataSource).ListAsync(httpContext.GetCallerScope().SqlScope, cancellationToken);
        await audit.WriteAsync(httpContext, new AuditRead(list.Count));
        return TypedResults.Ok(new ScanList(list));
    }

    internal static async Task<Results<Ok<ScanView>, ProblemHttpResult>> GetScan(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string name, CancellationToken cancellationToken)
    {
        var (view, problem) = await LoadViewAsync(httpContext, dataSource, audit, name, cancellationToken);
        return problem ?? (Results<Ok<ScanView>, ProblemHttpResult>)TypedResults.Ok(view!);
    }

    internal static async Task<IResult> GetScanCsv(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string name, CancellationToken cancellationToken)
    {
        var (view, problem) = await LoadViewAsync(httpContext, dataSource, audit, name, cancellationToken);
        if (problem is not null) return problem;
        var text = new StringWriter(CultureInfo.InvariantCulture);
        await ScanCsv.WriteScanAsync(text, view!, cancellationToken);
        return Csv(text.ToString(), $"wijkscan-{view!.Scan.Name}.csv");
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetScanAreas(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string name, CancellationToken cancellationToken)
    {
        var store = new ScanStore(dataSource);
        var header = ScanNames.IsValid(name) ? await store.HeaderAsync(name, httpContext.GetCallerScope().SqlScope, cancellationToken) : null;
        await audit.WriteAsync(httpContext, new AuditRead(header?.SubAreas ?? 0) { Area = header?.ParentCode });
        if (header is null) return NoScan();
        return TypedResults.Text(await store.AreasGeoJsonAsync(header.Id, cancellationToken), "application/geo+json");
    }

    internal static async Task<IResult> GetReport(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, ScanReportRenderer renderer, string name, string? lang, CancellationToken cancellationToken)
    {
        if (lang is not null and not ("nl" or "en"))
            return Problems.BadRequest("Invalid language", "Parameter 'lang' must be 'nl' (default) or 'en'.");
        var (view, problem) = await LoadViewAsync(httpContext, dataSource, audit, name, cancellationToken);
        if (problem is not null) return problem;
        var pdf = await renderer.RenderAsync(view!, lang ?? "nl", cancellationToken);
        return TypedResults.File(pdf, "application/pdf", $"wijkscan-{view!.Scan.Name}.pdf");
    }

    internal static async Task<Results<Ok<ScanVerification>, ProblemHttpResult>> VerifyScan(
        HttpContext httpContext, NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        var store = new ScanStore(dataSource);
        var header = ScanNames.IsValid(name) ? await store.HeaderAsync(name, httpContext.GetCallerScope().SqlScope, cancellationToken) : null;
        if (header is null) return NoScan();
        return TypedResults.Ok(await store.VerifyAsync(header, cancellationToken));
    }

    internal static async Task<Results<Ok<ScanHeader>, ProblemHttpResult>> MarkBaseline(
        HttpContext httpContext, NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        var store = new ScanStore(dataSource);
        var header = ScanNames.IsValid(name) ? await store.HeaderAsync(name, httpContext.GetCallerScope().SqlScope, cancellationToken) : null;
        if (header is null) return NoScan();
        await store.SetBaselineAsync(name, cancellationToken);
        return TypedResults.Ok((await store.HeaderAsync(name, null, cancellationToken))!);
    }

    internal static async Task<Results<Ok<ComparisonView>, ProblemHttpResult>> GetComparison(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string name, string? baseline, CancellationToken cancellationToken)
    {
        var (comparison, problem) = await CompareAsync(httpContext, dataSource, audit, name, baseline, cancellationToken);
        return problem ?? (Results<Ok<ComparisonView>, ProblemHttpResult>)TypedResults.Ok(comparison!);
    }

    internal static async Task<IResult> GetComparisonCsv(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string name, string? baseline, CancellationToken cancellationToken)
    {
        var scope = httpContext.GetCallerScope();
        if (scope.Suppressed)
            return TypedResults.Problem(title: "Forbidden", statusCode: StatusCodes.Status403Forbidden,
                detail: "The comparison CSV carries exact counts; suppressed callers read GET /api/scans/{name}/comparison.");
        var (comparison, problem, changes) = await CompareRawAsync(httpContext, dataSource, audit, name, baseline, cancellationToken);
        if (problem is not null) return problem;
        var text = new StringWriter(CultureInfo.InvariantCulture);
        await ScanCsv.WriteComparisonAsync(text, changes!, cancellationToken);
        return Csv(text.ToString(), $"wijkscan-{comparison!.Later.Name}-vs-{comparison.Baseline.Name}.csv");
    }

    private static async Task<(ScanView? View, ProblemHttpResult? Problem)> LoadViewAsync(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string name, CancellationToken cancellationToken)
    {
        var scope = httpContext.GetCallerScope();
        var scan = ScanNames.IsValid(name) ? await new ScanStore(dataSource).GetAsync(name, scope.SqlScope, cancellationToken) : null;
        await audit.WriteAsync(httpContext, new AuditRead(scan?.Rows.Count ?? 0) { Area = scan?.Header.ParentCode });
        return scan is null ? (null, NoScan()) : (ScanViews.Create(scan, scope), null);
    }

    private static async Task<(ComparisonView? View, ProblemHttpResult? Problem)> CompareAsync(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string name, string? baseline, CancellationToken cancellationToken)
    {
        var (view, problem, _) = await CompareRawAsync(httpContext, dataSource, audit, name, baseline, cancellationToken);
        return (view, problem);
    }

    private static async Task<(ComparisonView? View, ProblemHttpResult? Problem, IReadOnlyList<ScanChange>? Changes)> CompareRawAsync(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string name, string? baselineName, CancellationToken cancellationToken)
    {
        var scope = httpContext.GetCallerScope();
        var store = new ScanStore(dataSource);
        var later = ScanNames.IsValid(name) ? await store.GetAsync(name, scope.SqlScope, cancellationToken) : null;
        if (later is null)
        {
            await audit.WriteAsync(httpContext, new AuditRead(0));
            return (null, NoScan(), null);
        }
        if (baselineName is not null && !ScanNames.IsValid(baselineName))
            return (null, Problems.BadRequest("Invalid baseline", "Parameter 'baseline' must be a scan name."), null);
        baselineName ??= await store.BaselineOfAsync(later.Header, cancellationToken);
        if (baselineName is null)
            return (null, Problems.NotFound($"No nulmeting is marked for {later.Header.ParentCode} ({later.Header.Level}); mark one with POST /api/scans/{{name}}/baseline or pass ?baseline=."), null);
        var baseline = await store.GetAsync(baselineName, scope.SqlScope, cancellationToken);
        if (baseline is null) return (null, Problems.NotFound($"No scan named '{baselineName}'."), null);
        if (baseline.Header.ParentCode != later.Header.ParentCode || baseline.Header.Level != later.Header.Level)
            return (null, Problems.BadRequest("Scans not comparable",
                $"A comparison needs two scans of the same parent and level; '{baseline.Header.Name}' is {baseline.Header.ParentCode}/{baseline.Header.Level}, '{later.Header.Name}' is {later.Header.ParentCode}/{later.Header.Level}."), null);
        var changes = await store.CompareAsync(baseline, later, cancellationToken);
        await audit.WriteAsync(httpContext, new AuditRead(changes.Count) { Area = later.Header.ParentCode });
        var shown = changes.Select(c =>
        {
            var baselineShown = Shown(c.BaselineCount, c.BaselineKeySum, scope);
            var laterShown = Shown(c.LaterCount, c.LaterKeySum, scope);
            return new ChangeView(c.BaselineCodes, c.LaterCodes, c.Name, c.Match, c.Class, baselineShown, laterShown,
                Ratio(c.BaselineRr, c.BaselineCount, baselineShown, scope), Ratio(c.LaterRr, c.LaterCount, laterShown, scope),
                RatioOfRatios(c.RrRatio, c.LaterCount, laterShown, c.BaselineCount, baselineShown, scope),
            // The test's p comes from the exact counts and, next to rounded counts, would let a viewer
            // work the withheld ones back out: suppressed callers get the class only.
                scope.Suppressed ? null : c.P, scope.Suppressed ? null : c.PAdjusted);
        }).ToList();
        var classes = changes.GroupBy(c => c.Class).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return (new ComparisonView(baseline.Header, later.Header, scope.Suppressed, shown, classes), null, changes);
    }

    private static ShownCount? Shown(long? n, long keySum, CallerScope scope)
    {
        if (n is null) return null;
        var s = Suppression.Count(n.Value, keySum, scope);
        return new ShownCount(s.Value, s.Suppressed);
    }

    /// <summary>Suppressed callers get ratios of the published counts, to one decimal (<see cref="ShownCount.Rescale"/>).</summary>
    private static double? Ratio(double? value, long? exact, ShownCount? shown, CallerScope scope) =>
        !scope.Suppressed ? value : OneDecimal(shown?.Rescale(value, exact ?? 0));

    /// <summary>The later unit's ratio over the baseline's: scaled up by the later count, down by the baseline's.</summary>
    private static double? RatioOfRatios(double? value, long? laterExact, ShownCount? laterShown, long? baselineExact, ShownCount? baselineShown, CallerScope scope) =>
        !scope.Suppressed ? value : OneDecimal(baselineShown?.Rescale(laterShown?.Rescale(value, laterExact ?? 0), baselineExact ?? 0, inverse: true));

    private static double? OneDecimal(double? value) => value is { } v ? Math.Round(v, 1) : null;

    private static ProblemHttpResult NoScan() => Problems.NotFound("No stored scan with that name.");

    private static FileContentHttpResult Csv(string text, string fileName) =>
        TypedResults.File(Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", fileName);

    private static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
        && date.Year is >= 2000 and <= 2100;

    private static DateOnly Today() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Europe/Amsterdam"));
}
