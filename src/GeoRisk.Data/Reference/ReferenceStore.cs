using Dapper;
using Npgsql;

namespace GeoRisk.Data.Reference;

public sealed record Category(string Code, string LabelNl, string LabelEn, string DescriptionNl, string DescriptionEn);

public sealed record Label(string Code, string LabelNl, string LabelEn);

/// <summary>The code lists (categories, source partners, area kinds) in their display order.</summary>
public sealed class ReferenceStore(NpgsqlDataSource dataSource)
{
    public async Task<List<Category>> CategoriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Category>(new CommandDefinition(
            "SELECT code, label_nl AS LabelNl, label_en AS LabelEn, description_nl AS DescriptionNl, description_en AS DescriptionEn FROM category ORDER BY sort_order, code",
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public Task<List<Label>> SourcesAsync(CancellationToken cancellationToken) =>
        LabelsAsync("SELECT code, label_nl AS LabelNl, label_en AS LabelEn FROM source_partner ORDER BY sort_order, code", cancellationToken);

    public Task<List<Label>> AreaKindsAsync(CancellationToken cancellationToken) =>
        LabelsAsync("SELECT code, label_nl AS LabelNl, label_en AS LabelEn FROM area_kind ORDER BY code", cancellationToken);

    /// <summary>The category codes, for validating a caller's filter.</summary>
    public Task<List<string>> CategoryCodesAsync(CancellationToken cancellationToken) =>
        CodesAsync("SELECT code FROM category ORDER BY sort_order, code", cancellationToken);

    /// <summary>The area kind codes, for validating a caller's filter.</summary>
    public Task<List<string>> AreaKindCodesAsync(CancellationToken cancellationToken) =>
        CodesAsync("SELECT code FROM area_kind ORDER BY code", cancellationToken);

    private async Task<List<Label>> LabelsAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Label>(new CommandDefinition(sql, cancellationToken: cancellationToken))).AsList();
    }

    private async Task<List<string>> CodesAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var codes = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) codes.Add(reader.GetString(0));
        return codes;
    }
}
