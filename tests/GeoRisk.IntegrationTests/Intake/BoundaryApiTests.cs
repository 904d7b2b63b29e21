using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace GeoRisk.IntegrationTests.Intake;

/// <summary>POST /api/areas/import-boundaries: the published files as an upload, through the real API.</summary>
public sealed class BoundaryApiTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateClient();

    private static string File(string name) => Path.Combine(AppContext.BaseDirectory, "boundaries", name);

    private static ByteArrayContent Part(byte[] bytes)
    {
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/geo+json");
        return part;
    }

    [Fact]
    public async Task Several_files_in_one_form_import_with_exposure_and_derived_wijken()
    {
        using var form = new MultipartFormDataContent
        {
            { Part(await System.IO.File.ReadAllBytesAsync(File("amstelveen_buurten_crs84.geojson"))), "files", "amstelveen_buurten_crs84.geojson" },
            { Part(await System.IO.File.ReadAllBytesAsync(File("nl_gemeenten_2023_cbs_wgs84.geojson"))), "files", "nl_gemeenten_2023_cbs_wgs84.geojson" },
        };
        var response = await _client.PostAsync(new Uri("/api/areas/import-boundaries?gemeente=GM0362", UriKind.Relative), form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var result = JsonDocument.Parse(body).RootElement;
        var files = result.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(["cbs-buurt", "cbs-gemeente"], files.Select(f => f.GetProperty("format").GetString()));
        Assert.Equal(342, files[1].GetProperty("skipped").GetInt32());
        // Amstelveen's wijken are derived; the gemeente comes from the CBS file, not from the buurten.
        var wijken = await fixture.Database.ScalarAsync<long>("SELECT count(DISTINCT parent_code) FROM area WHERE kind = 'buurt' AND code LIKE 'BU0362%' AND valid_to IS NULL");
        var derived = Assert.Single(result.GetProperty("derived").EnumerateArray());
        Assert.Equal(("wijk", (int)wijken), (derived.GetProperty("kind").GetString(), derived.GetProperty("areas").GetInt32()));
        Assert.Equal(47 + (int)wijken + 1, result.GetProperty("inserted").GetInt32());
        using var cbs = JsonDocument.Parse(await System.IO.File.ReadAllTextAsync(File("nl_gemeenten_2023_cbs_wgs84.geojson")));
        var inwoners = cbs.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties"))
            .Single(p => p.GetProperty("gemeentecode").GetString() == "GM0362").GetProperty("aantalInwoners").GetDouble();
        Assert.Equal(inwoners, await fixture.Database.ScalarAsync<double>("SELECT exposure FROM area WHERE code = 'GM0362' AND valid_to IS NULL AND exposure_unit = 'inwoners'"));
    }

    [Fact]
    public async Task A_rejected_feature_is_a_422_naming_file_row_and_reason_and_bad_parameters_are_400s()
    {
        const string file = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"buurtcode":"BU99990101","buurtnaam":"Goed"},"geometry":{"type":"Polygon","coordinates":[[[4.85,52.30],[4.86,52.30],[4.86,52.31],[4.85,52.30]]]}},
              {"type":"Feature","properties":{"buurtcode":"BU99990102","buurtnaam":"Lijn"},"geometry":{"type":"LineString","coordinates":[[4.85,52.30],[4.86,52.30]]}}]}
            """;
        var response = await _client.PostAsync(new Uri("/api/areas/import-boundaries", UriKind.Relative), new StringContent(file, Encoding.UTF8, "application/geo+json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var rejection = Assert.Single(problem.GetProperty("rejections").EnumerateArray());
        Assert.Equal(("upload", 2, "invalid_geometry"), (rejection.GetProperty("file").GetString(), rejection.GetProperty("row").GetInt32(), rejection.GetProperty("reason").GetString()));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM area WHERE code LIKE '%9999%'"));

        foreach (var query in new[] { "?exposure=mensen", "?gemeente=Amstelveen", "?derive=misschien", "?mode=half", "?valid_from=gisteren" })
        {
            var bad = await _client.PostAsync(new Uri("/api/areas/import-boundaries" + query, UriKind.Relative), new StringContent(file, Encoding.UTF8, "application/geo+json"));
            Assert.True(bad.StatusCode == HttpStatusCode.BadRequest, query);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        }
        var unknown = await _client.PostAsync(new Uri("/api/areas/import-boundaries", UriKind.Relative),
            new StringContent("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"naam":"x"},"geometry":null}]}""", Encoding.UTF8, "application/geo+json"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("not a recognised boundary file", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
