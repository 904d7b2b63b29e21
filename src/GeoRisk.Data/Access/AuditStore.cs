using GeoRisk.Core.Access;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Access;

/// <summary>
/// One accounted read: who (key id, role, casustafels of the scope), what (endpoint, area,
/// layer, tile z/x/y), how much (rows returned). The time is set by the database.
/// </summary>
public sealed record AuditEntry(
    string? KeyId, string Role, IReadOnlyList<string>? Casustafels, string Endpoint, long? Rows)
{
    public string? Area { get; init; }
    public string? Layer { get; init; }
    public int? Z { get; init; }
    public int? X { get; init; }
    public int? Y { get; init; }
}

/// <summary>A row of the audit log as <c>GET /api/audit</c> returns it.</summary>
public sealed record AuditRecord(
    long Id, DateTime At, string? KeyId, string Role, IReadOnlyList<string>? Casustafels, string Endpoint,
    string? Area, string? Layer, int? Z, int? X, int? Y, long? RowsReturned);

/// <summary>Filters of <c>GET /api/audit</c>; null means any.</summary>
public sealed record AuditFilter(
    string? KeyId = null, string? Role = null, string? Endpoint = null, string? Area = null, string? Layer = null,
    string? Casustafel = null, DateTimeOffset? From = null, DateTimeOffset? To = null, long? Before = null,
    int Limit = 100);

/// <summary>audit_log (sql/0600_access.sql): append and read; the table refuses UPDATE and DELETE.</summary>
public sealed class AuditStore(NpgsqlDataSource db)
{
    public const int MaxLimit = 1000;

    private static string Sql(string name) => SqlResource.Load(typeof(AuditStore).Assembly, name);

    /// <summary>Appends one entry. Trusted local jobs (CLI) pass <see cref="CallerScope.Unrestricted"/> and no key id.</summary>
    public async Task<long> AppendAsync(AuditEntry entry, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql("AuditInsert.sql"));
        cmd.Parameters.Add(Text("keyId", entry.KeyId));
        cmd.Parameters.Add(Text("role", entry.Role));
        cmd.Parameters.Add(new NpgsqlParameter("casustafels", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = entry.Casustafels is null ? DBNull.Value : entry.Casustafels.ToArray(),
        });
        cmd.Parameters.Add(Text("endpoint", entry.Endpoint));
        cmd.Parameters.Add(Text("area", entry.Area));
        cmd.Parameters.Add(Text("layer", entry.Layer));
        cmd.Parameters.Add(Int("z", entry.Z));
        cmd.Parameters.Add(Int("x", entry.X));
        cmd.Parameters.Add(Int("y", entry.Y));
        cmd.Parameters.Add(new NpgsqlParameter("rows", NpgsqlDbType.Bigint) { Value = (object?)entry.Rows ?? DBNull.Value });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditFilter filter, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql("AuditQuery.sql"));
        cmd.Parameters.Add(Text("keyId", filter.KeyId));
        cmd.Parameters.Add(Text("role", filter.Role));
        cmd.Parameters.Add(Text("endpoint", filter.Endpoint));
        cmd.Parameters.Add(Text("area", filter.Area));
        cmd.Parameters.Add(Text("layer", filter.Layer));
        cmd.Parameters.Add(Text("casustafel", filter.Casustafel));
        cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = (object?)filter.From?.UtcDateTime ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = (object?)filter.To?.UtcDateTime ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint) { Value = (object?)filter.Before ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = Math.Clamp(filter.Limit, 1, MaxLimit) });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<AuditRecord>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new AuditRecord(
                reader.GetInt64(0), reader.GetDateTime(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<string[]>(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetInt32(9),
                reader.IsDBNull(10) ? null : reader.GetInt32(10), reader.IsDBNull(11) ? null : reader.GetInt64(11)));
        }
        return rows;
    }

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Int(string name, int? value) =>
        new(name, NpgsqlDbType.Integer) { Value = (object?)value ?? DBNull.Value };
}
