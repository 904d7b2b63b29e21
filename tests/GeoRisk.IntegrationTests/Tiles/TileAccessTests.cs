using System.Net;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.VectorTile;
using Npgsql;

namespace GeoRisk.IntegrationTests.Tiles;

/// <summary>Access control on tiles: scope in the layer SQL and the cache key, suppression, audit.</summary>
public sealed class TileAccessTests(TileDataFixture data) : IClassFixture<TileDataFixture>
{
    private async Task<HttpClient> LowMemberAsync()
    {
        // Casustafel t-laag reaches only T-LOW; all signals lie in T-HIGH.
        await data.Database.ScalarAsync<int>("""
            INSERT INTO casustafel (id, name) VALUES ('t-laag', 'Test laag') ON CONFLICT DO NOTHING;
            INSERT INTO casustafel_area (casustafel_id, area_code) VALUES ('t-laag', 'T-LOW') ON CONFLICT DO NOTHING;
            SELECT 1
            """);
        return await data.Factory.CreateClientAsync(Role.Member, "t-laag");
    }

    [Fact]
    public async Task A_member_gets_no_signal_features_outside_its_scope_also_when_an_admin_cached_the_tile()
    {
        var tile = await data.TileAtRdAsync(121200, 487200, 15);
        var url = $"/tiles/signals/{tile}.mvt";
        using var admin = data.Factory.CreateClient();
        var first = await admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEmpty(Mvt.Decode(await first.Content.ReadAsByteArrayAsync()).Layers.Single(l => l.Name == "signals").Features);
        Assert.Equal("HIT", (await admin.GetAsync(url)).Headers.GetValues("X-Cache").Single());

        using var member = await LowMemberAsync();
        var scoped = await member.GetAsync(url);

        Assert.Equal(HttpStatusCode.NoContent, scoped.StatusCode);
        // Hexbin cells that straddle the scope boundary must not count signals outside it.
        var hexbins = await member.GetAsync($"/tiles/hexbins/{tile}.mvt");
        if (hexbins.StatusCode == HttpStatusCode.OK)
        {
            var layer = Mvt.Decode(await hexbins.Content.ReadAsByteArrayAsync()).Layers.Single();
            Assert.Equal(0L, layer.Features.Sum(f => Convert.ToInt64(Mvt.Attributes(layer, f)["n"])));
        }
        else Assert.Equal(HttpStatusCode.NoContent, hexbins.StatusCode);
    }

    [Fact]
    public async Task A_viewers_hexbin_tile_has_no_cell_below_k_and_no_signal_points()
    {
        var tile = await data.TileAtRdAsync(121200, 487200, 15); // 100 m cells: 40 signals over 16 cells
        using var admin = data.Factory.CreateClient();
        using var viewer = await data.Factory.CreateClientAsync(Role.Viewer);
        var k = await data.Database.ScalarAsync<int>("SELECT access_suppression_k()");

        var all = Mvt.Decode(await admin.GetByteArrayAsync($"/tiles/hexbins/{tile}.mvt")).Layers.Single();
        var counts = all.Features.Select(f => Convert.ToInt64(Mvt.Attributes(all, f)["n"])).ToList();
        Assert.Contains(counts, n => n < k); // there were small cells to drop

        var response = await viewer.GetAsync($"/tiles/hexbins/{tile}.mvt");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var suppressed = Mvt.Decode(await response.Content.ReadAsByteArrayAsync()).Layers.Single();
            Assert.All(suppressed.Features, f => Assert.True(Convert.ToInt64(Mvt.Attributes(suppressed, f)["n"]) >= k));
        }
        else Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var signals = await viewer.GetAsync($"/tiles/signals/{tile}.mvt");
        if (signals.StatusCode == HttpStatusCode.OK)
            Assert.DoesNotContain(Mvt.Decode(await signals.Content.ReadAsByteArrayAsync()).Layers, l => l.Name == "signals");
    }

    [Fact]
    public async Task Every_tile_read_is_audited_with_layer_tile_and_feature_count_cache_hits_included()
    {
        var tile = await data.TileAtRdAsync(121200, 487200, 16);
        var key = await data.Factory.CreateKeyAsync(Role.Analyst);
        using var analyst = data.Factory.CreateAnonymousClient();
        analyst.DefaultRequestHeaders.Authorization = new("Bearer", key.Key.Token);
        var bytes = await analyst.GetByteArrayAsync($"/tiles/signals/{tile}.mvt");
        await analyst.GetByteArrayAsync($"/tiles/signals/{tile}.mvt"); // cache hit
        await analyst.GetByteArrayAsync($"/tiles/signals/{tile}.png");
        var features = Mvt.Decode(bytes).Layers.Sum(l => l.Features.Count);

        await using var command = data.Database.DataSource.CreateCommand(
            "SELECT layer, z, x, y, rows_returned FROM audit_log WHERE key_id = $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = key.Info.Id });
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                rows.Add($"{reader.GetString(0)} {reader.GetInt32(1)}/{reader.GetInt32(2)}/{reader.GetInt32(3)} {(reader.IsDBNull(4) ? "null" : reader.GetInt64(4))}");

        Assert.True(features > 0);
        Assert.Equal([$"signals {tile} {features}", $"signals {tile} {features}", $"signals {tile} null"], rows);
    }
}
