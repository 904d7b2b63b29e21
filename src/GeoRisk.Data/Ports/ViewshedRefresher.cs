using GeoRisk.Core.Ports;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Ports;

/// <summary>
/// Keeps <c>camera.view_geom</c> equal to what each camera sees: its sector clipped by the
/// obstacles that touch it (<see cref="Viewshed.Clip"/>), or the plain sector when none do.
/// PostGIS picks the obstacles per camera with the spatial index; the shadow casting runs here,
/// in parallel, and only views that changed are written back.
/// </summary>
public static class ViewshedRefresher
{
    /// <summary>Re-clips the given cameras; returns how many views changed.</summary>
    public static Task<int> RefreshCamerasAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<long> ids, CancellationToken cancellationToken) =>
        RefreshAsync(connection, transaction, ids.ToArray(), null, cancellationToken);

    /// <summary>Re-clips every camera whose sector reaches into a box (RD New) — where obstacles changed.</summary>
    public static Task<int> RefreshInBoxAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Envelope box, CancellationToken cancellationToken) =>
        RefreshAsync(connection, transaction, null, box, cancellationToken);

    /// <summary>Re-clips every camera (e.g. after a bulk load of buildings).</summary>
    public static Task<int> RefreshAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        RefreshAsync(connection, transaction, null, null, cancellationToken);

    private static async Task<int> RefreshAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long[]? ids, Envelope? box, CancellationToken cancellationToken)
    {
        var inputs = await ReadAsync(connection, transaction, ids, box, cancellationToken);
        if (inputs.Count == 0) return 0;
        return await WriteAsync(connection, transaction, inputs, Clip(inputs, cancellationToken), cancellationToken);
    }

    /// <summary>A camera to re-clip and the footprints (WKB) of the obstacles that touch its sector; null when none do.</summary>
    public sealed record Input(long Id, CameraSpec Spec, byte[][]? Obstacles);

    /// <summary>Phase 1: the cameras and, per camera, the obstacles PostGIS finds with the spatial index.</summary>
    public static async Task<List<Input>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long[]? ids, Envelope? box, CancellationToken cancellationToken)
    {
        var cameras = new List<Input>();
        await using var select = new NpgsqlCommand(SqlResource.Load(typeof(ViewshedRefresher).Assembly, "Ports.viewshed_inputs.sql"), connection, transaction);
        select.Parameters.Add(new NpgsqlParameter { Value = (object?)ids ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        foreach (var v in new double?[] { box?.MinX, box?.MinY, box?.MaxX, box?.MaxY })
            select.Parameters.Add(new NpgsqlParameter { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cameras.Add(new Input(reader.GetInt64(0),
                new CameraSpec(reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5)),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<byte[][]>(6)));
        }
        return cameras;
    }

    /// <summary>Phase 2: the shadow casting, in parallel; null where no obstacle touches (the plain sector, as SQL computes it).</summary>
    public static byte[]?[] Clip(IReadOnlyList<Input> cameras, CancellationToken cancellationToken)
    {
        var views = new byte[]?[cameras.Count];
        Parallel.For(0, cameras.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (_, spec, obstacles) = cameras[i];
            if (obstacles is null) return;
            var wkbReader = new WKBReader(NetTopologySuite.NtsGeometryServices.Instance);
            var geometries = obstacles.Select(b => wkbReader.Read(b)).ToList();
            views[i] = new WKBWriter().Write(Viewshed.Clip(spec, geometries));
        });
        return views;
    }

    /// <summary>Phase 3: writes the views that changed; returns how many.</summary>
    public static async Task<int> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<Input> cameras, byte[]?[] views,
        CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand("""
            UPDATE camera c SET view_geom = coalesce(ST_SetSRID(ST_GeomFromWKB(v.wkb), 28992), c.viewshed)
            FROM unnest($1::bigint[], $2::bytea[]) AS v(id, wkb)
            WHERE c.id = v.id
              AND ST_AsEWKB(c.view_geom) IS DISTINCT FROM ST_AsEWKB(coalesce(ST_SetSRID(ST_GeomFromWKB(v.wkb), 28992), c.viewshed))
            """, connection, transaction);
        update.Parameters.Add(new NpgsqlParameter { Value = cameras.Select(c => c.Id).ToArray() });
        update.Parameters.Add(new NpgsqlParameter { Value = views, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        return await update.ExecuteNonQueryAsync(cancellationToken);
    }
}
