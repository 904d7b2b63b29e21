using System.Net;
using GeoRisk.Core.Tiles;
using GeoRisk.IntegrationTests.Infrastructure;
using GeoRisk.Tiles.Layers;

namespace GeoRisk.IntegrationTests.Tiles;

/// <summary>
/// No point tile grows without bound: a z14 tile with far more signals than fit is clustered per
/// category, with every signal still counted (sum of n), and stays under 500 kB before gzip;
/// a sparse tile keeps one point per signal.
/// </summary>
public sealed class BoundedTileTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private const int Dense = 60_000;

    [Fact]
    public async Task A_tile_with_sixty_thousand_signals_is_clustered_under_500_kB_and_keeps_every_count()
    {
        // 60,000 signals in a 1 km square near the Dam, 4 categories, 12 months: one z14 tile
        // holds most of them.
        await fixture.Database.ScalarAsync<int>($"""
            INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
            SELECT 'politie', 'DENSE-' || i,
                   (ARRAY['drugshandel', 'witwassen', 'vastgoed', 'mensenhandel'])[1 + i % 4],
                   TIMESTAMPTZ '2026-01-01' + (i % 12) * interval '1 month', 0.5 + (i % 6) / 10.0,
                   ST_SetSRID(ST_MakePoint(121000 + (i * 7919) % 1000, 487000 + (i::bigint * 104729) % 1000), 28992)
            FROM generate_series(1, {Dense}) AS i;
            SELECT 1
            """);
        var centre = await fixture.Database.ScalarAsync<string>(
            "SELECT ST_X(g)::text || ' ' || ST_Y(g)::text FROM ST_Transform(ST_SetSRID(ST_MakePoint(121500, 487500), 28992), 3857) g");
        var xy = centre.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var tile = TileId.ContainingPoint(xy[0], xy[1], 14);
        var env = await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM signal WHERE geom_3857 && ST_TileEnvelope($1, $2, $3)", tile.Z, tile.X, tile.Y);
        Assert.True(env > SignalsLayer.MaxPointFeatures, $"only {env} signals in {tile}: not dense enough to test clustering");

        await using var factory = new TileApiFactory(fixture.Database.ConnectionString);
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri($"/tiles/signals/{tile}.mvt", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.InRange(bytes.Length, 1, 500_000);
        var layer = Mvt.Decode(bytes).Layers.Single(l => l.Name == "signals");
        var features = layer.Features.Select(f => Mvt.Attributes(layer, f)).ToList();
        Assert.InRange(features.Count, 1, SignalsLayer.MaxPointFeatures);
        // Every signal of the tile (ST_AsMVTGeom keeps points inside the tile) is counted once.
        var inside = await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM signal WHERE ST_Intersects(geom_3857, ST_TileEnvelope($1, $2, $3))", tile.Z, tile.X, tile.Y);
        Assert.Equal(inside, features.Sum(a => Convert.ToInt64(a["n"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(features, a => Convert.ToInt64(a["n"], System.Globalization.CultureInfo.InvariantCulture) > 1);
        Assert.All(features, a => Assert.DoesNotContain("remark", a.Keys));
        Assert.All(features, a => Assert.Matches("^2026-\\d\\d$", (string)a["month"]));
    }
}
