using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Areas;
using GeoRisk.Data;
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
            var kinds = await AreaKindsAsync(dataSource, cancellationToken);
            if (!kinds.Contains(kind))
                return Problems.BadRequest("Unknown area kind",
                    $"Parameter 'kind' must be one of: {string.Join(", ", kinds)}.",
                    new Dictionary<string, object?> { ["valid_kinds"] = kinds });
        }
        await using var command = dataSource.CreateCommand(SqlResource.Load(typeof(AreaEndpoints).Assembly, "Areas.list.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)kind ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(ScopeParameter(httpContext));
        string json;
        long features;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (json, features) = (reader.GetString(0), reader.GetInt64(1));
        }
        await audit.WriteAsync(httpContext, new AuditRead(features));
        return TypedResults.Text(json, GeoJson);
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetArea(
        HttpContext httpContext, NpgsqlDataSource dataSource, AuditLog audit, string code, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SqlResource.Load(typeof(AreaEndpoints).Assembly, "Areas.get.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(ScopeParameter(httpContext));
        var found = await command.ExecuteScalarAsync(cancellationToken) as string;
        // Misses are accounted for too (0 rows): probing for areas outside the scope shows in the log.
        await audit.WriteAsync(httpContext, AuditRead.ForArea(AreaCode.IsWellFormed(code) ? code : "(malformed)", found is null ? 0 : 1));
        // Outside the caller's scope and non-existent look the same: no oracle for what exists elsewhere.
        return found is string json
            ? TypedResults.Text(json, GeoJson)
            : Problems.NotFound("No current area with that code.");
    }

    internal static NpgsqlParameter ScopeParameter(HttpContext httpContext) => new()
    {
        Value = (object?)httpContext.GetCallerScope().SqlScope ?? DBNull.Value,
        NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text,
    };

    private static async Task<List<string>> AreaKindsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT code FROM area_kind ORDER BY code");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var kinds = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) kinds.Add(reader.GetString(0));
        return kinds;
    }
}
