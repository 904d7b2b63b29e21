using System.Globalization;
using System.Net;
using System.Text.Json;
using GeoRisk.Core.Tiles;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Tiles;

/// <summary>
/// The hotspots tile layer draws the hot-spot endpoint's Gi*: for the same area, period, categories
/// and cell size, every cell of the decoded tiles has the endpoint's class and count, and no cell
/// of the endpoint's answer is missing from the tiles.
/// </summary>
public sealed class HotspotTileTests
{
    private const string Area = "PC4-1012";

    [Theory]
    [InlineData(15, 100, "", 40)]
    [InlineData(14, 250, "", 8)]
    [InlineData(15, 100, "drugshandel", 40)]
    public async Task Tile_classes_equal_the_endpoints_classes(int z, int cell, string category, int minCells)
    {
        await using var factory = new TileApiFactory(DemoDatabase.ConnectionString);
        var client = factory.CreateClient();
        // The endpoint's 'to' is exclusive, the tile filter's inclusive: the same 365 days.
        const string from = "2025-11-16", toExclusive = "2026-11-16", toInclusive = "2026-11-15";
        var categoryQuery = category.Length > 0 ? $"&category={category}" : "";

        var response = await client.GetAsync(new Uri($"/api/areas/{Area}/hotspots?cell={cell}&from={from}&to={toExclusive}{categoryQuery}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var expected = new Dictionary<(long, long), (long Class, long Count)>();
        foreach (var f in JsonDocument.Parse(body).RootElement.GetProperty("features").EnumerateArray())
        {
            var p = f.GetProperty("properties");
            expected[(p.GetProperty("q").GetInt64(), p.GetProperty("r").GetInt64())] = (p.GetProperty("gi_bin").GetInt64(), p.GetProperty("count").GetInt64());
        }
        Assert.True(expected.Count >= minCells, $"only {expected.Count} cells in the endpoint's answer");
        // Something to compare: the planted hot spots of 1012 show at 100 m.
        if (cell == 100) Assert.Contains(expected.Values, v => v.Class > 0);

        // Every tile of the zoom over the area's box.
        var (minX, minY, maxX, maxY) = await BoxAsync();
        var low = TileId.ContainingPoint(minX, minY, z);
        var high = TileId.ContainingPoint(maxX, maxY, z);
        var drawn = new Dictionary<(long, long), (long Class, long Count)>();
        for (var x = Math.Min(low.X, high.X); x <= Math.Max(low.X, high.X); x++)
        for (var y = Math.Min(low.Y, high.Y); y <= Math.Max(low.Y, high.Y); y++)
        {
            var tile = await client.GetAsync(new Uri($"/tiles/hotspots/{z}/{x}/{y}.mvt?area={Area}&from={from}&to={toInclusive}{categoryQuery}", UriKind.Relative));
            Assert.True(tile.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{z}/{x}/{y}: {tile.StatusCode}");
            if (tile.StatusCode == HttpStatusCode.NoContent) continue;
            var layer = Assert.Single(Mvt.Decode(await tile.Content.ReadAsByteArrayAsync()).Layers);
            Assert.Equal("hotspots", layer.Name);
            foreach (var feature in layer.Features)
            {
                var a = Mvt.Attributes(layer, feature);
                Assert.Equal(cell, Convert.ToInt64(a["size_m"], CultureInfo.InvariantCulture));
                var key = (Convert.ToInt64(a["q"], CultureInfo.InvariantCulture), Convert.ToInt64(a["r"], CultureInfo.InvariantCulture));
                var value = (Convert.ToInt64(a["gi_class"], CultureInfo.InvariantCulture), Convert.ToInt64(a["n"], CultureInfo.InvariantCulture));
                // A cell on a tile edge is in both tiles, alike.
                if (drawn.TryGetValue(key, out var seen)) Assert.Equal(seen, value);
                drawn[key] = value;
            }
        }
        Assert.Equal(expected.OrderBy(kv => kv.Key).ToList(), drawn.OrderBy(kv => kv.Key).ToList());
    }

    [Fact]
    public async Task The_png_tiles_colour_every_cell_of_the_vector_tiles_by_its_class_and_the_cutout_draws_them()
    {
        await using var factory = new TileApiFactory(DemoDatabase.ConnectionString);
        var client = factory.CreateClient();
        var styles = GeoRisk.Tiles.Styles.TileStyles.Load();
        const string query = "?area=" + Area + "&from=2025-11-16&to=2026-11-15";
        var (minX, minY, maxX, maxY) = await BoxAsync();
        var low = TileId.ContainingPoint(minX, minY, 15);
        var high = TileId.ContainingPoint(maxX, maxY, 15);
        var checkedCells = 0;
        for (var x = Math.Min(low.X, high.X); x <= Math.Max(low.X, high.X); x++)
        for (var y = Math.Min(low.Y, high.Y); y <= Math.Max(low.Y, high.Y); y++)
        {
            var mvt = await client.GetAsync(new Uri($"/tiles/hotspots/15/{x}/{y}.mvt{query}", UriKind.Relative));
            var png = await client.GetAsync(new Uri($"/tiles/hotspots/15/{x}/{y}.png{query}", UriKind.Relative));
            Assert.Equal(mvt.StatusCode, png.StatusCode);
            if (mvt.StatusCode == HttpStatusCode.NoContent) continue;
            var layer = Assert.Single(Mvt.Decode(await mvt.Content.ReadAsByteArrayAsync()).Layers);
            var image = GeoRisk.Tests.Support.DecodedPng.Decode(await png.Content.ReadAsByteArrayAsync());
            foreach (var feature in layer.Features)
            {
                // Cells wholly inside the tile: their centre is the mean of their corners.
                var ring = Mvt.Vertices(feature);
                if (ring.Any(v => v.X is < 0 or > 4096 || v.Y is < 0 or > 4096)) continue;
                var (cx, cy) = (ring.Average(v => v.X) / 16, ring.Average(v => v.Y) / 16);
                var expected = styles.Hexbins.ColourForClass(Convert.ToInt32(Mvt.Attributes(layer, feature)["gi_class"], CultureInfo.InvariantCulture));
                var (r, g, b, a) = image.Pixel((int)cx, (int)cy);
                // The PNG stores the colour un-premultiplied: equal up to rounding.
                Assert.True(Math.Abs(a - expected.A) <= 1 && Math.Abs(r - expected.R) <= 2 && Math.Abs(g - expected.G) <= 2 && Math.Abs(b - expected.B) <= 2,
                    $"cell at ({cx:F0}, {cy:F0}) of 15/{x}/{y}: ({r}, {g}, {b}, {a}), expected {expected}");
                checkedCells++;
            }
        }
        Assert.True(checkedCells >= 20, $"only {checkedCells} cells checked");

        // The area's cut-out draws its hot spots when asked (the cut-out's area is the layer's area).
        var plain = GeoRisk.Tests.Support.DecodedPng.Decode(await client.GetByteArrayAsync(new Uri($"/api/areas/{Area}/map.png?layers=areas", UriKind.Relative)));
        var withCells = GeoRisk.Tests.Support.DecodedPng.Decode(await client.GetByteArrayAsync(new Uri($"/api/areas/{Area}/map.png?layers=areas,hotspots", UriKind.Relative)));
        var changed = 0;
        for (var y = 0; y < plain.Height; y++)
        for (var x = 0; x < plain.Width; x++)
            if (plain.Pixel(x, y) != withCells.Pixel(x, y)) changed++;
        Assert.True(changed > plain.Width * plain.Height / 10, $"the hot spots changed only {changed} pixels of the cut-out");
    }

    [Fact]
    public async Task Without_an_area_the_layer_is_empty_and_a_malformed_area_is_a_400()
    {
        await using var factory = new TileApiFactory(DemoDatabase.ConnectionString);
        var client = factory.CreateClient();
        var (minX, minY, _, _) = await BoxAsync();
        var t = TileId.ContainingPoint(minX, minY, 15);
        Assert.Equal(HttpStatusCode.NoContent, (await client.GetAsync(new Uri($"/tiles/hotspots/{t.Z}/{t.X}/{t.Y}.mvt", UriKind.Relative))).StatusCode);
        var bad = await client.GetAsync(new Uri($"/tiles/hotspots/{t.Z}/{t.X}/{t.Y}.mvt?area=%27%3B--", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("area", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<(double, double, double, double)> BoxAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(DemoDatabase.ConnectionString);
        await using var command = dataSource.CreateCommand("""
            SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
            FROM (SELECT ST_Transform(geom, 3857) AS b FROM area WHERE code = $1 AND valid_to IS NULL) a
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Area });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
    }
}
