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
        var group = app.MapGroup("/api/areas").WithTags("Areas");
        group.MapGet("/", ListAreas).WithSummary("Current areas as a GeoJSON FeatureCollection (WGS84), optionally of one kind");
        group.MapGet("/{code}", GetArea).WithSummary("One area with its attributes");
        return app;
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> ListAreas(
        HttpContext httpContext, NpgsqlDataSource dataSource, string? kind, CancellationToken cancellationToken)
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
        var json = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        return TypedResults.Text(json, GeoJson);
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetArea(
        HttpContext httpContext, NpgsqlDataSource dataSource, string code, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SqlResource.Load(typeof(AreaEndpoints).Assembly, "Areas.get.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(ScopeParameter(httpContext));
        // Outside the caller's scope and non-existent look the same: no oracle for what exists elsewhere.
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? TypedResults.Text(json, GeoJson)
            : Problems.NotFound(AreaCode.IsWellFormed(code) ? $"No current area with code '{code}'." : "No current area with that code.");
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
