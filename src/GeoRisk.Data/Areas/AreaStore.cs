using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Areas;

/// <summary>Current areas as GeoJSON (WGS84), within a caller's scope (casustafel ids; null: unrestricted).</summary>
public sealed class AreaStore(NpgsqlDataSource dataSource)
{
    /// <summary>The FeatureCollection of current areas, optionally of one kind, and how many features it holds.</summary>
    public async Task<(string Json, long Features)> ListGeoJsonAsync(string? kind, string[]? scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SqlResource.Load(typeof(AreaStore).Assembly, "AreaStore.list.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)kind ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(Scope(scope));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetString(0), reader.GetInt64(1));
    }

    /// <summary>One current area as a Feature; null when there is none with that code in the scope.</summary>
    public async Task<string?> GetGeoJsonAsync(string code, string[]? scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SqlResource.Load(typeof(AreaStore).Assembly, "AreaStore.get.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(Scope(scope));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static NpgsqlParameter Scope(string[]? scope) =>
        new() { Value = (object?)scope ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
