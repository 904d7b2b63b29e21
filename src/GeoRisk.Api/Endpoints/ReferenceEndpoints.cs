using Dapper;
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

    public sealed record Category(string Code, string LabelNl, string LabelEn, string DescriptionNl, string DescriptionEn);
    public sealed record Label(string Code, string LabelNl, string LabelEn);

    internal static async Task<Ok<List<Category>>> GetCategories(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Category>(new CommandDefinition(
            "SELECT code, label_nl AS LabelNl, label_en AS LabelEn, description_nl AS DescriptionNl, description_en AS DescriptionEn FROM category ORDER BY sort_order, code",
            cancellationToken: cancellationToken));
        return TypedResults.Ok(rows.AsList());
    }

    internal static async Task<Ok<List<Label>>> GetSources(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LabelsAsync(dataSource, "SELECT code, label_nl AS LabelNl, label_en AS LabelEn FROM source_partner ORDER BY sort_order, code", cancellationToken));

    internal static async Task<Ok<List<Label>>> GetAreaKinds(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LabelsAsync(dataSource, "SELECT code, label_nl AS LabelNl, label_en AS LabelEn FROM area_kind ORDER BY code", cancellationToken));

    private static async Task<List<Label>> LabelsAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Label>(new CommandDefinition(sql, cancellationToken: cancellationToken))).AsList();
    }
}
