using System.Globalization;
using System.Text;
using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Hexagons;
using GeoRisk.Core.Intake;
using GeoRisk.Core.Ports;
using GeoRisk.Data.Ports;
using GeoRisk.Data.Scoring;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// Port programmes (docs/ports.md): intake of camera registries, incident datasets and
/// obstacles; coverage of an area by active camera views; camera siting (greedy max coverage);
/// cameras and incidents for the map; the monthly series per mainport. Cameras and incidents
/// belong to a programme (a casustafel id): members see their own programmes' only, viewers
/// only shares and rounded counts.
/// </summary>
public static partial class PortEndpoints
{
    private const int MaxSites = 20_000;
    private const int MaxCandidates = 200_000;
    private const int DefaultCellSize = 100;

    public static IEndpointRouteBuilder MapPortEndpoints(this IEndpointRouteBuilder app)
    {
        var ports = app.MapGroup("/api/ports").WithTags("Ports");
        ports.MapPost("/cameras/import", ImportCameras).RequireAuthorization(AccessPolicies.Analyst).DisableAntiforgery()
            .WithSummary("Import a programme's camera registry (CSV or GeoJSON points): ?programme=&crs=&mode=atomic|partial");
        ports.MapPost("/incidents/import", ImportIncidents).RequireAuthorization(AccessPolicies.Analyst).DisableAntiforgery()
            .WithSummary("Import an incident dataset (CSV points, GeoJSON points/polygons): ?programme=&dataset=&name=&crs=&mode=");
        ports.MapPost("/obstacles/import", ImportObstacles).RequireAuthorization(AccessPolicies.Analyst).DisableAntiforgery()
            .WithSummary("Import obstacles (GeoJSON building footprints, e.g. a BAG extract): views behind them are clipped");
        ports.MapGet("/coverage", GetCoverage).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("Share of incidents, signals and risk inside camera views active at the time: ?area=&programme=&from=&to=&category=&cell=&format=json|csv");
        ports.MapPost("/siting", PostSiting).RequireAuthorization(AccessPolicies.Member)
            .WithSummary("Recommend camera sites and headings that cover the most uncovered risk (greedy max coverage, ≥ (1−1/e) of the optimum)");
        ports.MapGet("/cameras", GetCameras).RequireAuthorization(AccessPolicies.Member)
            .WithSummary("Cameras of the caller's programmes in an area (GeoJSON; view clipped by obstacles as a property)");
        ports.MapGet("/incidents", GetIncidents).RequireAuthorization(AccessPolicies.Member)
            .WithSummary("Incidents of the caller's programmes in an area (GeoJSON, gated properties, counts per kind): ?area=&kind=&from=&to=");
        ports.MapGet("/series", GetSeries).RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("Signals and incidents per mainport and month (waterbed chart): ?from=&to=");
        return app;
    }

    // ---- intake ----------------------------------------------------------------------------

    internal static Task<IResult> ImportCameras(HttpContext http, NpgsqlDataSource db, IOptions<IntakeOptions> limits, ILogger<PortImporter> logger,
        string? programme, string? crs, string? mode, CancellationToken cancellationToken) =>
        ImportAsync(http, limits, logger, "cameras", programme, crs, mode,
            (body, p, srid, m) => new PortImporter(db).ImportCamerasAsync(body, p, srid, m, cancellationToken), cancellationToken);

    internal static Task<IResult> ImportIncidents(HttpContext http, NpgsqlDataSource db, IOptions<IntakeOptions> limits, ILogger<PortImporter> logger,
        string? programme, string? dataset, string? name, string? crs, string? mode, CancellationToken cancellationToken)
    {
        if (!PortFileReader.IsProgrammeCode(dataset))
            return Task.FromResult<IResult>(Problems.BadRequest("Invalid dataset", "Parameter 'dataset' names the incident dataset: a code of lower-case letters, digits, '_' or '-' (e.g. incidenten-2026)."));
        if (name is not null && (name.Length > 200 || PrivacyGateFinds(name)))
            return Task.FromResult<IResult>(Problems.BadRequest("Invalid name", "Parameter 'name' must be at most 200 characters without personal data."));
        return ImportAsync(http, limits, logger, "incidents", programme, crs, mode,
            (body, p, srid, m) => new PortImporter(db).ImportIncidentsAsync(body, p, dataset!, name, srid, m, cancellationToken), cancellationToken);
    }

    internal static Task<IResult> ImportObstacles(HttpContext http, NpgsqlDataSource db, IOptions<IntakeOptions> limits, ILogger<PortImporter> logger,
        string? programme, string? crs, string? mode, CancellationToken cancellationToken) =>
        ImportAsync(http, limits, logger, "obstacles", programme, crs, mode,
            (body, p, srid, m) => new PortImporter(db).ImportObstaclesAsync(body, p, srid, m, cancellationToken), cancellationToken);

