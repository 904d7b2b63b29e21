using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;
using GeoRisk.IntegrationTests.Infrastructure;
using GeoRisk.IntegrationTests.Tiles;
using Npgsql;

namespace GeoRisk.IntegrationTests.Hardening;

/// <summary>
/// Scope probes on the demo: for every scoped role, every area that intersects the caller's
/// reach but does not lie within it (computed here independently of the API's SQL: less than
/// 99 % of its surface in the reach) is probed on every area endpoint and must be a 404 like a
/// missing area; every area the API lists, ranks or draws in a tile must lie within the reach;
/// every signal point or cell in a decoded tile must lie in the reach; viewers' tile counts are
/// published values (multiples of five, at least k) without weights.
/// </summary>
public sealed class ScopeProbeTests : IDisposable
{
    private readonly GeoRiskApiFactory _factory = new(DemoDatabase.ConnectionString);

    public void Dispose() => _factory.Dispose();

    public static TheoryData<string, string> Scopes() => new()
    {
        { "member", "1012" }, { "member", "bloemenveiling" }, { "member", "zuidoost" }, { "member", "westelijk-havengebied" },
        { "viewer", "zuidoost" }, { "analyst", "" },
    };

    private static async Task<T> OwnerScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var db = new NpgsqlConnection(DemoDatabase.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Areas by coverage of the reach, computed here (not with the API's function).</summary>
    private static async Task<(HashSet<string> Within, List<string> Partial)> ClassifyAsync(string casustafel)
    {
        await using var db = new NpgsqlConnection(DemoDatabase.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("""
            WITH reach AS (SELECT ST_Union(a.geom) AS g FROM casustafel_area ca JOIN area a ON a.code = ca.area_code AND a.valid_to IS NULL
                           WHERE ca.casustafel_id = $1)
            SELECT a.code, ST_Area(ST_Intersection(a.geom, r.g)) / ST_Area(a.geom) AS share
            FROM area a, reach r WHERE a.valid_to IS NULL AND ST_Intersects(a.geom, r.g)
            """, db);
        command.Parameters.Add(new NpgsqlParameter { Value = casustafel });
        await using var reader = await command.ExecuteReaderAsync();
        var within = new HashSet<string>(StringComparer.Ordinal);
        var partial = new List<string>();
        while (await reader.ReadAsync())
        {
            if (reader.GetDouble(1) >= 0.99) within.Add(reader.GetString(0));
            else partial.Add(reader.GetString(0));
        }
        return (within, partial);
    }

    [Theory]
    [MemberData(nameof(Scopes))]
    public async Task Areas_that_only_touch_or_partly_overlap_the_reach_are_not_served_at_all(string role, string casustafel)
    {
        using var client = casustafel.Length == 0 ? await _factory.CreateClientAsync(role) : await _factory.CreateClientAsync(role, casustafel);
        var (within, partial) = casustafel.Length == 0 ? (new HashSet<string>(), new List<string>()) : await ClassifyAsync(casustafel);
        var probes = 0;
        if (casustafel.Length > 0)
        {
            foreach (var code in partial)
            {
                foreach (var path in new[] { "", "/score", "/stats", "/hotspots?cell=500", "/map.png" })
                {
                    probes++;
                    using var response = await client.GetAsync(new Uri($"/api/areas/{code}{path}", UriKind.Relative));
                    Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{role} {casustafel}: /api/areas/{code}{path} answered {(int)response.StatusCode}");
                }
            }
        }
        // Everything listed or ranked lies within the reach.
        var listed = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/areas", UriKind.Relative));
        var listedCodes = listed.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToList();
        Assert.NotEmpty(listedCodes);
        if (casustafel.Length > 0) Assert.All(listedCodes, c => Assert.Contains(c, within));
        using var ranking = await client.GetAsync(new Uri("/api/scores", UriKind.Relative));
        if (ranking.StatusCode == HttpStatusCode.OK)
        {
            var ranked = (await ranking.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("areas").EnumerateArray().Select(a => a.GetProperty("code").GetString()!);
            if (casustafel.Length > 0) Assert.All(ranked, c => Assert.Contains(c, within));
        }
        Assert.Equal(partial.Count * 5, probes);
    }

    [Fact]
    public async Task A_flower_auction_member_gets_nothing_of_amstelveen()
    {
        using var client = await _factory.CreateClientAsync(Role.Member, "bloemenveiling");
        var share = await OwnerScalarAsync<double>("""
            SELECT ST_Area(ST_Intersection(a.geom, scope_geom(ARRAY['bloemenveiling']))) / ST_Area(a.geom) FROM area a WHERE a.code = 'GM0362' AND a.valid_to IS NULL
            """);
        Assert.InRange(share, 0.000001, 0.5); // partly in reach, as the outside test found
        foreach (var path in new[] { "/api/areas/GM0362", "/api/areas/GM0362/score", "/api/areas/GM0362/stats", "/api/areas/GM0362/map.png" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        var ranking = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/scores?kind=gemeente", UriKind.Relative));
        Assert.Empty(ranking.GetProperty("areas").EnumerateArray());
    }

    /// <summary>Tiles covering the reach's extent at one zoom.</summary>
    private static async Task<List<TileId>> TilesOverAsync(string casustafel, int z)
    {
        await using var db = new NpgsqlConnection(DemoDatabase.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(ST_Transform(scope_geom($1), 3857)) e) x", db);
        command.Parameters.Add(new NpgsqlParameter { Value = new[] { casustafel } });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        double size = 2 * 20037508.342789244 / (1 << z);
        int x0 = (int)((reader.GetDouble(0) + 20037508.342789244) / size), x1 = (int)((reader.GetDouble(2) + 20037508.342789244) / size);
        int y0 = (int)((20037508.342789244 - reader.GetDouble(3)) / size), y1 = (int)((20037508.342789244 - reader.GetDouble(1)) / size);
        var tiles = new List<TileId>();
        for (var x = x0 - 1; x <= x1 + 1; x++)
            for (var y = y0 - 1; y <= y1 + 1; y++) tiles.Add(new TileId(z, x, y));
        return tiles;
    }

    /// <summary>Point features of a layer in EPSG:3857 (MoveTo commands of the MVT geometry).</summary>
    private static IEnumerable<(double X, double Y, Dictionary<string, object> Attributes)> Points(byte[] bytes, string layerName, TileId tile)
    {
        var size = 2 * 20037508.342789244 / (1 << tile.Z);
        var minX = -20037508.342789244 + tile.X * size;
        var maxY = 20037508.342789244 - tile.Y * size;
        foreach (var layer in Mvt.Decode(bytes).Layers.Where(l => l.Name == layerName))
        {
            foreach (var feature in layer.Features)
            {
                var g = feature.Geometry;
                var count = (int)(g[0] >> 3);
                int px = 0, py = 0;
                for (var i = 0; i < count; i++)
                {
                    px += Zig(g[1 + 2 * i]);
                    py += Zig(g[2 + 2 * i]);
                    yield return (minX + px / (double)layer.Extent * size, maxY - py / (double)layer.Extent * size, Mvt.Attributes(layer, feature));
                }
            }
        }
        static int Zig(uint v) => (int)(v >> 1) ^ -(int)(v & 1);
    }

    [Theory]
    [InlineData("member", "1012")]
    [InlineData("member", "bloemenveiling")]
    [InlineData("viewer", "zuidoost")]
    public async Task Every_point_and_cell_in_a_decoded_tile_lies_in_the_reach_and_every_area_within_it(string role, string casustafel)
    {
        using var client = await _factory.CreateClientAsync(role, casustafel);
        var (within, _) = await ClassifyAsync(casustafel);
        var k = await OwnerScalarAsync<int>("SELECT access_suppression_k()");
        var xs = new List<double>();
        var ys = new List<double>();
        var areaCodes = new List<string>();
        var tiles = await TilesOverAsync(casustafel, 14);
        Assert.InRange(tiles.Count, 1, 400);
        foreach (var tile in tiles)
        {
            foreach (var layer in new[] { "signals", "areas", "hexbins" })
            {
                using var response = await client.GetAsync(new Uri($"/tiles/{layer}/{tile.Z}/{tile.X}/{tile.Y}.mvt", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.NoContent) continue;
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var bytes = await response.Content.ReadAsByteArrayAsync();
                foreach (var l in Mvt.Decode(bytes).Layers)
                {
                    foreach (var f in l.Features)
                    {
                        var a = Mvt.Attributes(l, f);
                        if (l.Name == "areas") areaCodes.Add((string)a["code"]);
                        if (role == "viewer" && a.TryGetValue("n", out var n))
                        {
                            var count = Convert.ToInt64(n, System.Globalization.CultureInfo.InvariantCulture);
                            Assert.True(count >= k && count % 5 == 0, $"{l.Name}: viewer got n = {count}");
                            Assert.False(a.ContainsKey("weight"), $"{l.Name}: viewer got a weight");
                            Assert.False(a.ContainsKey("gi_z"), $"{l.Name}: viewer got a z-score");
                        }
                    }
                }
                if (layer == "signals")
                {
                    foreach (var (x, y, _) in Points(bytes, "signals", tile).Concat(Points(bytes, "signal_cells", tile)))
                    {
                        xs.Add(x);
                        ys.Add(y);
                    }
                }
            }
        }
        Assert.All(areaCodes, c => Assert.Contains(c, within));
        Assert.NotEmpty(xs);
        // Points are quantised to the 4096 grid of a z14 tile (≈ 2.4 m); viewers' cells sit at cell
        // centres (a 64-cell grid: half a cell ≈ 20 m at z14) of cells whose signals all lie in reach.
        var tolerance = role == "viewer" ? 40.0 : 5.0;
        var outside = await OwnerScalarAsync<long>("""
            SELECT count(*) FROM unnest($1::float8[], $2::float8[]) p(x, y)
            WHERE NOT ST_DWithin(ST_Transform(ST_SetSRID(ST_MakePoint(p.x, p.y), 3857), 28992), scope_geom($3), $4)
            """, xs.ToArray(), ys.ToArray(), new[] { casustafel }, tolerance);
        Assert.Equal(0L, outside);
    }
}
