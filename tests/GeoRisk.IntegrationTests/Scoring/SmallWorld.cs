using System.Globalization;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Scoring;

/// <summary>Builds small, fully known worlds in a test database: rectangular areas and signals of given ages.</summary>
internal static class SmallWorld
{
    public static readonly DateOnly ReferenceDate = new(2026, 6, 30);

    /// <summary>A rectangular area at (x0, y0) in RD New of width × height metres.</summary>
    public static async Task AddAreaAsync(TestDatabase db, string code, string kind, double x0, double y0, double width, double height, double? exposure = null)
    {
        await using var command = db.DataSource.CreateCommand("""
            INSERT INTO area (code, name, kind, exposure, exposure_unit, geom)
            VALUES ($1, $1, $2, $3, CASE WHEN $3 IS NULL THEN NULL ELSE 'adressen' END,
                    ST_Multi(ST_MakeEnvelope($4, $5, $4 + $6, $5 + $7, 28992)))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)exposure ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        foreach (var v in new[] { x0, y0, width, height }) command.Parameters.Add(new NpgsqlParameter { Value = v });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A signal at (x, y) observed exactly <paramref name="ageDays"/> × 86,400 s before the end of the reference date.</summary>
    public static async Task<long> AddSignalAsync(TestDatabase db, double x, double y, string category, string source, double reliability, double ageDays, DateOnly? referenceDate = null)
    {
        await using var command = db.DataSource.CreateCommand("""
            INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
            VALUES ($1, $2, $3, (($4::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam') - make_interval(secs => $5 * 86400),
                    $6, ST_SetSRID(ST_MakePoint($7, $8), 28992))
            RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid().ToString("N") });
        command.Parameters.Add(new NpgsqlParameter { Value = category });
        command.Parameters.Add(new NpgsqlParameter { Value = referenceDate ?? ReferenceDate });
        command.Parameters.Add(new NpgsqlParameter { Value = ageDays });
        command.Parameters.Add(new NpgsqlParameter { Value = (float)reliability });
        command.Parameters.Add(new NpgsqlParameter { Value = x });
        command.Parameters.Add(new NpgsqlParameter { Value = y });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A scoring profile with only the given weights (others 0).</summary>
    public static async Task AddProfileAsync(TestDatabase db, string name, string paramsJson)
    {
        await using var command = db.DataSource.CreateCommand("INSERT INTO scoring_profile (name, version, params) VALUES ($1, 1, $2::jsonb)");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = paramsJson });
        await command.ExecuteNonQueryAsync();
    }

    public static string Inv(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
