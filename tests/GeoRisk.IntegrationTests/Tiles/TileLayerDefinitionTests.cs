using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GeoRisk.Core.Access;
using GeoRisk.Data.Migrations;
using GeoRisk.Tiles;

namespace GeoRisk.IntegrationTests.Tiles;

/// <summary>
/// Adding a tile layer takes a definition and its SQL function (Tiles/tile_demo.sql): the demo
/// layer below then has tiles that follow the caller's scope, TileJSON, a catalogue entry with
/// the web map's label and style, and nothing it did not ask for (no PNG, not in the cut-out).
/// </summary>
public sealed class TileLayerDefinitionTests(TileDataFixture data) : IClassFixture<TileDataFixture>
{
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
    };

    private async Task<TileApiFactory> FactoryWithDemoAsync()
    {
        using var sql = typeof(TileLayerDefinitionTests).Assembly.GetManifestResourceStream("GeoRisk.IntegrationTests.Tiles.tile_demo.sql")!;
        using var reader = new StreamReader(sql);
        // The layer's SQL goes in as a repeatable file, as a file in sql/functions/ would.
        await new MigrationRunner(data.Database.DataSource, [new RepeatableMigration("9900_tile_demo", await reader.ReadToEndAsync())]).MigrateAsync();
        return new TileApiFactory(data.Database.ConnectionString) { ExtraServices = s => s.AddTileLayer(_ => Demo) };
    }

    [Fact]
    public async Task A_layer_added_as_a_definition_and_a_sql_function_serves_tiles_tilejson_and_its_catalogue_entry()
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

        // Vector tiles only: a PNG is a 404 problem, and TileJSON offers no raster URLs.
        var png = await admin.GetAsync(new Uri($"/tiles/demo/{tile}.png", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, png.StatusCode);
        Assert.Contains("vector tiles only", await png.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var tileJson = await admin.GetFromJsonAsync<JsonElement>(new Uri("/tiles/demo.json", UriKind.Relative));
        Assert.Equal(10, tileJson.GetProperty("minzoom").GetInt32());
        Assert.Equal(16, tileJson.GetProperty("maxzoom").GetInt32());
        var vectorLayer = Assert.Single(tileJson.GetProperty("vector_layers").EnumerateArray());
        Assert.Equal("demo", vectorLayer.GetProperty("id").GetString());
        Assert.True(vectorLayer.GetProperty("fields").TryGetProperty("code", out _));
        Assert.Equal(0, tileJson.GetProperty("raster_tiles").GetArrayLength());

        // The catalogue lists it with what the web map needs; the cut-out does not offer it.
        var catalogue = await admin.GetFromJsonAsync<JsonElement>(new Uri("/tiles/", UriKind.Relative));
        var entry = catalogue.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("id").GetString() == "demo");
        Assert.Equal(["mvt"], entry.GetProperty("formats").EnumerateArray().Select(f => f.GetString()));
        Assert.False(entry.GetProperty("cutout").GetBoolean());
        Assert.Equal("Demo", entry.GetProperty("web").GetProperty("label").GetProperty("nl").GetString());
        Assert.Equal("#123456", entry.GetProperty("web").GetProperty("style")[0].GetProperty("paint").GetProperty("circle-color").GetString());
        var map = await admin.GetAsync(new Uri($"/api/areas/{TileDataFixture.HighArea}/map.png?layers=demo", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, map.StatusCode);
        Assert.DoesNotContain("demo", catalogue.GetProperty("layers").EnumerateArray()
            .Where(l => l.GetProperty("cutout").GetBoolean()).Select(l => l.GetProperty("id").GetString()));
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
