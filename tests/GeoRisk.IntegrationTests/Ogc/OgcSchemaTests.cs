using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace GeoRisk.IntegrationTests.Ogc;

/// <summary>
/// The OGC API answers validated against the official OGC API – Features Part 1 schemas, vendored
/// in Ogc/schemas (with their licence), by Debian's python3-jsonschema (ogc_schema_check.py):
/// landing page, conformance, collections, one collection, pages of items of every collection
/// (in CRS84 and RD New) and single features.
/// </summary>
public sealed class OgcSchemaTests(OgcApiFixture fixture) : IClassFixture<OgcApiFixture>
{
    private readonly HttpClient _admin = fixture.Factory.CreateClient();

    private static string OgcDirectory => Path.Combine(AppContext.BaseDirectory, "Ogc");

    /// <summary>Validation errors per document (empty: valid).</summary>
    private static async Task<Dictionary<string, List<string>>> ValidateAsync(IEnumerable<(string Schema, string Json, string Name)> documents)
    {
        Assert.True(File.Exists("/usr/lib/python3/dist-packages/jsonschema/__init__.py"), "python3-jsonschema is missing: scripts/test.sh installs it");
        var dir = Directory.CreateTempSubdirectory("georisk-ogc-schema-").FullName;
        try
        {
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(OgcDirectory, "ogc_schema_check.py"));
            start.ArgumentList.Add(Path.Combine(OgcDirectory, "schemas", "features-core"));
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
}
