using System.Globalization;
using GeoRisk.IntegrationTests.VectorTile;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using GeoRisk.Core.Tiles;
using GeoRisk.Tests.Support;
using GeoRisk.Rendering;
using GeoRisk.Tiles.Styles;

namespace GeoRisk.IntegrationTests.Tiles;

public sealed class TileApiTests(TileDataFixture data) : IClassFixture<TileDataFixture>
{
    private readonly HttpClient _client = data.Factory.CreateClient();

    private Task<TileId> HighTileAsync(int z) => data.TileAtRdAsync(121200, 487200, z);

    [Fact]
    public async Task Areas_mvt_carries_kind_score_and_flag_of_the_known_areas()
    {
        var tile = await HighTileAsync(14);
        var response = await _client.GetAsync($"/tiles/areas/{tile}.mvt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType?.MediaType);

        var mvt = Mvt.Decode(await response.Content.ReadAsByteArrayAsync());
        var layer = Assert.Single(mvt.Layers);
        Assert.Equal("areas", layer.Name);
        Assert.Equal(4096u, layer.Extent);
        var features = layer.Features.Select(f => Mvt.Attributes(layer, f)).ToDictionary(a => (string)a["code"]);
        Assert.Equal(2, features.Count);
        Assert.Equal("postcode", features["T-HIGH"]["kind"]);
        Assert.Equal(95.0, Convert.ToDouble(features["T-HIGH"]["score"]));
        Assert.Equal(true, features["T-HIGH"]["flagged"]);
        Assert.Equal(10.0, Convert.ToDouble(features["T-LOW"]["score"]));
        Assert.Equal(false, features["T-LOW"]["flagged"]);
        Assert.All(layer.Features, f => Assert.Equal(Tile.Types.GeomType.Polygon, f.Type));
    }

    [Fact]
    public async Task Signals_mvt_has_one_point_per_signal_at_high_zoom_and_cells_with_counts_below_it()
    {
        var tile = await HighTileAsync(15);
        var expected = await data.Database.ScalarAsync<long>(
            "SELECT count(*) FROM signal WHERE geom_3857 && ST_TileEnvelope($1, $2, $3)", tile.Z, tile.X, tile.Y);
        Assert.True(expected > 10);

        var mvt = Mvt.Decode(await _client.GetByteArrayAsync($"/tiles/signals/{tile}.mvt"));
        var points = Assert.Single(mvt.Layers, l => l.Name == "signals");
        Assert.Equal(expected, points.Features.Count);
        var attributes = points.Features.Select(f => Mvt.Attributes(points, f)).ToList();
        Assert.All(attributes, a => Assert.Contains(a["category"], new object[] { "drugshandel", "witwassen" }));
        Assert.All(attributes, a => Assert.Matches("^2026-\\d\\d$", (string)a["month"]));
        // Remarks and object references never reach a tile.
        Assert.All(attributes, a => Assert.False(a.ContainsKey("remark") || a.ContainsKey("object_ref")));

        var low = await HighTileAsync(11);
        var lowMvt = Mvt.Decode(await _client.GetByteArrayAsync($"/tiles/signals/{low}.mvt"));
        Assert.DoesNotContain(lowMvt.Layers, l => l.Name == "signals");
        var cells = Assert.Single(lowMvt.Layers, l => l.Name == "signal_cells");
        Assert.Equal(TileDataFixture.HighSignals, cells.Features.Sum(f => Convert.ToInt64(Mvt.Attributes(cells, f)["n"])));
    }

    [Fact]
    public async Task Category_filter_selects_signals_and_an_unknown_category_is_a_400_listing_the_valid_ones()
    {
        var tile = await HighTileAsync(11);
        var mvt = Mvt.Decode(await _client.GetByteArrayAsync($"/tiles/signals/{tile}.mvt?category=drugshandel"));
        var cells = Assert.Single(mvt.Layers, l => l.Name == "signal_cells");
        Assert.Equal(TileDataFixture.HighSignals / 2, cells.Features.Sum(f => Convert.ToInt64(Mvt.Attributes(cells, f)["n"])));

        var bad = await _client.GetAsync($"/tiles/signals/{tile}.mvt?category=drugshandel&category=kaas");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        // Names the parameter and the valid choices, never the value sent.
        Assert.Contains("unknown category", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("kaas", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var valid = problem.RootElement.GetProperty("valid_categories").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("drugshandel", valid);
        Assert.Contains("witwassen", valid);
    }

    [Theory]
    [InlineData("/tiles/areas/14/99999999/1.mvt", HttpStatusCode.BadRequest, "x must be between 0 and 16383")]
    [InlineData("/tiles/areas/abc/1/1.mvt", HttpStatusCode.BadRequest, "z must be a whole number")]
    [InlineData("/tiles/areas/14/1/-3.mvt", HttpStatusCode.BadRequest, "y must be a whole number")]
    [InlineData("/tiles/areas/30/1/1.mvt", HttpStatusCode.BadRequest, "z must be between 0 and 24")]
    [InlineData("/tiles/areas/3/1/1.mvt", HttpStatusCode.NotFound, "from zoom 5 to 18")]
    [InlineData("/tiles/cameras/20/1/1.png", HttpStatusCode.NotFound, "from zoom 10 to 18")]
    [InlineData("/tiles/nothing/10/1/1.mvt", HttpStatusCode.NotFound, "layers: areas, cameras, coverage, gelegenheidskaart, hexbins, hotspots, incidents, signals")]
    [InlineData("/tiles/areas/10/1/1.jpg", HttpStatusCode.NotFound, "{y}.mvt, {y}.png or {y}@2x.png")]
    [InlineData("/tiles/signals/10/1/1.mvt?from=2026-13-01", HttpStatusCode.BadRequest, "yyyy-mm-dd")]
    [InlineData("/tiles/signals/10/1/1.mvt?from=2026-05-01&to=2026-01-01", HttpStatusCode.BadRequest, "before 'from'")]
    [InlineData("/tiles/areas/10/1/1.mvt?profile=nope", HttpStatusCode.BadRequest, "unknown scoring profile; valid profiles")]
    public async Task Bad_tile_requests_get_problem_details_that_say_what_is_wrong(string url, HttpStatusCode status, string message)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_empty_tile_is_204_without_a_body()
    {
        // Open North Sea, far from any test data.
        var tile = TileId.ContainingLonLat(3.0, 53.5, 12);
        foreach (var format in new[] { "mvt", "png", "@2x.png" })
        {
            var response = await _client.GetAsync($"/tiles/signals/{tile}.{format}".Replace(".@", "@", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task ETag_round_trip_gives_304_and_gzip_is_served_when_accepted()
    {
        var tile = await HighTileAsync(14);
        var url = $"/tiles/areas/{tile}.mvt";
        var first = await _client.GetAsync(url);
        var etag = first.Headers.ETag?.Tag;
        Assert.NotNull(etag);
        Assert.Contains("public", first.Headers.CacheControl?.ToString());
        var raw = await first.Content.ReadAsByteArrayAsync();

        var again = await Mvt.GetAsync(_client, url, ifNoneMatch: etag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal("HIT", again.Headers.GetValues("X-Cache").Single());

        var stale = await Mvt.GetAsync(_client, url, ifNoneMatch: "\"something-else\"");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);

        var zipped = await Mvt.GetAsync(_client, url, gzip: true);
        Assert.Equal("gzip", Assert.Single(zipped.Content.Headers.ContentEncoding));
        Assert.NotEqual(etag, zipped.Headers.ETag?.Tag);
        using var gz = new GZipStream(await zipped.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var unzipped = new MemoryStream();
        await gz.CopyToAsync(unzipped);
        Assert.Equal(raw, unzipped.ToArray());
    }

    [Fact]
    public async Task Choropleth_png_has_the_tile_size_and_the_ramp_colour_of_the_high_score_area()
    {
        var styles = TileStyles.Load();
        var expected = styles.Areas.FillFor(95);
        Assert.Equal(Rgba.Parse("#bd0026"), expected with { A = 255 });
        var tile = await HighTileAsync(15);
        // The pixel of a point inside T-HIGH, away from its outline.
        var p = await data.Rd3857Async(121150, 487250);
        foreach (var (suffix, size) in new[] { ("png", 256), ("@2x.png", 512) })
        {
            var response = await _client.GetAsync($"/tiles/areas/{tile}{(suffix == "png" ? ".png" : suffix)}");
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            var png = DecodedPng.Decode(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(size, png.Width);
            Assert.Equal(size, png.Height);
            var (px, py) = tile.ToPixel(p.X, p.Y, size);
            var (r, g, b, a) = png.Pixel((int)px, (int)py);
            Assert.InRange(a, expected.A - 2, expected.A + 2);
            Assert.InRange(r, expected.R - 2, expected.R + 2);
            Assert.InRange(g, expected.G - 2, expected.G + 2);
            Assert.InRange(b, expected.B - 2, expected.B + 2);
        }
    }

    [Fact]
    public async Task Adjacent_heatmap_tiles_match_along_their_shared_edge()
    {
        // The vertical tile edge at z16 nearest to the centre of the signals runs through them.
        var centre = await HighTileAsync(16);
        var (hx, hy) = await data.Rd3857Async(121200, 487200);
        var (px, _) = centre.ToPixel(hx, hy, 256);
        var left = px < 128 ? new TileId(16, centre.X - 1, centre.Y) : centre;
        var right = new TileId(16, left.X + 1, left.Y);
        var a = DecodedPng.Decode(await _client.GetByteArrayAsync($"/tiles/signals/{left}.png"));
        var b = DecodedPng.Decode(await _client.GetByteArrayAsync($"/tiles/signals/{right}.png"));

        var inked = 0;
        for (var y = 0; y < 256; y++)
        {
            var a254 = a.Pixel(254, y).A;
            var a255 = a.Pixel(255, y).A;
            var b0 = b.Pixel(0, y).A;
            var b1 = b.Pixel(1, y).A;
            if (a255 > 0 || b0 > 0) inked++;
            // One continuous field: the step across the seam is no bigger than the steps beside
            // it. A tile that missed its neighbour's signals would jump here.
            var inner = Math.Max(Math.Abs(a254 - a255), Math.Abs(b0 - b1));
            Assert.True(Math.Abs(a255 - b0) <= inner * 1.5 + 6,
                $"row {y}: alpha {a254},{a255} | {b0},{b1} jumps across the tile edge");
        }
        Assert.True(inked > 30, $"only {inked} rows of the shared edge carry heat; the test needs the hotspot on the edge");
    }

    [Fact]
    public async Task Hexbins_mvt_has_cells_of_the_zoom_size_with_counts_rate_and_gi_class()
    {
        var tile = await HighTileAsync(12);
        var mvt = Mvt.Decode(await _client.GetByteArrayAsync($"/tiles/hexbins/{tile}.mvt"));
        var layer = Assert.Single(mvt.Layers);
        Assert.Equal("hexbins", layer.Name);
        var cells = layer.Features.Select(f => Mvt.Attributes(layer, f)).ToList();
        Assert.All(cells, c => Assert.Equal(1000L, Convert.ToInt64(c["size_m"])));
        Assert.Equal(TileDataFixture.HighSignals, cells.Sum(c => Convert.ToInt64(c["n"])));
        Assert.All(cells, c => Assert.InRange(Convert.ToInt64(c["gi_class"]), -3, 3));
        Assert.All(cells, c => Assert.True(Convert.ToDouble(c["rate_km2"]) > 0));

        var deeper = await HighTileAsync(15);
        var deepMvt = Mvt.Decode(await _client.GetByteArrayAsync($"/tiles/hexbins/{deeper}.mvt"));
        Assert.All(deepMvt.Layers.Single().Features, f => Assert.Equal(100L, Convert.ToInt64(Mvt.Attributes(deepMvt.Layers[0], f)["size_m"])));
    }

    [Fact]
    public async Task Cameras_mvt_has_points_and_viewsheds_and_png_shows_coverage()
    {
        var tile = await HighTileAsync(15);
        var mvt = Mvt.Decode(await _client.GetByteArrayAsync($"/tiles/cameras/{tile}.mvt"));
        var cams = Assert.Single(mvt.Layers, l => l.Name == "cameras");
        Assert.Equal("CAM-1", Mvt.Attributes(cams, Assert.Single(cams.Features))["id"]);
        Assert.Equal(Tile.Types.GeomType.Polygon, Assert.Single(Assert.Single(mvt.Layers, l => l.Name == "viewsheds").Features).Type);

        var png = DecodedPng.Decode(await _client.GetByteArrayAsync($"/tiles/cameras/{tile}.png"));
        var inside = await data.Rd3857Async(121280, 487200); // east of the camera, inside its 60° sector
        var (px, py) = tile.ToPixel(inside.X, inside.Y, 256);
        Assert.True(png.Pixel((int)px, (int)py).A > 0);
    }

    [Fact]
    public async Task A_scoped_caller_sees_only_the_areas_and_signals_of_its_casustafels()
    {
        await data.Database.ScalarAsync<int>("""
            INSERT INTO casustafel (id, name) VALUES ('t-laag', 'Test laag') ON CONFLICT DO NOTHING;
            INSERT INTO casustafel_area (casustafel_id, area_code) VALUES ('t-laag', 'T-LOW') ON CONFLICT DO NOTHING;
            SELECT 1
            """);
        var tile = await HighTileAsync(14);
        using var member = await data.Factory.CreateClientAsync("member", "t-laag");
        var scoped = await member.GetAsync($"/tiles/areas/{tile}.mvt");
        Assert.Contains("private", scoped.Headers.CacheControl?.ToString());
        var layer = Mvt.Decode(await scoped.Content.ReadAsByteArrayAsync()).Layers.Single();
        Assert.Equal(["T-LOW"], layer.Features.Select(f => (string)Mvt.Attributes(layer, f)["code"]));

        // The signals are all in T-HIGH: nothing for this caller, while unrestricted callers see them.
        var signals = await member.GetAsync($"/tiles/signals/{tile}.mvt");
        Assert.Equal(HttpStatusCode.NoContent, signals.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/tiles/signals/{tile}.mvt")).StatusCode);
    }

    [Fact]
    public async Task Tiles_need_an_api_key() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await data.Factory.CreateAnonymousClient().GetAsync("/tiles/areas/10/525/336.mvt")).StatusCode);

    [Fact]
    public async Task A_viewer_gets_only_suppressed_signal_cells_never_points()
    {
        using var viewer = await data.Factory.CreateClientAsync("viewer");
        // At zoom 15 every cell holds a signal or two: below k, so nothing at all.
        Assert.Equal(HttpStatusCode.NoContent, (await viewer.GetAsync($"/tiles/signals/{await HighTileAsync(15)}.mvt")).StatusCode);
        // At zoom 9 the 40 signals fall in the tile's grid cells of about 1.2 km (64 per tile side; the
        // 400 m square may straddle a grid line): each shown as the count published for exactly its
        // signals (cell-key noise by the sum of their record keys, then rounded).
        var mvt = Mvt.Decode(await viewer.GetByteArrayAsync($"/tiles/signals/{await HighTileAsync(9)}.mvt"));
        Assert.DoesNotContain(mvt.Layers, l => l.Name == "signals");
        var cells = Assert.Single(mvt.Layers, l => l.Name == "signal_cells");
        var k = await data.Database.ScalarAsync<int>("SELECT access_suppression_k()");
        var perCell = (await data.Database.ScalarAsync<string>("""
            SELECT string_agg(n || ':' || key_sum, ',') FROM (
                SELECT count(*) AS n, sum(record_key)::bigint AS key_sum
                FROM signal s, LATERAL (SELECT ST_Transform(s.geom, 3857) AS g) p,
                     LATERAL (SELECT 2 * 20037508.342789244 / 2 ^ 9 / 64 AS cell) c
                WHERE s.source = 'politie' AND s.external_id ~ '^T-[0-9]+$'
                GROUP BY floor((ST_X(p.g) + 20037508.342789244) / c.cell), floor((20037508.342789244 - ST_Y(p.g)) / c.cell)) t
            """)).Split(',').Select(p => p.Split(':')).Select(p => (N: long.Parse(p[0], CultureInfo.InvariantCulture), Keys: long.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(TileDataFixture.HighSignals, perCell.Sum(c => c.N));
        var expected = perCell.Select(c => GeoRisk.Core.Access.Suppression.Publish(c.N, c.Keys, k).Value).Where(v => v is not null).Select(v => v!.Value).Order().ToList();
        Assert.Equal(expected, cells.Features.Select(f => Convert.ToInt64(Mvt.Attributes(cells, f)["n"])).Order().ToList());
    }

    [Fact]
    public async Task TileJson_describes_the_layer_and_carries_the_filter_into_the_tile_urls()
    {
        using var doc = JsonDocument.Parse(await _client.GetStringAsync("/tiles/signals.json?category=witwassen&from=2026-01-01"));
        var root = doc.RootElement;
        Assert.Equal("3.0.0", root.GetProperty("tilejson").GetString());
        Assert.EndsWith("/tiles/signals/{z}/{x}/{y}.mvt?category=witwassen&from=2026-01-01", root.GetProperty("tiles")[0].GetString());
        Assert.Equal(6, root.GetProperty("minzoom").GetInt32());
        Assert.Equal(18, root.GetProperty("maxzoom").GetInt32());
        Assert.Equal(4, root.GetProperty("bounds").GetArrayLength());
        var layers = root.GetProperty("vector_layers").EnumerateArray().Select(l => l.GetProperty("id").GetString()).ToList();
        Assert.Equal(["signals", "signal_cells"], layers);
        Assert.True(root.GetProperty("vector_layers")[0].GetProperty("fields").TryGetProperty("category", out _));

        using var catalogue = JsonDocument.Parse(await _client.GetStringAsync("/tiles"));
        Assert.Equal(["areas", "cameras", "coverage", "gelegenheidskaart", "hexbins", "hotspots", "incidents", "signals"],
            catalogue.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Area_map_cutout_is_a_png_of_the_requested_size()
    {
        var response = await _client.GetAsync("/api/areas/T-HIGH/map.png?width=300&height=200&layers=areas,signals,cameras");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var png = DecodedPng.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(300, png.Width);
        Assert.Equal(200, png.Height);
        // The centre of the cut-out is the area: not the white background.
        Assert.NotEqual(((byte)255, (byte)255, (byte)255, (byte)255), png.Pixel(150, 100));

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/areas/NOPE/map.png")).StatusCode);
        var bad = await _client.GetAsync("/api/areas/T-HIGH/map.png?width=5&layers=areas,kaas");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var text = await bad.Content.ReadAsStringAsync();
        Assert.Contains("width must be a whole number of pixels from 64 to 2048", text);
        Assert.Contains("areas, hotspots, signals, cameras, incidents, coverage", text);
    }
}
