using GeoRisk.Core.Intake;

namespace GeoRisk.Data.Intake;

public sealed record WaterImportResult(int Features, int Inserted, int Replaced, int Repaired, bool Written, IReadOnlyList<Rejection> Rejections);

/// <summary>
/// Imports open-water polygons (context_water) from GeoJSON, all or nothing: a file with one
/// unreadable, misplaced or personal-data feature writes nothing and names every such row.
/// Read and checked like area boundaries (codes, names, CRS, repair), but water is never an area:
/// it is only drawn under the context lines of cut-outs without a basemap.
/// </summary>
public sealed class WaterImporter(Npgsql.NpgsqlDataSource dataSource)
{
    private static readonly string StageSql = SignalImporter.Sql("WaterImporter.stage.sql");
    private static readonly string WriteSql = SignalImporter.Sql("WaterImporter.write.sql");

    public async Task<WaterImportResult> ImportAsync(Stream file, string codeField, string nameField, int? crs, CancellationToken cancellationToken)
    {
        var (format, sniffed) = IntakeStreams.Sniff(file);
        if (format != IntakeFormat.GeoJson)
            throw new IntakeFormatException("a water file must be a GeoJSON FeatureCollection (it does not start with '{')");
        using var document = IntakeStreams.ParseJson(sniffed);
        var (features, rejections) = AreaFileReader.Read(document.RootElement, new AreaIntakeOptions("water", codeField, nameField, null, crs));
        var total = features.Count + rejections.Select(r => r.Row).Distinct().Count();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SignalImporter.ExecuteAsync(connection, StageSql, cancellationToken,
            features.Select(f => f.Row).ToArray(), features.Select(f => f.Code).ToArray(), features.Select(f => f.Name).ToArray(),
            features.Select(f => f.GeometryJson).ToArray(), features.Select(f => f.Srid).ToArray());
        var repaired = 0;
        await using (var report = SignalImporter.ImportCommand("SELECT row_no, error, repaired FROM water_stage WHERE error IS NOT NULL OR repaired ORDER BY row_no", connection))
        await using (var reader = await report.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.IsDBNull(1)) rejections.Add(AreaVersioning.GeometryRejection(reader.GetInt32(0), reader.GetString(1)));
                else repaired++;
            }
        }
        rejections.Sort((a, b) => a.Row.CompareTo(b.Row));
        if (rejections.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new WaterImportResult(total, 0, 0, repaired, false, rejections);
        }
        int inserted = 0, replaced = 0;
        await using (var write = SignalImporter.ImportCommand(WriteSql, connection))
        await using (var reader = await write.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetBoolean(0)) inserted++; else replaced++;
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return new WaterImportResult(total, inserted, replaced, repaired, true, rejections);
    }
}
