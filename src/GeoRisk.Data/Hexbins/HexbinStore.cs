using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Hexbins;

/// <summary>
/// Keeps the hexagon grids (hex_cell, hex_count; sql/functions/0300_hexbins.sql) current. Ingest calls
/// <see cref="RefreshSignalsAsync"/> with the ids it inserted or updated (the cells, categories and
/// months they fall in are recomputed); after a delete or a move, <see cref="RefreshAsync"/> with
/// the old locations recomputes those whole cells. Pass the ingest's connection to refresh inside
/// its transaction.
/// </summary>
public sealed class HexbinStore(NpgsqlDataSource dataSource)
{
    /// <summary>Recomputes the (cell, category, month) keys of these signals; returns the number of keys refreshed.</summary>
    public async Task<int> RefreshSignalsAsync(IReadOnlyCollection<long> signalIds, NpgsqlConnection? connection = null, CancellationToken cancellationToken = default)
    {
        if (signalIds.Count == 0) return 0;
        await using var command = Command("SELECT hex_refresh_signals($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = signalIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Recomputes the whole cells (every size) containing these points (RD New, or any SRID with one set); returns the number of cells refreshed.</summary>
    public async Task<int> RefreshAsync(IReadOnlyCollection<Point> points, NpgsqlConnection? connection = null, CancellationToken cancellationToken = default)
    {
        if (points.Count == 0) return 0;
        var writer = new WKBWriter(ByteOrder.LittleEndian, handleSRID: true);
        var ewkb = points.Select(p =>
        {
            if (p.SRID == 0) p = new Point(p.X, p.Y) { SRID = 28992 };
            return writer.Write(p);
        }).ToArray();
        await using var command = Command("SELECT hex_refresh_points(ARRAY(SELECT ST_Transform(ST_GeomFromEWKB(b), 28992) FROM unnest($1::bytea[]) AS b))", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ewkb, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Rebuilds both tables from all signals.</summary>
    public async Task RebuildAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT hex_rebuild()");
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // On an import's connection the refresh is part of the import: no timeout of its own (a
    // cancelled refresh would roll back rows the import is about to commit).
    private NpgsqlCommand Command(string sql, NpgsqlConnection? connection) =>
        connection is null ? dataSource.CreateCommand(sql) : new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
}
