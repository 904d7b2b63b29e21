using System.Net;
using GeoRisk.Core.Tiles;

namespace GeoRisk.IntegrationTests.Tiles;

public sealed class TileInvalidationTests(TileDataFixture data) : IClassFixture<TileDataFixture>
{
    private readonly HttpClient _client = data.Factory.CreateClient();

    [Fact]
    public async Task Importing_a_signal_changes_the_tile_containing_it_while_a_far_tile_stays_cached()
    {
        var near = await data.TileAtRdAsync(121200, 487200, 15);
        var far = await data.TileAtRdAsync(121200, 487200 - 20_000, 15); // 20 km south
        var nearUrl = $"/tiles/signals/{near}.mvt";
        // A far tile with content, so that "still cached" means something: one signal there.
        await data.Database.ScalarAsync<int>("""
            INSERT INTO signal (source, external_id, category, observed_at, geom)
            VALUES ('politie', 'FAR-1', 'witwassen', TIMESTAMPTZ '2026-05-01', ST_SetSRID(ST_MakePoint(121200, 467200), 28992));
            SELECT 1
            """);
        var farUrl = $"/tiles/signals/{far}.mvt";
        await Task.Delay(500); // let the watcher see that insert before we fill the cache

        var before = await _client.GetAsync(nearUrl);
        var farBefore = await _client.GetAsync(farUrl);
        Assert.Equal(HttpStatusCode.OK, farBefore.StatusCode);
        Assert.Equal("HIT", (await _client.GetAsync(nearUrl)).Headers.GetValues("X-Cache").Single());
        var countBefore = Mvt.Decode(await before.Content.ReadAsByteArrayAsync()).Layers.Single(l => l.Name == "signals").Features.Count;

        await data.Database.ScalarAsync<int>("""
            INSERT INTO signal (source, external_id, category, observed_at, geom)
            VALUES ('politie', 'NEW-1', 'drugshandel', TIMESTAMPTZ '2026-11-01', ST_SetSRID(ST_MakePoint(121201, 487201), 28992));
            SELECT 1
            """);

        // Without a restart, within a few polls, the tile containing the new signal is rendered again.
        HttpResponseMessage after;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await Task.Delay(100);
            after = await _client.GetAsync(nearUrl);
        } while (after.Headers.GetValues("X-Cache").Single() == "HIT" && DateTime.UtcNow < deadline);
        Assert.Equal("MISS", after.Headers.GetValues("X-Cache").Single());
        Assert.NotEqual(before.Headers.ETag?.Tag, after.Headers.ETag?.Tag);
        var countAfter = Mvt.Decode(await after.Content.ReadAsByteArrayAsync()).Layers.Single(l => l.Name == "signals").Features.Count;
        Assert.Equal(countBefore + 1, countAfter);

        // The far tile was not touched: still served from the cache, same entity.
        var farAfter = await _client.GetAsync(farUrl);
        Assert.Equal("HIT", farAfter.Headers.GetValues("X-Cache").Single());
        Assert.Equal(farBefore.Headers.ETag?.Tag, farAfter.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task A_new_score_re_keys_the_area_tiles()
    {
        var tile = await data.TileAtRdAsync(121200, 487200, 13);
        var url = $"/tiles/areas/{tile}.mvt";
        var first = await _client.GetAsync(url);
        await _client.GetAsync(url);
        await data.Database.ScalarAsync<int>("""
            INSERT INTO score (area_id, profile_name, profile_version, reference_date, score, raw, signal_count, source_count, components)
            SELECT a.id, p.name, p.version, DATE '2026-11-30', 42, 1, 1, 1, '{}'
            FROM area a, (SELECT name, version FROM scoring_profile ORDER BY name, version LIMIT 1) p WHERE a.code = 'T-LOW';
            SELECT 1
            """);
        HttpResponseMessage after;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await Task.Delay(100);
            after = await _client.GetAsync(url);
        } while (after.Headers.ETag?.Tag == first.Headers.ETag?.Tag && DateTime.UtcNow < deadline);
        var layer = Mvt.Decode(await after.Content.ReadAsByteArrayAsync()).Layers.Single();
        var low = layer.Features.Select(f => Mvt.Attributes(layer, f)).Single(a => (string)a["code"] == "T-LOW");
        Assert.Equal(42.0, Convert.ToDouble(low["score"]));
    }

    [Fact]
    public async Task Hexagon_totals_follow_a_refresh_and_the_hexbin_tile_changes()
    {
        var tile = await data.TileAtRdAsync(121200, 487200, 12);
        var url = $"/tiles/hexbins/{tile}.mvt";
        var before = Mvt.Decode(await _client.GetByteArrayAsync(url)).Layers.Single().Features.Count;
        Assert.True(before > 0);
        // A signal in an empty spot of the tile, counted by the hexagon refresh.
        await data.Database.ScalarAsync<int>("""
            WITH s AS (
                INSERT INTO signal (source, external_id, category, observed_at, geom)
                VALUES ('politie', 'HEX-1', 'vastgoed', TIMESTAMPTZ '2026-09-01', ST_SetSRID(ST_MakePoint(119000, 487200), 28992))
                RETURNING id)
            SELECT hex_refresh_signals(ARRAY(SELECT id FROM s))
            """);
        var mismatches = await data.Database.ScalarAsync<long>("""
            SELECT count(*) FROM (
                SELECT size_m, q, r, sum(n)::int AS n FROM hex_count GROUP BY 1, 2, 3
                EXCEPT SELECT size_m, q, r, n FROM hex_total) d
            """);
        Assert.Equal(0, mismatches);

        int after;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await Task.Delay(100);
            after = Mvt.Decode(await _client.GetByteArrayAsync(url)).Layers.Single().Features.Count;
        } while (after == before && DateTime.UtcNow < deadline);
        Assert.Equal(before + 1, after);
    }
}
