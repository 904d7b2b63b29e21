using GeoRisk.Core.Access;
using GeoRisk.Data;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Tiles.Layers;

/// <summary>Running the layers' embedded SQL with bound parameters only.</summary>
internal static class TileSql
{
    public static string Load(string file) => SqlResource.Load(typeof(TileSql).Assembly, file);

    public static NpgsqlParameter Int(int? v) => new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer };
    public static NpgsqlParameter Double(double? v) => new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double };
    public static NpgsqlParameter Text(string? v) => new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
    public static NpgsqlParameter TextArray(string[]? v) => new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
    public static NpgsqlParameter Date(DateOnly? v) => new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date };

    /// <summary>Scope as SQL wants it: the casustafel ids (null = all) and the suppression k (null = none).</summary>
    public static (NpgsqlParameter Scope, NpgsqlParameter K) Scope(CallerScope scope) =>
        (TextArray(scope.SqlScope), Int(scope.Suppressed ? scope.SuppressionK : null));

    public static async Task<byte[]> BytesAsync(NpgsqlDataSource db, string file, IEnumerable<NpgsqlParameter> parameters, CancellationToken ct)
    {
        await using var command = db.CreateCommand(Load(file));
        command.Parameters.AddRange(parameters.ToArray());
        return await command.ExecuteScalarAsync(ct) is byte[] bytes ? bytes : [];
    }

    /// <summary>Rows whose first column is WKB in tile pixel space (NULL rows, clipped away, are skipped).</summary>
    public static async Task<List<(Geometry Geometry, NpgsqlDataReaderRow Row)>> GeometriesAsync(
        NpgsqlDataSource db, string file, IEnumerable<NpgsqlParameter> parameters, CancellationToken ct)
    {
        await using var command = db.CreateCommand(Load(file));
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var wkb = new WKBReader();
        var rows = new List<(Geometry, NpgsqlDataReaderRow)>();
        while (await reader.ReadAsync(ct))
        {
            if (reader.IsDBNull(0)) continue;
            var values = new object?[reader.FieldCount - 1];
            for (var i = 1; i < reader.FieldCount; i++) values[i - 1] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            Geometry geometry;
            try
            {
                geometry = wkb.Read(reader.GetFieldValue<byte[]>(0));
            }
            catch (ParseException)
            {
                // ST_AsMVTGeom returns an empty geometry for a feature that lies only in the buffer
                // with nothing left to draw; NTS does not read every empty WKB form.
                continue;
            }
            if (!geometry.IsEmpty) rows.Add((geometry, new NpgsqlDataReaderRow(values)));
        }
        return rows;
    }
}

/// <summary>The attribute columns after the geometry, by position (0 = the column after it).</summary>
internal sealed class NpgsqlDataReaderRow(object?[] values)
{
    public double? Double(int i) => values[i] is null ? null : Convert.ToDouble(values[i], System.Globalization.CultureInfo.InvariantCulture);
    public string? Text(int i) => values[i] as string;
}
