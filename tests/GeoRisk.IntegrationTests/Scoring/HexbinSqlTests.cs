using GeoRisk.Core.Hexagons;
using GeoRisk.Data.Hexbins;
using GeoRisk.IntegrationTests.Infrastructure;
using NetTopologySuite.Geometries;
using Npgsql;

namespace GeoRisk.IntegrationTests.Scoring;

public sealed class HexbinSqlTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    private const string Snapshot = """
        SELECT coalesce(string_agg(format('%s/%s/%s/%s/%s:%s:%s', size_m, q, r, category, month, n, round(weight::numeric, 9)), ';'
                                   ORDER BY size_m, q, r, category, month), '')
               || '|' || coalesce((SELECT string_agg(format('%s/%s/%s:%s', size_m, q, r, md5(ST_AsEWKB(geom)::text)), ';' ORDER BY size_m, q, r) FROM hex_cell), '')
        FROM hex_count
        """;

    private async Task<string> SnapshotAsync() => await _db.ScalarAsync<string>(Snapshot);

    /// <summary>The state a full rebuild gives, leaving the tables rebuilt.</summary>
    private async Task<string> RebuiltAsync()
    {
        await new HexbinStore(_db.DataSource).RebuildAsync();
        return await SnapshotAsync();
    }

    private async Task<List<long>> InsertRandomAsync(Random random, int count, DateOnly month)
    {
        var ids = new List<long>();
        var categories = new[] { "drugshandel", "witwassen", "hennepteelt" };
        for (int i = 0; i < count; i++)
        {
            ids.Add(await SmallWorld.AddSignalAsync(_db, 120000 + random.NextDouble() * 4000, 486000 + random.NextDouble() * 4000,
                categories[random.Next(3)], "politie", Math.Round(random.NextDouble(), 2), random.Next(0, 28), month));
        }
        return ids;
    }

    [Fact]
    public async Task Refresh_after_an_insert_equals_a_full_rebuild()
    {
        var random = new Random(4);
        await InsertRandomAsync(random, 300, new DateOnly(2026, 3, 31));
        await InsertRandomAsync(random, 100, new DateOnly(2026, 4, 30));
        var store = new HexbinStore(_db.DataSource);
        await store.RebuildAsync();

        // New signals in a month that already has counts and in a new month.
        var added = await InsertRandomAsync(random, 40, new DateOnly(2026, 4, 30));
        added.AddRange(await InsertRandomAsync(random, 10, new DateOnly(2026, 5, 31)));
        var refreshed = await store.RefreshSignalsAsync(added);
        Assert.True(refreshed > 0);
        var afterRefresh = await SnapshotAsync();
        Assert.Contains("2026-05-01", afterRefresh, StringComparison.Ordinal);
        Assert.Equal(await RebuiltAsync(), afterRefresh);
    }

    [Fact]
    public async Task A_refresh_that_changes_no_count_writes_nothing()
    {
        var random = new Random(6);
        await InsertRandomAsync(random, 200, new DateOnly(2026, 3, 31));
        var store = new HexbinStore(_db.DataSource);
        await store.RebuildAsync();
        var added = await InsertRandomAsync(random, 30, new DateOnly(2026, 3, 31));
        Assert.True(await store.RefreshSignalsAsync(added) > 0);
        const string Versions = "SELECT string_agg(xmin::text, ',' ORDER BY size_m, q, r, category, month) FROM hex_count";
        var versions = await _db.ScalarAsync<string>(Versions);
        var changes = await _db.ScalarAsync<long>("SELECT count(*) FROM tile_change");

        // The same keys again: every count is already right, so no row is rewritten and no tile
        // is marked stale (the refresh writes the difference, not every key).
        Assert.True(await store.RefreshSignalsAsync(added) > 0);
        Assert.Equal(versions, await _db.ScalarAsync<string>(Versions));
        Assert.Equal(changes, await _db.ScalarAsync<long>("SELECT count(*) FROM tile_change"));
        Assert.Equal(await SnapshotAsync(), await RebuiltAsync());
    }

    [Fact]
    public async Task Refresh_of_points_after_a_delete_equals_a_full_rebuild()
    {
        var random = new Random(5);
        var ids = await InsertRandomAsync(random, 200, new DateOnly(2026, 3, 31));
        var store = new HexbinStore(_db.DataSource);
        await store.RebuildAsync();
        var before = await SnapshotAsync();

        // Delete 20 signals; refresh the cells where they were (their old locations).
        var gone = ids.Take(20).ToArray();
        var points = new List<Point>();
        await using (var command = _db.DataSource.CreateCommand("DELETE FROM signal WHERE id = ANY ($1) RETURNING ST_X(geom), ST_Y(geom)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = gone });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) points.Add(new Point(reader.GetDouble(0), reader.GetDouble(1)) { SRID = 28992 });
        }
        Assert.Equal(20, points.Count);
        await store.RefreshAsync(points);
        var afterRefresh = await SnapshotAsync();
        Assert.NotEqual(before, afterRefresh);
        Assert.Equal(await RebuiltAsync(), afterRefresh);
    }

    [Fact]
    public async Task Deleting_and_moving_signals_through_their_keys_equals_a_full_rebuild()
    {
        var random = new Random(7);
        var ids = await InsertRandomAsync(random, 200, new DateOnly(2026, 3, 31));
        await new HexbinStore(_db.DataSource).RebuildAsync();

        // Delete ten (hex_delete_signals collects their keys first).
        Assert.Equal(10, await _db.ScalarAsync<int>("SELECT hex_delete_signals($1)", ids.Take(10).ToArray()));
        // Move ten to another place and month: old keys before the update, new keys after it.
        var moved = ids.Skip(10).Take(10).ToArray();
        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        {
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("CREATE TEMP TABLE old_keys AS SELECT * FROM hex_signal_keys($1)") { Parameters = { new() { Value = moved } } },
                    new NpgsqlBatchCommand("UPDATE signal SET geom = ST_Translate(geom, 3000, 0), observed_at = observed_at - interval '40 days' WHERE id = ANY ($1)") { Parameters = { new() { Value = moved } } },
                    new NpgsqlBatchCommand("""
                        SELECT hex_refresh_keys(array_agg(size_m), array_agg(q), array_agg(r), array_agg(category), array_agg(month))
                        FROM (SELECT * FROM old_keys UNION SELECT * FROM hex_signal_keys($1)) k
                        """) { Parameters = { new() { Value = moved } } },
                },
            };
            await batch.ExecuteNonQueryAsync();
        }
        var afterRefresh = await SnapshotAsync();
        Assert.Equal(await RebuiltAsync(), afterRefresh);
    }

    [Theory]
    [InlineData("ARRAY['drugshandel']", "NULL", "NULL")]
    [InlineData("NULL", "DATE '2026-03-01'", "DATE '2026-06-01'")]
    [InlineData("ARRAY['witwassen', 'hennepteelt']", "DATE '2026-02-01'", "NULL")]
    [InlineData("NULL", "NULL", "DATE '2026-01-01'")]
    [InlineData("NULL", "DATE '2026-07-01'", "NULL")]
    public async Task Filtered_cells_and_statistics_walk_the_months_and_equal_a_count_of_the_signals(string categories, string from, string to)
    {
        var random = new Random(8);
        await InsertRandomAsync(random, 120, new DateOnly(2026, 1, 20));
        await InsertRandomAsync(random, 120, new DateOnly(2026, 3, 20));
        await InsertRandomAsync(random, 120, new DateOnly(2026, 6, 20));
        await new HexbinStore(_db.DataSource).RebuildAsync();

        // The months the readers walk (hex_count's key leads with the month) are exactly the stored ones.
        var months = $"""
            SELECT coalesce(string_agg(month::text, ',' ORDER BY month), '') FROM hex_count_months({from}, {to})
            """;
        var stored = $"""
            SELECT coalesce(string_agg(DISTINCT month::text, ',' ORDER BY month::text), '') FROM hex_count
            WHERE ({from} IS NULL OR month >= {from}) AND ({to} IS NULL OR month <= {to})
            """;
        Assert.Equal(await _db.ScalarAsync<string>(stored), await _db.ScalarAsync<string>(months));

        // The filtered cells of a cut-out holding every signal, and their statistics, against the
        // signals binned directly under the same filter (the filter strings are the test's own).
        var cells = $"""
            SELECT coalesce(string_agg(format('%s/%s:%s', q, r, n), ';' ORDER BY q, r), '')
            FROM hexbin_cells(ST_Transform(ST_MakeEnvelope(119000, 485000, 125000, 491000, 28992), 3857), 250,
                              {categories}, {from}, {to}, NULL, NULL, 0, 1, 100)
            """;
        var binned = $"""
            SELECT hex_q(250, ST_X(geom), ST_Y(geom)) AS q, hex_r(250, ST_X(geom), ST_Y(geom)) AS r, count(*) AS n
            FROM signal
            WHERE ({categories}::text[] IS NULL OR category = ANY ({categories}::text[]))
              AND ({from} IS NULL OR signal_month(observed_at) >= {from})
              AND ({to} IS NULL OR signal_month(observed_at) <= {to})
            GROUP BY 1, 2
            """;
        var direct = $"SELECT coalesce(string_agg(format('%s/%s:%s', q, r, n), ';' ORDER BY q, r), '') FROM ({binned}) d";
        Assert.Equal(await _db.ScalarAsync<string>(direct), await _db.ScalarAsync<string>(cells));
        var stats = $"SELECT format('%s:%s', n_cells, coalesce(round(mean::numeric * n_cells), 0)) FROM hexbin_stats(250, {categories}, {from}, {to})";
        var expectedStats = $"SELECT format('%s:%s', count(*), coalesce(sum(n), 0)) FROM ({binned}) d";
        Assert.Equal(await _db.ScalarAsync<string>(expectedStats), await _db.ScalarAsync<string>(stats));
    }

    [Fact]
    public async Task SQL_hex_qr_equals_CSharp_HexGrid_also_on_edges_and_corners()
    {
        var random = new Random(6);
        var points = new List<(int Size, double X, double Y)>();
        foreach (var size in HexGrid.Sizes)
        {
            for (int n = 0; n < 200; n++) points.Add((size, random.NextDouble() * 280000, 300000 + random.NextDouble() * 330000));
            // Vertices and edge midpoints of some cells: the hardest cases for rounding.
            var cell = HexGrid.CellAt(size, 121000, 487000);
            var corners = HexGrid.Corners(cell);
            for (int k = 0; k < 6; k++)
            {
                points.Add((size, corners[k].X, corners[k].Y));
                points.Add((size, (corners[k].X + corners[k + 1].X) / 2, (corners[k].Y + corners[k + 1].Y) / 2));
            }
        }
        await using var command = _db.DataSource.CreateCommand("SELECT q, r FROM unnest($1::int[], $2::float8[], $3::float8[]) WITH ORDINALITY AS p(s, x, y, i) CROSS JOIN LATERAL hex_qr(p.s, p.x, p.y) ORDER BY p.i");
        command.Parameters.Add(new NpgsqlParameter { Value = points.Select(p => p.Size).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = points.Select(p => p.X).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = points.Select(p => p.Y).ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        int i = 0;
        while (await reader.ReadAsync())
        {
            var (size, x, y) = points[i++];
            Assert.Equal(HexGrid.CellAt(size, x, y), new HexCell(size, reader.GetInt32(0), reader.GetInt32(1)));
        }
        Assert.Equal(points.Count, i);
    }

    [Fact]
    public async Task Cell_polygons_match_the_CSharp_corners_and_contain_their_points()
    {
        await SmallWorld.AddSignalAsync(_db, 121000, 487000, "drugshandel", "politie", 0.5, 3);
        await new HexbinStore(_db.DataSource).RebuildAsync();
        await using var command = _db.DataSource.CreateCommand("""
            SELECT c.size_m, c.q, c.r, ST_AsText(c.geom), ST_Contains(c.geom, ST_SetSRID(ST_MakePoint(121000, 487000), 28992)), ST_SRID(c.geom_3857)
            FROM hex_cell c ORDER BY c.size_m
            """);
        await using var reader = await command.ExecuteReaderAsync();
        int rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            var cell = new HexCell(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
            Assert.Equal(HexGrid.CellAt(cell.SizeM, 121000, 487000), cell);
            var polygon = (Polygon)new NetTopologySuite.IO.WKTReader().Read(reader.GetString(3));
            var corners = HexGrid.Corners(cell);
            for (int k = 0; k < 7; k++)
            {
                Assert.Equal(corners[k].X, polygon.ExteriorRing.Coordinates[k].X, 6);
                Assert.Equal(corners[k].Y, polygon.ExteriorRing.Coordinates[k].Y, 6);
            }
            Assert.True(reader.GetBoolean(4));
            Assert.Equal(3857, reader.GetInt32(5));
        }
        Assert.Equal(HexGrid.Sizes.Count, rows);
    }
}
