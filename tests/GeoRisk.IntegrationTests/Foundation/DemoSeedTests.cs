using GeoRisk.Data.Demo;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Foundation;

public sealed class DemoSeedTests
{
    private const string CountsSql = """
        SELECT (SELECT count(*) FROM area), (SELECT count(*) FROM signal), (SELECT count(*) FROM camera),
               (SELECT count(*) FROM overlay_feature), (SELECT count(*) FROM casustafel),
               (SELECT count(*) FROM casustafel_area), (SELECT count(*) FROM casustafel_member),
               (SELECT coalesce(sum(hashtext(source || external_id || category || observed_at::text || ST_AsText(geom))), 0) FROM signal)
        """;

    [Fact]
    public async Task Seeding_twice_gives_identical_counts_and_identical_rows()
    {
        await using var database = await TestDatabase.CreateAsync();
        var first = await DemoSeeder.SeedAsync(database.DataSource);
        var afterFirst = await CountsAsync(database.DataSource);
        var second = await DemoSeeder.SeedAsync(database.DataSource);
        var afterSecond = await CountsAsync(database.DataSource);

        Assert.True(first.Signals >= 50_000, $"only {first.Signals} signals");
        Assert.True(second.NothingNew, $"second run added {second}");
        Assert.Equal(afterFirst, afterSecond);
    }

    [Fact]
    public async Task The_seed_is_deterministic_across_databases()
    {
        await using var a = await TestDatabase.CreateAsync();
        await DemoSeeder.SeedAsync(a.DataSource);
        // The shared demo database was seeded by scripts/test.sh in another process.
        await using var demo = NpgsqlDataSource.Create(DemoDatabase.ConnectionString);
        Assert.Equal(await CountsAsync(demo), await CountsAsync(a.DataSource));
    }

    private static async Task<long[]> CountsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(CountsSql);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}

/// <summary>Reads the seeded demo database (scripts/test.sh): what a user sees after scripts/run.sh.</summary>
public sealed class DemoDataTests
{
    private static readonly NpgsqlDataSource Demo = NpgsqlDataSource.Create(DemoDatabase.ConnectionString);

