using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Areas;
using GeoRisk.Data.Areas;
using GeoRisk.Data.Reference;
using Npgsql;

namespace GeoRisk.Api.Endpoints;

public static class AreaEndpoints
{
    private const string GeoJson = "application/geo+json";

    public static IEndpointRouteBuilder MapAreaEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/areas").WithTags("Areas").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/", ListAreas).WithSummary("Current areas as a GeoJSON FeatureCollection (WGS84), optionally of one kind");
        group.MapGet("/{code}", GetArea).WithSummary("One area with its attributes");
        return app;
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> ListAreas(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string? kind, CancellationToken cancellationToken)
    {
        if (kind is not null)
        {
            var kinds = await new ReferenceStore(dataSource).AreaKindCodesAsync(cancellationToken);
            if (!kinds.Contains(kind))
                return Problems.BadRequest("Unknown area kind",
                    $"Parameter 'kind' must be one of: {string.Join(", ", kinds)}.",
                    new Dictionary<string, object?> { ["valid_kinds"] = kinds });
        }
        var (json, features) = await new AreaStore(dataSource).ListGeoJsonAsync(kind, httpContext.GetCallerScope().SqlScope, cancellationToken);
        await audit.WriteAsync(httpContext, new AuditRead(features));
        return TypedResults.Text(json, GeoJson);
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetArea(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string code, CancellationToken cancellationToken)
    {
        var found = await new AreaStore(dataSource).GetGeoJsonAsync(code, httpContext.GetCallerScope().SqlScope, cancellationToken);
        // Misses are accounted for too (0 rows): probing for areas outside the scope shows in the log.
        await audit.WriteAsync(httpContext, AuditRead.ForArea(AreaCode.IsWellFormed(code) ? code : "(malformed)", found is null ? 0 : 1));
        // Outside the caller's scope and non-existent look the same: no oracle for what exists elsewhere.
        return found is string json
            ? TypedResults.Text(json, GeoJson)
            : Problems.NotFound("No current area with that code.");
    }
}
