using GeoRisk.Core.Access;
using Npgsql;

namespace GeoRisk.Data.Scoring;

/// <summary>Aggregation (stats per category and month) and Gi* hot spots of one area, as JSON built by PostgreSQL.</summary>
public sealed class AreaAnalysisStore(NpgsqlDataSource dataSource)
{
    /// <summary>Counts per category and month for [from, to) and the previous period of equal length; null when the area is unknown or out of scope.</summary>
    public async Task<string?> StatsAsync(string code, DateOnly from, DateOnly to, string? category, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SqlResource.Load(typeof(AreaAnalysisStore).Assembly, "AreaStats.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(ScoreStore.Date(from));
        command.Parameters.Add(ScoreStore.Date(to));
        command.Parameters.Add(ScoreStore.Text(category));
        command.Parameters.Add(ScoreStore.Scope(scope));
        command.Parameters.Add(ScoreStore.Int(scope.Suppressed ? scope.SuppressionK : null));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Gi* per hexagon cell as a GeoJSON FeatureCollection; null when the area is unknown or out of scope.</summary>
    public async Task<string?> HotspotsAsync(string code, int cellSizeM, DateOnly from, DateOnly to, string? category, int rings, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SqlResource.Load(typeof(AreaAnalysisStore).Assembly, "AreaHotspots.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(ScoreStore.Int(cellSizeM));
        command.Parameters.Add(ScoreStore.Date(from));
        command.Parameters.Add(ScoreStore.Date(to));
        command.Parameters.Add(ScoreStore.Text(category));
        command.Parameters.Add(ScoreStore.Scope(scope));
        command.Parameters.Add(ScoreStore.Int(rings));
        command.Parameters.Add(ScoreStore.Int(scope.Suppressed ? scope.SuppressionK : null));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Area in km² of a current area within scope (null when unknown or out of scope): bounds the number of cells.</summary>
    public async Task<double?> AreaKm2Async(string code, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT ST_Area(ST_Envelope(a.geom)) / 1e6 FROM area a
            WHERE a.code = $1 AND a.valid_to IS NULL AND area_in_scope(a.geom, $2)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(ScoreStore.Scope(scope));
        return await command.ExecuteScalarAsync(cancellationToken) is double km2 ? km2 : null;
    }

    public async Task<bool> CategoryExistsAsync(string category, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM category WHERE code = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = category });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
