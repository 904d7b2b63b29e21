using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GeoRisk.Core.Access;
using GeoRisk.Data.Migrations;
using GeoRisk.Rendering;
using GeoRisk.Tests.Support;
using GeoRisk.Tiles;

namespace GeoRisk.IntegrationTests.Tiles;

/// <summary>
/// Adding a tile layer takes a definition and its SQL functions (Tiles/tile_demo.sql): the demo
/// layer below then has vector and PNG tiles that follow the caller's scope, TileJSON, a
/// catalogue entry with the web map's label and style, and a place in an area's map cut-out.
/// The same definition without its raster part has nothing it did not ask for (no PNG, not in
/// the cut-out).
/// </summary>
public sealed class TileLayerDefinitionTests(TileDataFixture data) : IClassFixture<TileDataFixture>
{
    private static readonly Rgba DemoColour = Rgba.Parse("#123456");

    private static readonly TileLayerDefinition Demo = new("demo", "Demo: one point per area", 10, 16,
    [
        new("demo", "A point inside each current area", new Dictionary<string, string>
        {
            ["code"] = "String: area code",
            ["kind"] = "String: area kind",
        }),
    ])
    {
        DataVersions = ["area", "casustafel"],
        WebMap = new WebMapLayer("Demo", "Demo",
            [new JsonObject { ["type"] = "circle", ["paint"] = new JsonObject { ["circle-color"] = "#123456" } }]),
        // PNG tiles and the cut-out: tile_demo_raster's points as dots of the web map's colour.
        Raster = TileRaster.Features(new RasterStyle(
            [new RasterRule { PointRadius = 5, PointFill = RasterStyle.Colour(DemoColour) }])),
        InCutout = true,
    };

    private Task<TileApiFactory> FactoryWithDemoAsync() => FactoryWithAsync(Demo);

    private async Task<TileApiFactory> FactoryWithAsync(TileLayerDefinition demo)
    {
        using var sql = typeof(TileLayerDefinitionTests).Assembly.GetManifestResourceStream("GeoRisk.IntegrationTests.Tiles.tile_demo.sql")!;
        using var reader = new StreamReader(sql);
        // The layer's SQL goes in as a repeatable file, as a file in sql/functions/ would.
        await new MigrationRunner(data.Database.DataSource, [new RepeatableMigration("9900_tile_demo", await reader.ReadToEndAsync())]).MigrateAsync();
        return new TileApiFactory(data.Database.ConnectionString) { ExtraServices = s => s.AddTileLayer(_ => demo) };
    }