    private static async Task<IResult> ImportAsync(HttpContext http, IOptions<IntakeOptions> limits, ILogger logger, string what,
        string? programme, string? crs, string? mode, Func<Stream, string, int?, ImportMode, Task<PortImportResult>> import, CancellationToken cancellationToken)
    {
        if (!PortFileReader.IsProgrammeCode(programme))
            return Problems.BadRequest("Invalid programme", "Parameter 'programme' must be the casustafel id of the programme that owns the data (e.g. westelijk-havengebied).");
        if (!ImportModes.TryParse(mode, out var importMode))
            return Problems.BadRequest("Invalid mode", "Parameter 'mode' must be atomic (default) or partial.");
        if (!IntakeEndpoints.TryParseCrs(crs, out var srid))
            return Problems.BadRequest("Invalid crs", "Parameter 'crs' must be 28992 (RD New) or 4326 (WGS84).");
        var (body, problem) = await IntakeEndpoints.ReadBodyAsync(http, limits.Value.MaxUploadBytes, cancellationToken);
        if (problem is not null) return problem;
        PortImportResult result;
        try
        {
            result = await import(body!, programme!, srid, importMode);
        }
        catch (IntakeFormatException e)
        {
            return IntakeEndpoints.Unreadable(e);
        }
        catch (PortImportRefusedException e)
        {
            return Problems.BadRequest("Import refused", e.Message + " Nothing was written.");
        }
        LogImport(logger, what, result.Mode, result.Rows, result.Inserted, result.Updated, result.Unchanged, result.RejectedRows, result.ViewsRecomputed);
        return result.Written
            ? TypedResults.Ok(result)
            : IntakeEndpoints.Rejected(result.Rejections, result.RejectedRows,
                $"{result.RejectedRows} of {result.Rows} rows were rejected; in atomic mode nothing was written (mode=partial writes the valid rows).", result);
    }

    // ---- coverage --------------------------------------------------------------------------

