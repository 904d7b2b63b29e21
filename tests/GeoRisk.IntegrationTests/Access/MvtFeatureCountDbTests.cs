using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Access;

/// <summary>The audit's tile feature counter against tiles that PostGIS encodes.</summary>
public sealed class MvtFeatureCountDbTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(37, 5)]
    [InlineData(1000, 250)]
    public async Task Counts_what_ST_AsMVT_encoded_in_two_layers(int points, int cells)
    {
        await using var db = Data.GeoRiskDatabase.CreateDataSource(DemoDatabase.ConnectionString);
        // Points and squares inside tile 14/8414/5384 (Amsterdam), as two layers in one tile.
        await using var command = db.CreateCommand("""
            WITH env AS (SELECT ST_TileEnvelope(14, 8414, 5384) AS e),
            p AS (
                SELECT i, ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(ST_XMin(e) + (i % 97) * 20, ST_YMin(e) + (i / 97) * 20), 3857), e) AS geom
                FROM env, generate_series(1, $1) AS i
            ),
            c AS (
                SELECT i, ST_AsMVTGeom(ST_MakeEnvelope(ST_XMin(e) + i * 5, ST_YMin(e) + i * 5, ST_XMin(e) + i * 5 + 4, ST_YMin(e) + i * 5 + 4, 3857), e) AS geom
                FROM env, generate_series(1, $2) AS i
            )
            SELECT coalesce((SELECT ST_AsMVT(p, 'signals', 4096, 'geom') FROM p WHERE geom IS NOT NULL), ''::bytea)
                || coalesce((SELECT ST_AsMVT(c, 'hexbins', 4096, 'geom') FROM c WHERE geom IS NOT NULL), ''::bytea),
                   (SELECT count(*) FROM p WHERE geom IS NOT NULL) + (SELECT count(*) FROM c WHERE geom IS NOT NULL)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = points });
        command.Parameters.Add(new NpgsqlParameter { Value = cells });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var tile = reader.GetFieldValue<byte[]>(0);
        var expected = reader.GetInt64(1);

        Assert.Equal(points + cells, expected);
        Assert.Equal(expected, MvtFeatureCount.Count(tile));
    }
}
