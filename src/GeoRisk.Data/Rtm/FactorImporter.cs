using GeoRisk.Core.Intake;
using GeoRisk.Core.Ports;
using GeoRisk.Data.Ports;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Rtm;

/// <summary>
/// Risk-factor layers through the overlay intake path: an overlay dataset with layer 'factor'
/// and a factor kind, its features read and gated by <see cref="PortFileReader"/> (same rows,
/// rejections and privacy gate as incidents), written in one transaction, atomic or partial,
/// upserted on (dataset, feature id) so a re-import changes nothing.
/// </summary>
public sealed class FactorImporter(NpgsqlDataSource dataSource)
{
    public async Task<PortImportResult> ImportAsync(Stream file, string programme, string dataset, string kind, string? name, int? crs,
        ImportMode mode, CancellationToken cancellationToken)
    {
        var (features, rejections, rows) = PortFileReader.ReadFactorFeatures(file, crs);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PortImporter.RequireProgrammeAsync(connection, programme, cancellationToken);
        await using (var known = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM rtm_factor_kind WHERE code = $1)", connection, transaction))
        {
            known.Parameters.Add(new NpgsqlParameter { Value = kind });
            if (!(bool)(await known.ExecuteScalarAsync(cancellationToken))!)
                throw new PortImportRefusedException($"there is no factor kind '{kind}'; GET /api/rtm/factor-kinds lists them (admins add kinds)");
        }
        await transaction.SaveAsync(PortImporter.Unchanged, cancellationToken);
        await using (var ds = new NpgsqlCommand("""
            INSERT INTO overlay_dataset (code, name, programme, layer, factor_kind) VALUES ($1, $2, $3, 'factor', $4)
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name WHERE overlay_dataset.name IS DISTINCT FROM EXCLUDED.name AND $5
            """, connection, transaction))
        {
            ds.Parameters.Add(new NpgsqlParameter { Value = dataset });
            ds.Parameters.Add(new NpgsqlParameter { Value = name ?? dataset });
            ds.Parameters.Add(new NpgsqlParameter { Value = programme });
            ds.Parameters.Add(new NpgsqlParameter { Value = kind });
            ds.Parameters.Add(new NpgsqlParameter { Value = name is not null });
            await ds.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var owner = new NpgsqlCommand("SELECT programme, layer, factor_kind FROM overlay_dataset WHERE code = $1", connection, transaction))
        {
            owner.Parameters.Add(new NpgsqlParameter { Value = dataset });
            await using var reader = await owner.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetString(0) != programme || reader.GetString(1) != "factor" || reader.IsDBNull(2) || reader.GetString(2) != kind)
                throw new PortImportRefusedException($"dataset '{dataset}' belongs to another programme or is not a '{kind}' factor layer; choose another dataset code");
        }
        var shaped = features.Where(f => f.GeometryJson is not null).ToList();
        var bad = await CheckGeometriesAsync(connection, transaction, shaped, cancellationToken);
        if (bad.Count > 0)
        {
            rejections.AddRange(bad);
            var badRows = bad.Select(b => b.Row).ToHashSet();
            features = features.Where(f => !badRows.Contains(f.Row)).ToList();
        }
        if (rejections.Count > 0 && mode == ImportMode.Atomic)
            return PortImporter.Result("factors", programme, mode, rows, 0, 0, 0, rejections, false, 0);
        await using var command = new NpgsqlCommand(SqlResource.Load(typeof(FactorImporter).Assembly, "Rtm.factors_upsert.sql"), connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = dataset });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = features.Select(f => f.ExternalId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = features.Select(f => f.X).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = features.Select(f => f.Y).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = features.Select(f => f.GeometryJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = features.Select(f => f.Srid).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = features.Select(f => f.PropertiesJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var (inserted, updated, _) = await PortImporter.CountAsync(command, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return PortImporter.Result("factors", programme, mode, rows, inserted, updated, features.Count - inserted - updated, rejections, true, 0);
    }

    private static async Task<List<Rejection>> CheckGeometriesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        List<FactorFeatureRecord> features, CancellationToken cancellationToken)
    {
        var rejections = new List<Rejection>();
        if (features.Count == 0) return rejections;
        await using var command = new NpgsqlCommand("""
            SELECT t.row, g.error FROM unnest($1::int[], $2::text[], $3::int[]) AS t(row, json, srid)
            CROSS JOIN LATERAL intake_feature_geometry(t.json, t.srid) g
            WHERE g.error IS NOT NULL ORDER BY t.row
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = features.Select(f => f.Row).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = features.Select(f => f.GeometryJson!).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = features.Select(f => f.Srid).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var error = reader.GetString(1);
            rejections.Add(error == "outside"
                ? new Rejection(reader.GetInt32(0), "geometry", RejectionReasons.OutsideNetherlands, "the feature lies outside the Netherlands (check the crs)")
                : new Rejection(reader.GetInt32(0), "geometry", RejectionReasons.InvalidGeometry, "the geometry cannot be read as a point, line or polygon"));
        }
        return rejections;
    }
}