    private static async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = Demo.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Theory]
    [InlineData("mainport")]
    [InlineData("bedrijventerrein")]
    [InlineData("buitengebied")]
    [InlineData("postcode")]
    [InlineData("wijk")]
    [InlineData("stadsdeel")]
    [InlineData("buurt")]
    [InlineData("gemeente")]
    [InlineData("custom")]
    public async Task Every_area_kind_is_present_with_valid_geometry_inside_the_Netherlands(string kind)
    {
        await using var command = Demo.CreateCommand("""
            SELECT count(*),
                   count(*) FILTER (WHERE ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
                   -- The Netherlands in RD New: the projection's own bounds of the country.
                   count(*) FILTER (WHERE ST_Within(geom, ST_MakeEnvelope(7000, 289000, 300000, 629000, 28992))),
                   count(*) FILTER (WHERE ST_Within(ST_Transform(geom, 4326), ST_MakeEnvelope(3.2, 50.7, 7.3, 53.6, 4326)))
            FROM area WHERE kind = $1 AND valid_to IS NULL
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var total = reader.GetInt64(0);
        Assert.True(total > 0, $"no {kind} area");
        Assert.Equal(total, reader.GetInt64(1));
        Assert.Equal(total, reader.GetInt64(2));
        Assert.Equal(total, reader.GetInt64(3));
    }

    [Fact]
    public async Task Demo_signals_are_the_same_on_every_run_and_lie_in_the_region()
    {
        // The generators place signals in the shapes as stored by the seed.
        var shapes = new Dictionary<string, NetTopologySuite.Geometries.Geometry>();
        await using (var command = Demo.CreateCommand("SELECT code, ST_AsBinary(geom) FROM area WHERE valid_to IS NULL AND code = ANY ($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = DemoSignals.AreaCodes.ToArray() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) shapes[reader.GetString(0)] = new NetTopologySuite.IO.WKBReader().Read((byte[])reader.GetValue(1));
        }
        var first = DemoSignals.Generate(shapes);
        var second = DemoSignals.Generate(shapes);
        Assert.True(first.Count >= 50_000);
        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i += 997)
        {
            Assert.Equal(first[i].ExternalId, second[i].ExternalId);
            Assert.Equal(first[i].Location.Coordinate, second[i].Location.Coordinate);
            Assert.Equal(first[i].ObservedAt, second[i].ObservedAt);
        }
        Assert.All(first, s =>
        {
            Assert.InRange(s.Location.X, 100_000, 140_000);
            Assert.InRange(s.Location.Y, 460_000, 500_000);
            Assert.InRange(s.ObservedAt, DemoSeeder.PeriodStart, DemoSeeder.PeriodEnd);
        });
        Assert.Equal(first.Count, first.Select(s => s.ExternalId).Distinct().Count());
        // What the seed stored is what the generator gives.
        Assert.Equal((long)first.Count, await ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id LIKE 'DEMO-%'"));
    }

    [Fact]
    public async Task The_demo_has_Amsterdams_and_Amstelveens_real_buurten_and_the_levels_built_from_them()
    {
        Assert.Equal(518L, await ScalarAsync<long>("SELECT count(*) FROM area WHERE kind = 'buurt' AND code LIKE 'BU0363%' AND valid_to IS NULL"));
        Assert.Equal(47L, await ScalarAsync<long>("SELECT count(*) FROM area WHERE kind = 'buurt' AND code LIKE 'BU0362%' AND valid_to IS NULL"));
        // Every buurt lies in its wijk, every wijk in its stadsdeel or gemeente: the levels nest exactly.
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM area c JOIN area p ON p.code = c.parent_code AND p.valid_to IS NULL
            WHERE c.valid_to IS NULL AND c.kind IN ('buurt', 'wijk', 'stadsdeel') AND NOT ST_Covers(ST_Buffer(p.geom, 0.01), c.geom)
            """));
        Assert.Equal(0L, await ScalarAsync<long>(
            "SELECT count(*) FROM area c WHERE c.valid_to IS NULL AND c.kind IN ('buurt', 'wijk', 'stadsdeel') AND NOT EXISTS (SELECT 1 FROM area p WHERE p.code = c.parent_code AND p.valid_to IS NULL)"));
        // The port mainport is exactly Westpoort's port buurten.
        Assert.True(await ScalarAsync<bool>("""
            SELECT ST_Equals(m.geom, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(b.geom)), 3)))
            FROM area m, area b WHERE m.code = 'MP-WESTHAVEN' AND m.valid_to IS NULL AND b.code LIKE 'BU0363B%' AND b.valid_to IS NULL
            GROUP BY m.geom
            """));
    }

    [Fact]
    public async Task Postcode_1012_lies_in_central_Amsterdam_around_the_Dam()
    {
        // The Dam in RD New.
        Assert.True(await ScalarAsync<bool>(
            "SELECT ST_Contains(geom, ST_SetSRID(ST_MakePoint(121400, 487400), 28992)) FROM area WHERE code = 'PC4-1012' AND valid_to IS NULL"));
        var km2 = await ScalarAsync<double>("SELECT area_km2 FROM area WHERE code = 'PC4-1012' AND valid_to IS NULL");
        Assert.InRange(km2, 0.8, 2.5);
    }

    [Fact]
    public async Task Signals_cover_three_years_all_categories_and_all_sources_with_hotspots()
    {
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM signal") >= 50_000);
        Assert.Equal(await ScalarAsync<long>("SELECT count(*) FROM category"), await ScalarAsync<long>("SELECT count(DISTINCT category) FROM signal"));
        Assert.Equal(await ScalarAsync<long>("SELECT count(*) FROM source_partner"), await ScalarAsync<long>("SELECT count(DISTINCT source) FROM signal"));
        Assert.True(await ScalarAsync<double>("SELECT extract(epoch FROM max(observed_at) - min(observed_at)) ::float8 / 86400 / 365 FROM signal") > 2.9);
        // A planted hotspot: 1012 is far denser than the region's background.
        var density1012 = await ScalarAsync<double>(
            "SELECT count(*)::float8 / max(a.area_km2) FROM signal s JOIN area a ON a.code = 'PC4-1012' AND ST_Contains(a.geom, s.geom)");
        var densityMunicipality = await ScalarAsync<double>(
            "SELECT count(*)::float8 / max(a.area_km2) FROM signal s JOIN area a ON a.code = 'GM0362' AND ST_Contains(a.geom, s.geom)");
        Assert.True(density1012 > 20 * densityMunicipality, $"1012 {density1012:F0}/km², Amstelveen {densityMunicipality:F0}/km²");
    }

    [Fact]
    public async Task Port_cameras_stand_on_the_quay_and_road_lines_of_the_real_port_buurten()
    {
        var buurten = string.Join(",", GeoRisk.Data.Demo.DemoOverlays.PortBuurten.Select(b => $"'{b}'"));
        Assert.True(GeoRisk.Data.Demo.DemoOverlays.PortBuurten.Count >= 5);
        // Westelijk Havengebied: every camera within a metre (positions are whole metres) of a line
        // between two of its real buurten or of the port's outline, and inside or on the port.
        Assert.Equal(30L, await ScalarAsync<long>($"""
            SELECT count(*) FROM camera c JOIN area p ON p.code = 'MP-WESTHAVEN' AND p.valid_to IS NULL
            WHERE c.programme = 'westelijk-havengebied' AND ST_DWithin(c.geom, p.geom, 1)
              AND EXISTS (SELECT 1 FROM area b WHERE b.valid_to IS NULL AND b.code IN ({buurten})
                          AND ST_DWithin(c.geom, ST_Boundary(b.geom), 1))
            """));
        // Not all on the outline: most stand on the lines inside the port (quays, basins, roads).
        Assert.True(await ScalarAsync<long>("""
            SELECT count(*) FROM camera c JOIN area p ON p.code = 'MP-WESTHAVEN' AND p.valid_to IS NULL
            WHERE c.programme = 'westelijk-havengebied' AND NOT ST_DWithin(c.geom, ST_Boundary(p.geom), 1)
            """) >= 10);
        // The flower auction (one drawn outline): along its perimeter road.
        Assert.Equal(16L, await ScalarAsync<long>("""
            SELECT count(*) FROM camera c JOIN area p ON p.code = 'MP-BLOEMENVEILING' AND p.valid_to IS NULL
            WHERE c.programme = 'bloemenveiling' AND ST_DWithin(c.geom, ST_Boundary(p.geom), 1)
            """));
    }

    [Fact]
    public async Task Cameras_port_incidents_and_the_four_casustafels_exist()
    {
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM camera WHERE ST_IsValid(viewshed)") >= 40);
        Assert.True(await ScalarAsync<long>(
            "SELECT count(*) FROM overlay_feature f JOIN overlay_dataset d ON d.id = f.dataset_id WHERE d.layer = 'incidents'") >= 100);
        Assert.Equal("1012,bloemenveiling,westelijk-havengebied,zuidoost",
            await ScalarAsync<string>("SELECT string_agg(id, ',' ORDER BY id) FROM casustafel"));
        // Every casustafel area exists as a current area.
        Assert.Equal(0L, await ScalarAsync<long>(
            "SELECT count(*) FROM casustafel_area ca WHERE NOT EXISTS (SELECT 1 FROM area a WHERE a.code = ca.area_code AND a.valid_to IS NULL)"));
    }
}
