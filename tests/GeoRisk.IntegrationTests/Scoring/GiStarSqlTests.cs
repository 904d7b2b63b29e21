using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.Core.Hexagons;
using GeoRisk.Core.Hotspots;
using GeoRisk.Data.Scoring;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.IntegrationTests.Scoring;

public sealed class GiStarSqlTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    public async Task Gi_star_from_SQL_equals_the_brute_force_CSharp_computation(int seed, int rings)
    {
        // A random irregular region of ~600 cells: holes and ragged edges give cells of every neighbour count.
        var random = new Random(seed);
        var cells = new List<(HexCell Cell, double Value)>();
        for (int q = 0; q < 30; q++)
            for (int r = 0; r < 30; r++)
            {
                if (random.NextDouble() < 0.3) continue;
                var cell = new HexCell(250, 480 + q, 950 + r);
                bool inCluster = HexGrid.Distance(cell, new HexCell(250, 495, 960)) <= 2;
                cells.Add((cell, inCluster ? 20 + random.Next(20) : random.Next(6)));
            }
        var expected = GetisOrd.BruteForce(cells, rings).ToDictionary(r => r.Cell);

        await using var command = fixture.Database.DataSource.CreateCommand("SELECT q, r, x, z, p, p_adjusted, bin FROM gi_star($1, $2, $3, $4)");
        command.Parameters.Add(new NpgsqlParameter { Value = cells.Select(c => c.Cell.Q).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = cells.Select(c => c.Cell.R).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = cells.Select(c => c.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = rings });
        await using var reader = await command.ExecuteReaderAsync();
        int rows = 0, hot = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            var e = expected[new HexCell(250, reader.GetInt32(0), reader.GetInt32(1))];
            Assert.Equal(e.Value, reader.GetDouble(2));
            Assert.Equal(e.Z, reader.GetDouble(3), 1e-9);
            Assert.Equal(e.P, reader.GetDouble(4), 1e-9);
            Assert.Equal(e.PAdjusted, reader.GetDouble(5), 1e-9);
            Assert.Equal(e.Bin, reader.GetInt32(6));
            if (e.Bin == 3) hot++;
        }
        Assert.Equal(cells.Count, rows);
        Assert.True(hot > 0, "the planted cluster must come out as a 99 % hot spot");
    }

    [Fact]
    public async Task Normal_tail_in_SQL_equals_CSharp()
    {
        foreach (var x in new[] { -3.0, -0.5, 0, 0.3, 1, 1.959963984540054, 4.2, 7.5, 12, 40 })
        {
            await using var command = fixture.Database.DataSource.CreateCommand("SELECT normal_upper_tail($1)");
            command.Parameters.Add(new NpgsqlParameter { Value = x });
            Assert.Equal(Normal.UpperTail(x), (double)(await command.ExecuteScalarAsync())!, 1e-15);
        }
    }

    /// <summary>
    /// The endpoint moves one template hexagon to each cell instead of building every polygon:
    /// its geometries must stay exactly those of hex_polygon (the API's answer must not change).
    /// </summary>
    [Theory]
    [InlineData("BU03620101", 50)]
    [InlineData("GM0362", 100)]
    [InlineData("GM0362", 250)]
    public async Task Hotspot_cells_are_exactly_the_hex_polygons(string area, int size)
    {
        await using var dataSource = NpgsqlDataSource.Create(DemoDatabase.ConnectionString);
        var json = await new AreaAnalysisStore(dataSource).HotspotsAsync(area, size, new DateOnly(2024, 11, 16),
            new DateOnly(2026, 11, 16), null, 1, CallerScope.Unrestricted, CancellationToken.None);
        Assert.NotNull(json);
        using var document = JsonDocument.Parse(json);
        var features = document.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.True(features.Count > 10, $"only {features.Count} cells");
        Assert.Contains(features, f => f.GetProperty("properties").GetProperty("count").GetInt32() > 0);

        await using var command = dataSource.CreateCommand("""
            SELECT f ->> 'id' FROM json_array_elements($1::json -> 'features') f
            WHERE (f -> 'geometry')::text IS DISTINCT FROM
                  ST_AsGeoJSON(ST_Transform(hex_polygon($2, (f -> 'properties' ->> 'q')::int, (f -> 'properties' ->> 'r')::int), 4326), 6)::json::text
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = json });
        command.Parameters.Add(new NpgsqlParameter { Value = size });
        var differing = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) differing.Add(reader.GetString(0));
        Assert.Empty(differing);
    }
}
