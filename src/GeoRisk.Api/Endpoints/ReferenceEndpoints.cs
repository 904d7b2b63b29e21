using GeoRisk.Data.Reference;
using Npgsql;

namespace GeoRisk.Api.Endpoints;

/// <summary>Code lists with Dutch and English labels: what the UI and importers may use.</summary>
public static class ReferenceEndpoints
{
    public static IEndpointRouteBuilder MapReferenceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Reference data");
        group.MapGet("/categories", GetCategories).WithSummary("Signal categories");
        group.MapGet("/sources", GetSources).WithSummary("Source partners");
        group.MapGet("/area-kinds", GetAreaKinds).WithSummary("Kinds of area");
        return app;
    }

    internal static async Task<Ok<List<Category>>> GetCategories(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        TypedResults.Ok(await new ReferenceStore(dataSource).CategoriesAsync(cancellationToken));

    internal static async Task<Ok<List<Label>>> GetSources(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        TypedResults.Ok(await new ReferenceStore(dataSource).SourcesAsync(cancellationToken));

    internal static async Task<Ok<List<Label>>> GetAreaKinds(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        TypedResults.Ok(await new ReferenceStore(dataSource).AreaKindsAsync(cancellationToken));
}