    [Fact]
    public async Task A_layer_added_as_a_definition_and_sql_functions_serves_tiles_png_tilejson_its_catalogue_entry_and_the_cutout()
    {
        await using var factory = await FactoryWithDemoAsync();
        using var admin = factory.CreateClient();
        var tile = await data.TileAtRdAsync(121400, 487200, 14);

        // Tiles: both test areas, with their attributes, from the definition's SQL function.
        var response = await admin.GetAsync(new Uri($"/tiles/demo/{tile}.mvt", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var layer = Assert.Single(Mvt.Decode(await response.Content.ReadAsByteArrayAsync()).Layers);
        Assert.Equal("demo", layer.Name);
        var codes = layer.Features.Select(f => (string)Mvt.Attributes(layer, f)["code"]).Order().ToList();
        Assert.Equal([TileDataFixture.HighArea, TileDataFixture.LowArea], codes);

        // The zoom range of the definition.
        var outside = await admin.GetAsync(new Uri($"/tiles/demo/9/{tile.X >> 5}/{tile.Y >> 5}.mvt", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);

        // PNG at both sizes: a dot of the style's colour where each point of the MVT lies.
        foreach (var (suffix, size) in new[] { (".png", 256), ("@2x.png", 512) })
        {
            var png = DecodedPng.Decode(await admin.GetByteArrayAsync(new Uri($"/tiles/demo/{tile}{suffix}", UriKind.Relative)));
            Assert.Equal(size, png.Width);
            foreach (var feature in layer.Features)
            {
                var (x, y) = Mvt.FirstPoint(feature);
                Assert.Equal(DemoColour, PixelAt(png, x * size / 4096.0, y * size / 4096.0));
            }
            Assert.Equal(2, Dots(png));
        }

        var tileJson = await admin.GetFromJsonAsync<JsonElement>(new Uri("/tiles/demo.json", UriKind.Relative));
        Assert.Equal(10, tileJson.GetProperty("minzoom").GetInt32());
        Assert.Equal(16, tileJson.GetProperty("maxzoom").GetInt32());
        var vectorLayer = Assert.Single(tileJson.GetProperty("vector_layers").EnumerateArray());
        Assert.Equal("demo", vectorLayer.GetProperty("id").GetString());
        Assert.True(vectorLayer.GetProperty("fields").TryGetProperty("code", out _));
        Assert.Equal(2, tileJson.GetProperty("raster_tiles").GetArrayLength());

        // The catalogue lists it with what the web map needs, and as a layer of the cut-out.
        var catalogue = await admin.GetFromJsonAsync<JsonElement>(new Uri("/tiles/", UriKind.Relative));
        var entry = catalogue.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("id").GetString() == "demo");
        Assert.Equal(["mvt", "png", "@2x.png"], entry.GetProperty("formats").EnumerateArray().Select(f => f.GetString()));
        Assert.True(entry.GetProperty("cutout").GetBoolean());
        Assert.Equal("Demo", entry.GetProperty("web").GetProperty("label").GetProperty("nl").GetString());
        Assert.Equal("#123456", entry.GetProperty("web").GetProperty("style")[0].GetProperty("paint").GetProperty("circle-color").GetString());

        // The cut-out of an area draws the layer when asked: the area's own point in the middle of the
        // frame (the square's centre; the neighbour's lies outside the frame).
        var map = await admin.GetAsync(new Uri($"/api/areas/{TileDataFixture.HighArea}/map.png?width=400&height=300&layers=areas,demo", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, map.StatusCode);
        var cutout = DecodedPng.Decode(await map.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, Dots(cutout));
        Assert.Equal(DemoColour, PixelAt(cutout, 200, 150));
        var without = DecodedPng.Decode(await admin.GetByteArrayAsync(new Uri($"/api/areas/{TileDataFixture.HighArea}/map.png?width=400&height=300&layers=areas", UriKind.Relative)));
        Assert.Equal(0, Dots(without));
    }

    [Fact]
    public async Task Without_a_raster_part_the_layer_has_vector_tiles_only_and_no_place_in_the_cutout()
    {
        await using var factory = await FactoryWithAsync(Demo with { Raster = null, InCutout = false });
        using var admin = factory.CreateClient();
        var tile = await data.TileAtRdAsync(121400, 487200, 14);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri($"/tiles/demo/{tile}.mvt", UriKind.Relative))).StatusCode);
        var png = await admin.GetAsync(new Uri($"/tiles/demo/{tile}.png", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, png.StatusCode);
        Assert.Contains("vector tiles only", await png.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var tileJson = await admin.GetFromJsonAsync<JsonElement>(new Uri("/tiles/demo.json", UriKind.Relative));
        Assert.Equal(0, tileJson.GetProperty("raster_tiles").GetArrayLength());
        var catalogue = await admin.GetFromJsonAsync<JsonElement>(new Uri("/tiles/", UriKind.Relative));
        var entry = catalogue.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("id").GetString() == "demo");
        Assert.Equal(["mvt"], entry.GetProperty("formats").EnumerateArray().Select(f => f.GetString()));
        Assert.False(entry.GetProperty("cutout").GetBoolean());
        var map = await admin.GetAsync(new Uri($"/api/areas/{TileDataFixture.HighArea}/map.png?layers=demo", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, map.StatusCode);
    }

    /// <summary>The pixel at a point (clamped into the image), as an opaque colour or default.</summary>
    private static Rgba PixelAt(DecodedPng png, double x, double y)
    {
        var (r, g, b, a) = png.Pixel(Math.Clamp((int)x, 0, png.Width - 1), Math.Clamp((int)y, 0, png.Height - 1));
        return a == 255 ? new Rgba(r, g, b) : default;
    }

    /// <summary>Separate blobs of the demo colour (4-connected), i.e. the dots drawn.</summary>
    private static int Dots(DecodedPng png)
    {
        var seen = new bool[png.Width * png.Height];
        var dots = 0;
        for (var i = 0; i < seen.Length; i++)
        {
            if (seen[i] || PixelAt(png, i % png.Width, i / png.Width) != DemoColour) continue;
            dots++;
            var stack = new Stack<int>([i]);
            seen[i] = true;
            while (stack.TryPop(out var p))
            {
                int px = p % png.Width, py = p / png.Width;
                foreach (var (nx, ny) in new[] { (px + 1, py), (px - 1, py), (px, py + 1), (px, py - 1) })
                {
                    if (nx < 0 || ny < 0 || nx >= png.Width || ny >= png.Height) continue;
                    var n = ny * png.Width + nx;
                    if (seen[n] || PixelAt(png, nx, ny) != DemoColour) continue;
                    seen[n] = true;
                    stack.Push(n);
                }
            }
        }
        return dots;
    }

    [Fact]
    public async Task The_demo_layer_follows_the_callers_scope_like_every_layer()
    {
        await data.Database.ScalarAsync<int>("""
            INSERT INTO casustafel (id, name) VALUES ('t-demo', 'Test demo') ON CONFLICT DO NOTHING;
            INSERT INTO casustafel_area (casustafel_id, area_code) VALUES ('t-demo', 'T-LOW') ON CONFLICT DO NOTHING;
            SELECT 1
            """);
        await using var factory = await FactoryWithDemoAsync();
        using var member = await factory.CreateClientAsync(Role.Member, "t-demo");
        var tile = await data.TileAtRdAsync(121400, 487200, 14);

        var layer = Assert.Single(Mvt.Decode(await member.GetByteArrayAsync(new Uri($"/tiles/demo/{tile}.mvt", UriKind.Relative))).Layers);
        var codes = layer.Features.Select(f => (string)Mvt.Attributes(layer, f)["code"]).ToList();
        Assert.Equal([TileDataFixture.LowArea], codes);
    }
}