    internal static async Task<IResult> GetCoverage(HttpContext http, NpgsqlDataSource db, AuditLog audit, string? area, string? programme,
        string? from, string? to, string? category, int? cell, string? format, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(area)) return Problems.BadRequest("Missing area", "Parameter 'area' is the code of the area (e.g. MP-WESTHAVEN).");
        if (format is not (null or "json" or "csv")) return Problems.BadRequest("Invalid format", "Parameter 'format' must be json (default) or csv.");
        var size = cell ?? DefaultCellSize;
        if (!HexGrid.Sizes.Contains(size))
            return Problems.BadRequest("Invalid cell size", $"Parameter 'cell' must be one of {string.Join(", ", HexGrid.Sizes)} (metres; hexagons of the hot-spot analysis).");
        if (RiskEndpoints.ParsePeriod(from, to, out var start, out var end) is { } invalid) return invalid;
        var analysis = new AreaAnalysisStore(db);
        if (category is not null && !await analysis.CategoryExistsAsync(category, cancellationToken))
            return Problems.BadRequest("Unknown category", "Parameter 'category' must be one of the codes of GET /api/categories.");
        var scope = http.GetCallerScope();
        var store = new PortStore(db);
        var (programmes, refused) = await ProgrammesAsync(store, programme, scope, allowOthers: scope.Suppressed || scope.Casustafels is null, cancellationToken);
        if (refused is not null) return refused;
        if (!await store.AreaInScopeAsync(area, scope, cancellationToken))
        {
            await audit.WriteAsync(http, AuditRead.ForArea(RiskEndpoints.AuditArea(area), 0));
            return Problems.NotFound("No current area with that code.");
        }
        var hotspots = await analysis.HotspotsAsync(area, size, start, end, category, 1, scope, cancellationToken);
        var report = await store.CoverageAsync(area, programmes, start, end, category, size, hotspots, scope, cancellationToken);
        await audit.WriteAsync(http, AuditRead.ForArea(area, report.Monthly.Count) with { Layer = "coverage" });
        if (format == "csv")
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"dekking-{area}-{start:yyyy-MM-dd}-{end:yyyy-MM-dd}.csv\"";
            return TypedResults.Text(CoverageCsv(report), "text/csv; charset=utf-8");
        }
        return TypedResults.Ok(report);
    }

    internal static string CoverageCsv(CoverageReport report)
    {
        var csv = new StringBuilder("section,key,total,covered,share,active_cameras\n");
        static string N(double? v) => v is null ? "" : v.Value.ToString("0.####", CultureInfo.InvariantCulture);
        void Line(string section, string? key, CoverageShare s, long? cameras = null) =>
            csv.Append(section).Append(',').Append(key).Append(',').Append(N(s.Total)).Append(',').Append(N(s.Covered)).Append(',')
               .Append(N(s.Share)).Append(',').Append(cameras?.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Line("signals", null, report.Signals);
        Line("incidents", null, report.Incidents);
        csv.Append("risk,,").Append(N(report.Risk.Total)).Append(',').Append(N(report.Risk.Covered)).Append(',').Append(N(report.Risk.Share)).Append(",\n");
        foreach (var c in report.Categories) Line("category", c.Key, c);
        foreach (var k in report.IncidentKinds) Line("incident_kind", k.Key, k);
        foreach (var m in report.Monthly)
        {
            Line("month_signals", m.Month, m.Signals, m.ActiveCameras);
            Line("month_incidents", m.Month, m.Incidents, m.ActiveCameras);
        }
        foreach (var h in report.UncoveredHotspots)
            csv.Append("uncovered_hotspot,").Append(h.Q).Append(' ').Append(h.R).Append(' ').Append(h.Class).Append(',')
               .Append(N(h.Signals)).Append(",,").Append(N(h.CoveredShare)).Append(",\n");
        return csv.ToString();
    }

    // ---- siting ----------------------------------------------------------------------------

    /// <summary>Body of POST /api/ports/siting. Sites: uploaded points (x/y in <c>crs</c>) or, when absent, a grid at <c>spacing</c> metres inside the area.</summary>
    public sealed record SitingRequest(string? Area, string? Programme, string? From, string? To, string? Target, int? Budget,
        double? Fov, double? Range, int? Headings, double? Spacing, string? Crs, IReadOnlyList<SitingSite>? Sites);

    public sealed record SitingSite(string? Id, double? X, double? Y);

    public sealed record SitingPick(int Rank, string Site, double X, double Y, double Lon, double Lat, double Heading, double Gain, double Cumulative, double CumulativeShare);

    public sealed record SitingResponse(string Area, IReadOnlyList<string>? Programmes, DateOnly From, DateOnly To, string Target, int Budget,
        double Fov, double Range, int Headings, string SiteSource, int CandidateSites, int Candidates, int DemandPoints, double UncoveredTotal,
        double Coverable, double Covered, double UpperBound, double GreedyGuarantee, string Guarantee, int Evaluations,
        IReadOnlyList<SitingPick> Picks, object Sectors);

    internal static async Task<IResult> PostSiting(HttpContext http, NpgsqlDataSource db, AuditLog audit, SitingRequest? request, CancellationToken cancellationToken)
    {
        if (request is null) return Problems.BadRequest("Missing body", "Send a JSON object: {\"area\": \"MP-WESTHAVEN\", \"budget\": 5, \"fov\": 90, \"range\": 150, \"spacing\": 100}.");
        if (string.IsNullOrWhiteSpace(request.Area)) return Problems.BadRequest("Missing area", "'area' is the code of the area to site cameras in.");
        var budget = request.Budget ?? 5;
        if (budget is < 1 or > 50) return Problems.BadRequest("Invalid budget", "'budget' (number of cameras) must be between 1 and 50.");
        var fov = request.Fov ?? 90;
        if (fov is < 1 or > 360) return Problems.BadRequest("Invalid fov", "'fov' (field of view, degrees) must be between 1 and 360.");
        var range = request.Range ?? 150;
        if (range is < 1 or > 2000) return Problems.BadRequest("Invalid range", "'range' (metres) must be between 1 and 2000.");
        var headings = request.Headings ?? 8;
        if (headings is < 1 or > 36) return Problems.BadRequest("Invalid headings", "'headings' (orientations tried per site) must be between 1 and 36.");
        var target = request.Target ?? "risk";
        if (target is not ("risk" or "incidents")) return Problems.BadRequest("Invalid target", "'target' must be risk (weighted uncovered signals, default) or incidents.");
        if (RiskEndpoints.ParsePeriod(request.From, request.To, out var start, out var end) is { } invalid) return invalid;
        var scope = http.GetCallerScope();
        var store = new PortStore(db);
        var (programmes, refused) = await ProgrammesAsync(store, request.Programme, scope, allowOthers: scope.Casustafels is null, cancellationToken);
        if (refused is not null) return refused;
        if (!await store.AreaInScopeAsync(request.Area, scope, cancellationToken))
        {
            await audit.WriteAsync(http, AuditRead.ForArea(RiskEndpoints.AuditArea(request.Area), 0));
            return Problems.NotFound("No current area with that code.");
        }

        List<CandidateSite> sites;
        string source;
        if (request.Sites is { Count: > 0 } uploaded)
        {
            if (uploaded.Count > MaxSites) return Problems.BadRequest("Too many sites", $"At most {MaxSites} candidate sites per run.");
            var srid = Crs.Parse(request.Crs ?? "28992");
            if (srid is null) return Problems.BadRequest("Invalid crs", "'crs' must be 28992 (RD New, default) or 4326 (WGS84: x = lon, y = lat).");
            var raw = new List<(string, double, double)>();
            for (var i = 0; i < uploaded.Count; i++)
            {
                var s = uploaded[i];
                if (s.X is not { } x || s.Y is not { } y || NetherlandsBounds.Check(x, y, srid.Value, "x", "y") is not null)
                    return Problems.BadRequest("Invalid site", $"Site {i + 1} needs x and y inside the Netherlands in EPSG:{srid}.");
                var id = string.IsNullOrWhiteSpace(s.Id) ? $"S{i + 1}" : s.Id.Trim();
                if (id.Length > 100 || PrivacyGateFinds(id)) return Problems.BadRequest("Invalid site", $"Site {i + 1}: the id must be at most 100 characters without personal data.");
                raw.Add((id, x, y));
            }
            sites = await store.ToRdAsync(raw, srid.Value, cancellationToken);
            source = "uploaded";
        }
        else
        {
            var spacing = request.Spacing ?? 100;
            if (spacing is < 10 or > 5000) return Problems.BadRequest("Invalid spacing", "'spacing' (metres between grid sites) must be between 10 and 5000.");
            sites = await store.GridSitesAsync(request.Area, spacing, MaxSites, cancellationToken);
            if (sites.Count > MaxSites) return Problems.BadRequest("Too many sites", $"A grid at {spacing} m gives more than {MaxSites} sites in this area; use a larger spacing.");
            source = $"grid {spacing.ToString(CultureInfo.InvariantCulture)} m";
        }
        if ((long)sites.Count * (fov >= 360 ? 1 : headings) > MaxCandidates)
            return Problems.BadRequest("Too many candidates", $"sites × headings may be at most {MaxCandidates}; use fewer headings or sites.");

        var demand = await store.DemandAsync(request.Area, programmes, start, end, target == "incidents", scope, cancellationToken);
        var (candidates, covers) = SitingInstance.Build(sites, demand, headings, fov, range);
        var solution = MaxCoverage.Greedy(covers, demand.Select(d => d.Weight).ToArray(), budget);
        var uncovered = demand.Sum(d => d.Weight);
        var chosen = solution.Picks.Select(p => (sites[candidates[p.Candidate].Site].X, sites[candidates[p.Candidate].Site].Y, candidates[p.Candidate].HeadingDeg)).ToList();
        var sectors = await store.SectorsAsync(chosen, fov, range, cancellationToken);
        var picks = solution.Picks.Select((p, i) =>
        {
            var site = sites[candidates[p.Candidate].Site];
            return new SitingPick(i + 1, site.Id, Math.Round(site.X, 2), Math.Round(site.Y, 2), sectors[i].Lon, sectors[i].Lat,
                candidates[p.Candidate].HeadingDeg, Math.Round(p.Gain, 4), Math.Round(p.Cumulative, 4), uncovered > 0 ? Math.Round(p.Cumulative / uncovered, 4) : 0);
        }).ToList();
        var features = picks.Select((p, i) => new Dictionary<string, object?>
        {
            ["type"] = "Feature",
            ["geometry"] = System.Text.Json.JsonDocument.Parse(sectors[i].SectorGeoJson).RootElement,
            ["properties"] = new Dictionary<string, object?> { ["rank"] = p.Rank, ["site"] = p.Site, ["heading"] = p.Heading, ["gain"] = p.Gain },
        }).ToList();
        await audit.WriteAsync(http, AuditRead.ForArea(request.Area, picks.Count) with { Layer = "siting" });
        return TypedResults.Ok(new SitingResponse(request.Area, programmes, start, end, target, budget, fov, range, fov >= 360 ? 1 : headings, source,
            sites.Count, candidates.Count, demand.Count, Math.Round(uncovered, 4), Math.Round(solution.Coverable, 4), Math.Round(solution.Covered, 4),
            Math.Round(solution.UpperBound, 4), Math.Round(MaxCoverage.GreedyBound, 4),
            "greedy max coverage with lazy evaluation: the covered value is at least (1 - 1/e) = 63.2% of the best possible choice of the same number of cameras; upper_bound bounds that optimum from this run",
            solution.Evaluations, picks, new Dictionary<string, object?> { ["type"] = "FeatureCollection", ["features"] = features }));
    }

    // ---- map data --------------------------------------------------------------------------

    internal static async Task<IResult> GetCameras(HttpContext http, NpgsqlDataSource db, AuditLog audit, string? area, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(area)) return Problems.BadRequest("Missing area", "Parameter 'area' is the code of the area.");
        var scope = http.GetCallerScope();
        var store = new PortStore(db);
        if (!await store.AreaInScopeAsync(area, scope, cancellationToken))
        {
            await audit.WriteAsync(http, AuditRead.ForArea(RiskEndpoints.AuditArea(area), 0));
            return Problems.NotFound("No current area with that code.");
        }
        var json = await store.CamerasGeoJsonAsync(area, PortStore.VisibleProgrammes(scope), cancellationToken);
        await audit.WriteAsync(http, AuditRead.ForArea(area, CountFeatures(json)) with { Layer = "cameras" });
        return TypedResults.Text(json, "application/geo+json");
    }

    internal static async Task<IResult> GetIncidents(HttpContext http, NpgsqlDataSource db, AuditLog audit, string? area, string? kind,
        string? from, string? to, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(area)) return Problems.BadRequest("Missing area", "Parameter 'area' is the code of the area.");
        if (kind is not null && !PortFileReader.IsProgrammeCode(kind)) return Problems.BadRequest("Invalid kind", "Parameter 'kind' must be an incident kind code (e.g. uithalers).");
        DateOnly? start = null, end = null;
        if (from is not null || to is not null)
        {
            if (RiskEndpoints.ParsePeriod(from, to, out var s, out var e) is { } invalid) return invalid;
            (start, end) = (s, e);
        }
        var scope = http.GetCallerScope();
        var store = new PortStore(db);
        if (!await store.AreaInScopeAsync(area, scope, cancellationToken))
        {
            await audit.WriteAsync(http, AuditRead.ForArea(RiskEndpoints.AuditArea(area), 0));
            return Problems.NotFound("No current area with that code.");
        }
        var json = await store.IncidentsGeoJsonAsync(area, PortStore.VisibleProgrammes(scope), kind, start, end, cancellationToken);
        await audit.WriteAsync(http, AuditRead.ForArea(area, CountFeatures(json)) with { Layer = "incidents" });
        return TypedResults.Text(json, "application/geo+json");
    }

    internal static async Task<IResult> GetSeries(HttpContext http, NpgsqlDataSource db, AuditLog audit, string? from, string? to, CancellationToken cancellationToken)
    {
        if (RiskEndpoints.ParsePeriod(from, to, out var start, out var end) is { } invalid) return invalid;
        var json = await new PortStore(db).SeriesJsonAsync(start, end, http.GetCallerScope(), cancellationToken);
        await audit.WriteAsync(http, new AuditRead(1) { Layer = "port-series" });
        return TypedResults.Text(json, "application/json");
    }

    /// <summary>
    /// Which programmes' cameras and incidents count. A member asks for its own (default: all of
    /// its casustafels); asking for another is a 404 like a missing programme. Callers allowed to
    /// see others (admins, analysts; viewers for shares) may name any existing programme.
    /// </summary>
    private static async Task<(string[]? Programmes, IResult? Problem)> ProgrammesAsync(PortStore store, string? programme, GeoRisk.Core.Access.CallerScope scope,
        bool allowOthers, CancellationToken cancellationToken)
    {
        if (programme is null) return (scope.Casustafels is null || allowOthers ? null : scope.SqlScope, null);
        if (!PortFileReader.IsProgrammeCode(programme)) return (null, Problems.BadRequest("Invalid programme", "Parameter 'programme' must be a casustafel id (e.g. westelijk-havengebied)."));
        var own = scope.Casustafels?.Contains(programme) ?? true;
        if ((!own && !allowOthers) || !await store.ProgrammeExistsAsync(programme, cancellationToken))
            return (null, Problems.NotFound("No programme with that id."));
        return ([programme], null);
    }

    private static bool PrivacyGateFinds(string text) => GeoRisk.Core.Privacy.PrivacyGate.Scan(text) != GeoRisk.Core.Privacy.PersonalDataKind.None;

    private static long CountFeatures(string geojson)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(geojson);
        return doc.RootElement.GetProperty("features").GetArrayLength();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "import {What} ({Mode}): {Rows} rows, {Inserted} inserted, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected, {Views} views re-clipped")]
    private static partial void LogImport(ILogger logger, string what, string mode, int rows, int inserted, int updated, int unchanged, int rejected, int views);
}
