using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace GeoRisk.IntegrationTests.Intake;

/// <summary>Area intake: boundaries as CBS/PDOK/data.amsterdam.nl deliver them, repaired and versioned.</summary>
public sealed class AreaImportTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateClient();

    private Task<HttpResponseMessage> ImportAsync(string geojson, string query) =>
        _client.PostAsync(new Uri("/api/areas/import" + query, UriKind.Relative), new StringContent(geojson, Encoding.UTF8, "application/geo+json"));

    /// <summary>A CBS wijk- en buurtkaart feature: WGS84 lon/lat, buurtcode/buurtnaam/wijkcode properties.</summary>
    private static string Cbs(params (string Code, string Name, string Ring)[] features) =>
        "{\"type\":\"FeatureCollection\",\"name\":\"buurten\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:OGC:1.3:CRS84\"}},\"features\":["
        + string.Join(",", features.Select(f =>
            $"{{\"type\":\"Feature\",\"properties\":{{\"buurtcode\":\"{f.Code}\",\"buurtnaam\":\"{f.Name}\",\"wijkcode\":\"WK036299\",\"water\":\"NEE\",\"aantalInwoners\":1234}},"
            + $"\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{f.Ring}]}}}}"))
        + "]}";

    private const string Square = "[[4.85,52.30],[4.86,52.30],[4.86,52.31],[4.85,52.31],[4.85,52.30]]";
    private const string BiggerSquare = "[[4.85,52.30],[4.87,52.30],[4.87,52.31],[4.85,52.31],[4.85,52.30]]";
    // A bow tie: the ring crosses itself in the middle.
    private const string BowTie = "[[4.85,52.30],[4.86,52.31],[4.86,52.30],[4.85,52.31],[4.85,52.30]]";

    private const string BuurtQuery = "?kind=buurt&code_field=buurtcode&name_field=buurtnaam&parent_field=wijkcode";

    [Fact]
    public async Task A_CBS_style_file_with_a_self_intersecting_polygon_imports_with_a_repair_report()
    {
        var response = await ImportAsync(Cbs(("BU0362T101", "Goede buurt", Square), ("BU0362T102", "Strik", BowTie)), BuurtQuery);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var result = JsonDocument.Parse(body).RootElement;
        Assert.Equal(2, result.GetProperty("inserted").GetInt32());
        var repair = Assert.Single(result.GetProperty("repaired").EnumerateArray());
        Assert.Equal((2, "BU0362T102"), (repair.GetProperty("row").GetInt32(), repair.GetProperty("code").GetString()));
        Assert.Contains("Self-intersection", repair.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var (valid, type, kind, parent) = (await fixture.Database.ScalarAsync<bool>("SELECT ST_IsValid(geom) FROM area WHERE code = 'BU0362T102'"),
            await fixture.Database.ScalarAsync<string>("SELECT GeometryType(geom) FROM area WHERE code = 'BU0362T102'"),
            await fixture.Database.ScalarAsync<string>("SELECT kind FROM area WHERE code = 'BU0362T102'"),
            await fixture.Database.ScalarAsync<string>("SELECT parent_code FROM area WHERE code = 'BU0362T102'"));
        Assert.Equal((true, "MULTIPOLYGON", "buurt", "WK036299"), (valid, type, kind, parent));
        // The bow tie's two triangles survive the repair: half of the 0.76 km² square.
        var km2 = await fixture.Database.ScalarAsync<double>("SELECT area_km2 FROM area WHERE code = 'BU0362T102'");
        Assert.InRange(km2, 0.33, 0.43);
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT ST_NumGeometries(geom)::bigint FROM area WHERE code = 'BU0362T101'"));
    }

    [Fact]
    public async Task A_boundary_reimport_closes_the_old_version_and_keeps_it()
    {
        var first = await ImportAsync(Cbs(("BU0362T201", "Versies", Square)), BuurtQuery + "&valid_from=2020-01-01");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var same = await (await ImportAsync(Cbs(("BU0362T201", "Versies", Square)), BuurtQuery + "&valid_from=2024-01-01")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, same.GetProperty("unchanged").GetInt32());

        var changed = await ImportAsync(Cbs(("BU0362T201", "Versies", BiggerSquare)), BuurtQuery + "&valid_from=2024-01-01");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(1, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("new_versions").GetInt32());

        var versions = await fixture.Database.ScalarAsync<string>(
            "SELECT string_agg(valid_from || '..' || coalesce(valid_to::text, ''), ' ' ORDER BY valid_from) FROM area WHERE code = 'BU0362T201'");
        Assert.Equal("2020-01-01..2024-01-01 2024-01-01..", versions);
        // The old boundary is kept as it was: the current one is twice as wide.
        var ratio = await fixture.Database.ScalarAsync<double>(
            "SELECT max(area_km2) FILTER (WHERE valid_to IS NULL) / max(area_km2) FILTER (WHERE valid_to IS NOT NULL) FROM area WHERE code = 'BU0362T201'");
        Assert.InRange(ratio, 1.95, 2.05);

        // A change that would start before the current version is refused, nothing written.
        var backwards = await ImportAsync(Cbs(("BU0362T201", "Versies", Square)), BuurtQuery + "&valid_from=2023-01-01");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, backwards.StatusCode);
        Assert.Equal(2L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM area WHERE code = 'BU0362T201'"));
    }

    [Fact]
    public async Task An_rd_file_and_a_multipolygon_import_and_a_rename_updates_in_place()
    {
        const string rd = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[
              {"type":"Feature","properties":{"code":"BT-T301","naam":"Testterrein"},
               "geometry":{"type":"MultiPolygon","coordinates":[[[[120000,487000],[121000,487000],[121000,488000],[120000,488000],[120000,487000]]],
                                                                [[[122000,487000],[123000,487000],[123000,488000],[122000,488000],[122000,487000]]]]}}]}
            """;
        var response = await ImportAsync(rd, "?kind=bedrijventerrein&code_field=code&name_field=naam");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2.0, await fixture.Database.ScalarAsync<double>("SELECT round(area_km2::numeric, 6)::float8 FROM area WHERE code = 'BT-T301'"));
        var renamed = await ImportAsync(rd.Replace("Testterrein", "Testterrein Noord", StringComparison.Ordinal), "?kind=bedrijventerrein&code_field=code&name_field=naam");
        Assert.Equal(1, (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("updated").GetInt32());
        Assert.Equal("Testterrein Noord", await fixture.Database.ScalarAsync<string>("SELECT name FROM area WHERE code = 'BT-T301' AND valid_to IS NULL"));
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM area WHERE code = 'BT-T301'"));
    }

    [Fact]
    public async Task Swapped_lon_lat_boundaries_are_rejected_and_nothing_is_written()
    {
        var swapped = "[[52.30,4.85],[52.30,4.86],[52.31,4.86],[52.30,4.85]]";
        var response = await ImportAsync(Cbs(("BU0362T401", "Goed", Square), ("BU0362T402", "Omgedraaid", swapped)), BuurtQuery);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var rejection = Assert.Single(problem.GetProperty("rejections").EnumerateArray());
        Assert.Equal((2, "outside_netherlands"), (rejection.GetProperty("row").GetInt32(), rejection.GetProperty("reason").GetString()));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM area WHERE code LIKE 'BU0362T40%'"));

        var partial = await ImportAsync(Cbs(("BU0362T401", "Goed", Square), ("BU0362T402", "Omgedraaid", swapped)), BuurtQuery + "&mode=partial");
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM area WHERE code LIKE 'BU0362T40%'"));
    }

    [Theory]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Poly", BuurtQuery)]
    [InlineData("buurtcode;buurtnaam\nBU1;x\n", BuurtQuery)]
    [InlineData("", BuurtQuery)]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[]}", "?kind=stadsdeel&code_field=c&name_field=n")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[]}", "?kind=buurt")]
    public async Task Malformed_area_uploads_are_400_problems(string body, string query)
    {
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM area");
        var response = await ImportAsync(body, query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM area"));
    }
}
