using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace GeoRisk.IntegrationTests.Ogc;

/// <summary>
/// The OGC API answers validated against the official OGC API – Features Part 1 and OGC API – Tiles
/// schemas, vendored in Ogc/schemas (with their licences), by Debian's python3-jsonschema
/// (ogc_schema_check.py): landing page, conformance, collections, one collection, pages of items of
/// every collection (in CRS84 and RD New), single features, tile matrix sets and tile sets.
/// </summary>
public sealed class OgcSchemaTests(OgcApiFixture fixture) : IClassFixture<OgcApiFixture>
{
    private readonly HttpClient _admin = fixture.Factory.CreateClient();

    private static string OgcDirectory => Path.Combine(AppContext.BaseDirectory, "Ogc");

    /// <summary>Validation errors per document (empty: valid).</summary>
    private static Task<Dictionary<string, List<string>>> ValidateAsync(IEnumerable<(string Schema, string Json, string Name)> documents) =>
        ValidateAsync(Path.Combine(OgcDirectory, "schemas", "features-core"), documents);

    /// <summary>The OGC API – Tiles schemas keep their repository layout (they refer to each other by relative paths).</summary>
    private static string TilesSchemas => Path.Combine(OgcDirectory, "schemas", "tiles", "schemas");

    private static async Task<Dictionary<string, List<string>>> ValidateAsync(string schemaRoot, IEnumerable<(string Schema, string Json, string Name)> documents)
    {
        Assert.True(File.Exists("/usr/lib/python3/dist-packages/jsonschema/__init__.py"), "python3-jsonschema is missing: scripts/test.sh installs it");
        var dir = Directory.CreateTempSubdirectory("georisk-ogc-schema-").FullName;
        try
        {
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(OgcDirectory, "ogc_schema_check.py"));
            start.ArgumentList.Add(schemaRoot);
            var names = new Dictionary<string, string>();
            foreach (var (schema, json, name) in documents)
            {
                var path = Path.Combine(dir, $"{names.Count}.json");
                await File.WriteAllTextAsync(path, json);
                names[path] = name;
                start.ArgumentList.Add(schema);
                start.ArgumentList.Add(path);
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"ogc_schema_check.py exited with {process.ExitCode}: {await stderr}");
            var result = JsonSerializer.Deserialize<Dictionary<string, List<string>>>(await stdout)!;
            return result.ToDictionary(r => names[r.Key], r => r.Value);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private async Task<string> GetAsync(string url)
    {
        var response = await _admin.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        return body;
    }

    [Fact]
    public async Task Landing_page_conformance_collections_items_and_features_are_valid_against_the_OGC_schemas()
    {
        var documents = new List<(string Schema, string Json, string Name)>
        {
            ("landingPage.yaml", await GetAsync("/ogc"), "/ogc"),
            ("confClasses.yaml", await GetAsync("/ogc/conformance"), "/ogc/conformance"),
        };
        var collections = await GetAsync("/ogc/collections");
        documents.Add(("collections.yaml", collections, "/ogc/collections"));
        var ids = JsonDocument.Parse(collections).RootElement.GetProperty("collections").EnumerateArray()
            .Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.Contains("areas", ids);
        Assert.Contains("signals", ids);
        Assert.Contains("scan-comparisons", ids);
        foreach (var id in ids)
        {
            documents.Add(("collection.yaml", await GetAsync($"/ogc/collections/{id}"), $"/ogc/collections/{id}"));
            var items = await GetAsync($"/ogc/collections/{id}/items?limit=5");
            documents.Add(("featureCollectionGeoJSON.yaml", items, $"/ogc/collections/{id}/items"));
            var first = JsonDocument.Parse(items).RootElement.GetProperty("features").EnumerateArray().FirstOrDefault();
            if (first.ValueKind == JsonValueKind.Object)
            {
                var featureId = first.GetProperty("id").ToString();
                documents.Add(("featureGeoJSON.yaml", await GetAsync($"/ogc/collections/{id}/items/{Uri.EscapeDataString(featureId)}"), $"/ogc/collections/{id}/items/{featureId}"));
            }
        }
        documents.Add(("featureCollectionGeoJSON.yaml",
            await GetAsync("/ogc/collections/areas/items?limit=3&crs=http://www.opengis.net/def/crs/EPSG/0/28992"), "areas in RD New"));
        Assert.True(documents.Count(d => d.Schema == "featureGeoJSON.yaml") >= 5, "single features of at least five collections");

        var errors = await ValidateAsync(documents);
        Assert.Equal(documents.Count, errors.Count);
        var invalid = errors.Where(e => e.Value.Count > 0).Select(e => $"{e.Key}: {string.Join("; ", e.Value.Take(3))}").ToList();
        Assert.True(invalid.Count == 0, string.Join("\n", invalid));
    }

    [Fact]
    public async Task The_check_rejects_documents_that_break_the_schemas()
    {
        // Without this, a checker that accepts everything would pass the test above.
        var landing = JsonDocument.Parse(await GetAsync("/ogc")).RootElement;
        var withoutLinks = JsonSerializer.Serialize(landing.EnumerateObject().Where(p => p.Name != "links").ToDictionary(p => p.Name, p => p.Value));
        var errors = await ValidateAsync(
        [
            ("landingPage.yaml", withoutLinks, "landing page without links"),
            ("featureGeoJSON.yaml", """{"type":"Feature","geometry":{"type":"Point","coordinates":"x"},"properties":{}}""", "point with text coordinates"),
            ("confClasses.yaml", """{"conformsTo":"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"}""", "conformsTo not a list"),
        ]);
        Assert.All(errors, e => Assert.NotEmpty(e.Value));
        Assert.Contains(errors["landing page without links"], m => m.Contains("'links' is a required property", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tile_matrix_sets_and_tile_sets_are_valid_against_the_OGC_API_Tiles_schemas()
    {
        var documents = new List<(string Schema, string Json, string Name)>();
        var sets = JsonDocument.Parse(await GetAsync("/ogc/tileMatrixSets")).RootElement.GetProperty("tileMatrixSets").EnumerateArray().ToList();
        Assert.Equal(2, sets.Count);
        foreach (var set in sets)
        {
            var id = set.GetProperty("id").GetString()!;
            documents.Add(("tms/tileMatrixSet-item.yaml", set.GetRawText(), $"/ogc/tileMatrixSets: {id}"));
            documents.Add(("tms/tileMatrixSet.yaml", await GetAsync($"/ogc/tileMatrixSets/{id}"), $"/ogc/tileMatrixSets/{id}"));
        }
        var tiled = new List<string>();
        var collections = JsonDocument.Parse(await GetAsync("/ogc/collections")).RootElement.GetProperty("collections").EnumerateArray()
            .Select(c => c.GetProperty("id").GetString()!).ToList();
        foreach (var collection in collections)
        {
            var response = await _admin.GetAsync(new Uri($"/ogc/collections/{collection}/tiles", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.NotFound) continue;
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/ogc/collections/{collection}/tiles: {(int)response.StatusCode}");
            tiled.Add(collection);
            foreach (var tileset in JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tilesets").EnumerateArray())
            {
                var tms = tileset.GetProperty("tileMatrixSetURI").GetString()!.Split('/')[^1];
                documents.Add(("tms/tileSet-item.yaml", tileset.GetRawText(), $"/ogc/collections/{collection}/tiles: {tms}"));
                documents.Add(("tms/tileSet.yaml", await GetAsync($"/ogc/collections/{collection}/tiles/{tms}"), $"/ogc/collections/{collection}/tiles/{tms}"));
            }
        }
        Assert.Contains("areas", tiled);
        Assert.Contains("scores", tiled);
        Assert.Contains(documents, d => d.Name == "/ogc/collections/areas/tiles/NetherlandsRDNewQuad");

        var errors = await ValidateAsync(TilesSchemas, documents);
        Assert.Equal(documents.Count, errors.Count);
        var invalid = errors.Where(e => e.Value.Count > 0).Select(e => $"{e.Key}: {string.Join("; ", e.Value.Take(3))}").ToList();
        Assert.True(invalid.Count == 0, string.Join("\n", invalid));
    }

    [Fact]
    public async Task The_tiles_check_rejects_tile_sets_and_matrix_sets_that_break_the_schemas()
    {
        var tileset = JsonDocument.Parse(await GetAsync("/ogc/collections/areas/tiles/WebMercatorQuad")).RootElement;
        var withoutDataType = JsonSerializer.Serialize(tileset.EnumerateObject().Where(p => p.Name != "dataType").ToDictionary(p => p.Name, p => p.Value));
        var tms = JsonDocument.Parse(await GetAsync("/ogc/tileMatrixSets/NetherlandsRDNewQuad")).RootElement;
        var withoutMatrices = JsonSerializer.Serialize(tms.EnumerateObject().Where(p => p.Name != "tileMatrices").ToDictionary(p => p.Name, p => p.Value));
        var errors = await ValidateAsync(TilesSchemas,
        [
            ("tms/tileSet.yaml", withoutDataType, "tile set without dataType"),
            ("tms/tileMatrixSet.yaml", withoutMatrices, "tile matrix set without tile matrices"),
            ("tms/tileSet-item.yaml", """{"dataType":"vector","crs":"http://www.opengis.net/def/crs/EPSG/0/3857","links":"none"}""", "tile set item with links not a list"),
        ]);
        Assert.All(errors, e => Assert.NotEmpty(e.Value));
        Assert.Contains(errors["tile set without dataType"], m => m.Contains("'dataType' is a required property", StringComparison.Ordinal));
        Assert.Contains(errors["tile matrix set without tile matrices"], m => m.Contains("'tileMatrices' is a required property", StringComparison.Ordinal));
    }
}
