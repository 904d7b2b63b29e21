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
    public Task RebuildAsync(CancellationToken cancellationToken = default) => RebuildAsync(null, cancellationToken);

    /// <summary>Rebuilds both tables from all signals, on the given connection (inside its transaction) when there is one.</summary>
    public async Task RebuildAsync(NpgsqlConnection? connection, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT hex_rebuild()", connection);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Below this many changed points the cells around them are refreshed; from here on a batch
    /// that changed at least a quarter of all signals rebuilds the grids instead: one binning pass
    /// over the table costs less than finding the signals of every touched cell again (a million
    /// new signals touch nearly every cell of every size), and a rebuild is exact by definition.
    /// </summary>
    public const int DefaultRebuildFromPoints = 50_000;

    /// <summary>The threshold of <see cref="RefreshBatchAsync"/> (<see cref="DefaultRebuildFromPoints"/>; tests lower it).</summary>
    public int RebuildFromPoints { get; init; } = DefaultRebuildFromPoints;

    /// <summary>After a batch of changes: <see cref="RefreshAsync"/> around the points, or <see cref="RebuildAsync"/> for a batch that changed a large part of the table.</summary>
    public async Task RefreshBatchAsync(IReadOnlyCollection<Point> points, NpgsqlConnection? connection = null, CancellationToken cancellationToken = default)
    {
        if (points.Count >= RebuildFromPoints)
        {
            await using var count = Command("SELECT count(*) FROM signal", connection);
            var signals = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            if (points.Count * 4L >= signals)
            {
                await RebuildAsync(connection, cancellationToken);
                return;
            }
        }
        await RefreshAsync(points, connection, cancellationToken);
    }

    // On an import's connection the refresh is part of the import: no timeout of its own (a
    // cancelled refresh would roll back rows the import is about to commit).
    private NpgsqlCommand Command(string sql, NpgsqlConnection? connection) =>
        connection is null ? dataSource.CreateCommand(sql) : new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
}
