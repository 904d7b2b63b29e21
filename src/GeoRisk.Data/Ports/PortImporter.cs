using GeoRisk.Core.Intake;
using GeoRisk.Core.Ports;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Ports;

/// <summary>What an import of cameras, incidents or obstacles did (snake_case in JSON).</summary>
public sealed record PortImportResult(string What, string Programme, string Mode, int Rows, int Inserted, int Updated, int Unchanged,
    int RejectedRows, bool Written, IReadOnlyList<Rejection> Rejections, int ViewsRecomputed);

/// <summary>A programme (casustafel id) that does not exist, or a dataset of another programme: the whole request is refused.</summary>
public sealed class PortImportRefusedException(string message) : Exception(message);

/// <summary>
/// Writes what <see cref="PortFileReader"/> validated, in one transaction per file: atomic (one
/// rejected row writes nothing) or partial (valid rows written, the rest reported). Upserts on
/// the natural keys (programme + camera id, dataset + incident id, programme + obstacle id):
/// identical rows are not touched, so a re-import changes nothing. After cameras or obstacles
/// change, the views of the cameras concerned are clipped again (<see cref="ViewshedRefresher"/>).
/// </summary>
public sealed class PortImporter(NpgsqlDataSource dataSource)
{
    public async Task<PortImportResult> ImportCamerasAsync(Stream file, string programme, int? crs, ImportMode mode, CancellationToken cancellationToken)
    {
        var (cameras, rejections, rows) = PortFileReader.ReadCameras(file, crs);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await RequireProgrammeAsync(connection, programme, cancellationToken);
        if (rejections.Count > 0 && mode == ImportMode.Atomic)
            return Result("cameras", programme, mode, rows, 0, 0, 0, rejections, false, 0);
        await using var command = new NpgsqlCommand(SqlResource.Load(typeof(PortImporter).Assembly, "Ports.cameras_upsert.sql"), connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = programme });
        command.Parameters.Add(Array(cameras.Select(c => c.ExternalId)));
        command.Parameters.Add(Array(cameras.Select(c => c.Owner)));
        command.Parameters.Add(Array(cameras.Select(c => c.Description)));
        command.Parameters.Add(Doubles(cameras.Select(c => c.X)));
        command.Parameters.Add(Doubles(cameras.Select(c => c.Y)));
        command.Parameters.Add(new NpgsqlParameter { Value = cameras.Select(c => c.Srid).ToArray() });
        command.Parameters.Add(Doubles(cameras.Select(c => c.HeadingDeg)));
        command.Parameters.Add(Doubles(cameras.Select(c => c.FovDeg)));
        command.Parameters.Add(Doubles(cameras.Select(c => c.RangeM)));
        command.Parameters.Add(new NpgsqlParameter { Value = cameras.Select(c => c.HeightM).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(Array(cameras.Select(c => c.Status)));
        command.Parameters.Add(new NpgsqlParameter { Value = cameras.Select(c => c.ActiveFrom).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = cameras.Select(c => c.ActiveTo).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        await transaction.SaveAsync(Unchanged, cancellationToken);
        var (inserted, updated, changedIds) = await CountAsync(command, transaction, cancellationToken);
        var views = changedIds.Count == 0 ? 0 : await ViewshedRefresher.RefreshCamerasAsync(connection, transaction, changedIds, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result("cameras", programme, mode, rows, inserted, updated, cameras.Count - inserted - updated, rejections, true, views);
    }

    public async Task<PortImportResult> ImportIncidentsAsync(Stream file, string programme, string dataset, string? name, int? crs, ImportMode mode, CancellationToken cancellationToken)
    {
        var (incidents, rejections, rows) = PortFileReader.ReadIncidents(file, crs);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await RequireProgrammeAsync(connection, programme, cancellationToken);
        await transaction.SaveAsync(Unchanged, cancellationToken);
        await using (var ds = new NpgsqlCommand("""
            INSERT INTO overlay_dataset (code, name, programme, layer) VALUES ($1, $2, $3, 'incidents')
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name WHERE overlay_dataset.name IS DISTINCT FROM EXCLUDED.name AND $4
            """, connection, transaction))
        {
            ds.Parameters.Add(new NpgsqlParameter { Value = dataset });
            ds.Parameters.Add(new NpgsqlParameter { Value = name ?? dataset });
            ds.Parameters.Add(new NpgsqlParameter { Value = programme });
            ds.Parameters.Add(new NpgsqlParameter { Value = name is not null });
            await ds.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var owner = new NpgsqlCommand("SELECT programme, layer FROM overlay_dataset WHERE code = $1", connection, transaction))
        {
            owner.Parameters.Add(new NpgsqlParameter { Value = dataset });
            await using var reader = await owner.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetString(0) != programme || reader.GetString(1) != "incidents")
                throw new PortImportRefusedException($"dataset '{dataset}' belongs to another programme or is not an incident dataset; choose another dataset code");
        }
        // Polygons are parsed, transformed and checked by PostGIS; a bad one is a row rejection.
        var polygons = incidents.Where(i => i.PolygonJson is not null).ToList();
        var badPolygons = await CheckPolygonsAsync(connection, transaction, polygons.Select(p => (p.Row, p.PolygonJson!, p.Srid)).ToList(), cancellationToken);
        if (badPolygons.Count > 0)
        {
            rejections.AddRange(badPolygons);
            var bad = badPolygons.Select(b => b.Row).ToHashSet();
            incidents = incidents.Where(i => !bad.Contains(i.Row)).ToList();
        }
        if (rejections.Count > 0 && mode == ImportMode.Atomic)
            return Result("incidents", programme, mode, rows, 0, 0, 0, rejections, false, 0);
        await using var command = new NpgsqlCommand(SqlResource.Load(typeof(PortImporter).Assembly, "Ports.incidents_upsert.sql"), connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = dataset });
        command.Parameters.Add(Array(incidents.Select(i => i.ExternalId)));
        command.Parameters.Add(Array(incidents.Select(i => i.Kind)));
        command.Parameters.Add(new NpgsqlParameter { Value = incidents.Select(i => i.ObservedAt.ToUniversalTime()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = incidents.Select(i => i.X).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = incidents.Select(i => i.Y).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = incidents.Select(i => i.PolygonJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = incidents.Select(i => i.Srid).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = incidents.Select(i => i.PropertiesJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var (inserted, updated, _) = await CountAsync(command, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result("incidents", programme, mode, rows, inserted, updated, incidents.Count - inserted - updated, rejections, true, 0);
    }

    public async Task<PortImportResult> ImportObstaclesAsync(Stream file, string programme, int? crs, ImportMode mode, CancellationToken cancellationToken)
    {
        var (obstacles, rejections, rows) = PortFileReader.ReadObstacles(file, crs);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await RequireProgrammeAsync(connection, programme, cancellationToken);
        var bad = await CheckPolygonsAsync(connection, transaction, obstacles.Select(o => (o.Row, o.PolygonJson, o.Srid)).ToList(), cancellationToken);
        if (bad.Count > 0)
        {
            rejections.AddRange(bad);
            var rowsBad = bad.Select(b => b.Row).ToHashSet();
            obstacles = obstacles.Where(o => !rowsBad.Contains(o.Row)).ToList();
        }
        if (rejections.Count > 0 && mode == ImportMode.Atomic)
            return Result("obstacles", programme, mode, rows, 0, 0, 0, rejections, false, 0);
        // Cameras near the old footprints of obstacles that move must be re-clipped as well.
        var before = await ExtentAsync(connection, transaction,
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry AS e FROM obstacle WHERE programme = $1 AND external_id = ANY ($2)) x",
            programme, obstacles.Select(o => o.ExternalId).ToArray(), cancellationToken);
        await using var command = new NpgsqlCommand(SqlResource.Load(typeof(PortImporter).Assembly, "Ports.obstacles_upsert.sql"), connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = programme });
        command.Parameters.Add(Array(obstacles.Select(o => o.ExternalId)));
        command.Parameters.Add(Array(obstacles.Select(o => o.Kind)));
        command.Parameters.Add(new NpgsqlParameter { Value = obstacles.Select(o => o.HeightM).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(Array(obstacles.Select(o => o.PolygonJson)));
        command.Parameters.Add(new NpgsqlParameter { Value = obstacles.Select(o => o.Srid).ToArray() });
        // The statement returns the ids of changed obstacles; their old and new footprints decide which cameras to re-clip.
        await transaction.SaveAsync(Unchanged, cancellationToken);
        var (inserted, updated, changed) = await CountAsync(command, transaction, cancellationToken);
        var views = 0;
        if (changed.Count > 0)
        {
            var after = await ExtentAsync(connection, transaction,
                "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry AS e FROM obstacle WHERE id = ANY ($1)) x",
                changed.ToArray(), null, cancellationToken);
            var box = after ?? new NetTopologySuite.Geometries.Envelope();
            if (before is not null) box.ExpandToInclude(before);
            if (!box.IsNull) views = await ViewshedRefresher.RefreshInBoxAsync(connection, transaction, box, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return Result("obstacles", programme, mode, rows, inserted, updated, obstacles.Count - inserted - updated, rejections, true, views);
    }

    private static async Task<NetTopologySuite.Geometries.Envelope?> ExtentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string sql, object first, object? second, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = first });
        if (second is not null) command.Parameters.Add(new NpgsqlParameter { Value = second });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0)) return null;
        return new NetTopologySuite.Geometries.Envelope(reader.GetDouble(0), reader.GetDouble(2), reader.GetDouble(1), reader.GetDouble(3));
    }

    internal static async Task RequireProgrammeAsync(NpgsqlConnection connection, string programme, CancellationToken cancellationToken)
    {
        if (!PortFileReader.IsProgrammeCode(programme))
            throw new PortImportRefusedException("programme must be a casustafel id (lower-case letters, digits, '_' or '-')");
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM casustafel WHERE id = $1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = programme });
        if (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            throw new PortImportRefusedException($"there is no programme (casustafel) '{programme}'; GET /api/casustafels lists them");
        // One import per programme at a time: two concurrent uploads of the same registry would race on the same keys.
        await using var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('ports:' || $1))", connection);
        lockCommand.Parameters.Add(new NpgsqlParameter { Value = programme });
        await lockCommand.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<Rejection>> CheckPolygonsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        List<(int Row, string Json, int Srid)> polygons, CancellationToken cancellationToken)
    {
        var rejections = new List<Rejection>();
        if (polygons.Count == 0) return rejections;
        await using var command = new NpgsqlCommand("""
            SELECT t.row, g.error FROM unnest($1::int[], $2::text[], $3::int[]) AS t(row, json, srid)
            CROSS JOIN LATERAL intake_area_geometry(t.json, t.srid) g
            WHERE g.error IS NOT NULL ORDER BY t.row
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = polygons.Select(p => p.Row).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = polygons.Select(p => p.Json).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = polygons.Select(p => p.Srid).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var error = reader.GetString(1);
            rejections.Add(error == "outside"
                ? new Rejection(reader.GetInt32(0), "geometry", RejectionReasons.OutsideNetherlands, "the polygon lies outside the Netherlands (check the crs)")
                : new Rejection(reader.GetInt32(0), "geometry", RejectionReasons.InvalidGeometry, "the geometry cannot be read as a polygon"));
        }
        return rejections;
    }

    /// <summary>Savepoint taken before an upsert; rolled back to when the upsert wrote nothing.</summary>
    internal const string Unchanged = "unchanged";

    /// <summary>
    /// Runs an upsert that returns (id, inserted) for every written row. When it wrote nothing,
    /// the transaction goes back to the savepoint taken before it: the statement-level triggers
    /// bumped data_version although nothing changed, and a re-import must not invalidate caches.
    /// </summary>
    internal static async Task<(int Inserted, int Updated, List<long> Ids)> CountAsync(NpgsqlCommand command, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var inserted = 0;
        var updated = 0;
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
            if (reader.GetBoolean(1)) inserted++;
            else updated++;
        }
        await reader.DisposeAsync();
        if (ids.Count == 0) await transaction.RollbackAsync(Unchanged, cancellationToken);
        return (inserted, updated, ids);
    }

    internal static PortImportResult Result(string what, string programme, ImportMode mode, int rows, int inserted, int updated, int unchanged,
        List<Rejection> rejections, bool written, int views) =>
        new(what, programme, mode == ImportMode.Atomic ? "atomic" : "partial", rows, inserted, updated, unchanged,
            rejections.Select(r => r.Row).Distinct().Count(), written, rejections.Take(1000).ToList(), views);

    private static NpgsqlParameter Array(IEnumerable<string> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter Doubles(IEnumerable<double> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double };
}
