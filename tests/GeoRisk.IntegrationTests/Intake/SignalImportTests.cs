using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace GeoRisk.IntegrationTests.Intake;

/// <summary>
/// Signals: the API over a real PostGIS. Every test uses its own external-id prefix and
/// counts only its own rows, so the tests of this class do not depend on each other.
/// </summary>
public sealed class SignalImportTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private const string Header = "external_id,category,source,observed_at,x,y,reliability,precision,object_ref,remark\n";

    private readonly HttpClient _client = fixture.Factory.CreateClient();

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private Task<HttpResponseMessage> ImportAsync(HttpContent content, string query = "") =>
        _client.PostAsync(new Uri("/api/signals/import" + query, UriKind.Relative), content);

    private Task<long> CountAsync(string prefix) =>
        fixture.Database.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id LIKE $1", prefix + "%");

    private Task<long> SignalVersionAsync() =>
        fixture.Database.ScalarAsync<long>("SELECT version FROM data_version WHERE name = 'signal'");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task A_file_with_one_bad_row_in_atomic_mode_writes_zero_rows()
    {
        var version = await SignalVersionAsync();
        var response = await ImportAsync(Csv(Header
            + "AT-1,drugshandel,politie,2025-03-14,121000,487000,0.8,object,,\n"
            + "AT-2,wapenhandel,politie,2025-03-14,121100,487100,0.8,object,,\n"
            + "AT-3,witwassen,gemeente,2025-03-14,121200,487200,0.8,object,,\n"));
        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var rejection = Assert.Single(problem.GetProperty("rejections").EnumerateArray());
        Assert.Equal(2, rejection.GetProperty("row").GetInt32());
        Assert.Equal("category", rejection.GetProperty("field").GetString());
        Assert.Equal("unknown_category", rejection.GetProperty("reason").GetString());
        // The valid codes are listed so that the analyst can fix the file.
        Assert.Contains("drugshandel", rejection.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("AT-"));
        Assert.Equal(version, await SignalVersionAsync());
    }

    [Fact]
    public async Task Partial_mode_writes_the_valid_rows_and_reports_the_others()
    {
        var response = await ImportAsync(Csv(Header
            + "PA-1,drugshandel,politie,2025-03-14,121000,487000,0.8,object,,\n"
            + "PA-2,drugshandel,politie,2025-03-14,121100,487100,7,object,,\n"
            + "PA-3,drugshandel,onbekend,2025-03-14,121100,487100,0.5,object,,\n"
            + "PA-4,witwassen,gemeente,2025-03-14,121200,487200,0.8,pc6,,\n"), "?mode=partial");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, result.GetProperty("inserted").GetInt32());
        Assert.Equal(2, result.GetProperty("rejected_rows").GetInt32());
        var reasons = result.GetProperty("rejections").EnumerateArray()
            .Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("field").GetString(), r.GetProperty("reason").GetString())).ToList();
        Assert.Equal([(2, "reliability", "reliability_out_of_range"), (3, "source", "unknown_source")], reasons);
        Assert.Equal(2, await CountAsync("PA-"));
    }

    [Fact]
    public async Task The_same_file_twice_gives_no_new_rows_the_second_time()
    {
        var file = Header
            + "ID-1,drugshandel,politie,2025-03-14T10:00:00+01:00,121000,487000,0.8,object,0363010000123456,loods\n"
            + "ID-2,hennepteelt,gemeente,2025-03-15,121100,487100,,,,\n"
            + "ID-3,witwassen,belastingdienst,15-03-2025 09:00,121200,487200,0.3,pc6,,\"bedrag € 12.500, KvK 34123456\"\n";
        var first = await (await ImportAsync(Csv(file))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((3, 0, 0), Counts(first));
        var version = await SignalVersionAsync();

        var second = await ImportAsync(Csv(file));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((0, 0, 3), Counts(await second.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(3, await CountAsync("ID-"));
        Assert.Equal(version, await SignalVersionAsync());

        // One changed row is an update, not a new signal.
        var third = await ImportAsync(Csv(file.Replace(",loods\n", ",loods met nieuwe deur\n", StringComparison.Ordinal)));
        Assert.Equal((0, 1, 2), Counts(await third.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(3, await CountAsync("ID-"));
        Assert.Equal(version + 1, await SignalVersionAsync());
        Assert.Equal("loods met nieuwe deur", await fixture.Database.ScalarAsync<string>("SELECT remark FROM signal WHERE external_id = 'ID-1'"));
    }

    private static (int, int, int) Counts(JsonElement result) =>
        (result.GetProperty("inserted").GetInt32(), result.GetProperty("updated").GetInt32(), result.GetProperty("unchanged").GetInt32());

    [Fact]
    public async Task A_4326_point_lands_within_a_metre_of_its_known_RD_position()
    {
        // The Onze Lieve Vrouwetoren in Amersfoort is the origin of RD: (155000, 463000), per RDNAPTRANS
        // at 52.15517440 N, 5.38720621 E.
        var response = await ImportAsync(Csv("external_id,category,source,observed_at,lon,lat\nRD-1,burgermelding,gemeente,2025-01-01,5.38720621,52.15517440\n"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var single = await _client.PostAsJsonAsync(new Uri("/api/signals", UriKind.Relative), new Dictionary<string, object>
        {
            ["external_id"] = "RD-2", ["category"] = "burgermelding", ["source"] = "gemeente", ["observed_at"] = "2025-01-01",
            ["wkt"] = "SRID=4326;POINT(5.38720621 52.15517440)",
        });
        Assert.Equal(HttpStatusCode.Created, single.StatusCode);
        var crsFlag = await ImportAsync(Csv("external_id,category,source,observed_at,x,y\nRD-3,burgermelding,gemeente,2025-01-01,5.38720621,52.15517440\n"), "?crs=4326");
        Assert.Equal(HttpStatusCode.OK, crsFlag.StatusCode);
        foreach (var id in new[] { "RD-1", "RD-2", "RD-3" })
        {
            var distance = await fixture.Database.ScalarAsync<double>(
                "SELECT ST_Distance(geom, ST_SetSRID(ST_MakePoint(155000, 463000), 28992)) FROM signal WHERE external_id = $1", id);
            Assert.InRange(distance, 0, 1.0);
        }
    }

    [Theory]
    [InlineData("external_id,category,source,observed_at,lon,lat\nSW-1,drugshandel,politie,2025-01-01,52.37,4.89\n", "lon")]
    [InlineData("external_id,category,source,observed_at,x,y\nSW-2,drugshandel,politie,2025-01-01,487000,121000\n", "x")]
    public async Task Swapped_coordinates_are_rejected_with_the_hint(string file, string field)
    {
        var problem = await ProblemAsync(await ImportAsync(Csv(file)), HttpStatusCode.UnprocessableEntity);
        var rejection = Assert.Single(problem.GetProperty("rejections").EnumerateArray());
        Assert.Equal(field, rejection.GetProperty("field").GetString());
        Assert.Equal("swapped_coordinates", rejection.GetProperty("reason").GetString());
        Assert.Contains("swapped", rejection.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SW-"));
    }

    [Theory]
    [InlineData("NL91 ABNA 0417 1643 00", "iban", "an IBAN")]
    [InlineData("tip van jan.jansen@example.nl", "email", "an e-mail address")]
    [InlineData("bsn 123.456.782", "bsn", "a BSN")]
    [InlineData("bel 06-12345678", "phone", "a phone number")]
    [InlineData("auto GF-123-B gezien", "licence_plate", "a licence plate")]
    [InlineData("eigenaar geb. 12-03-1985", "birth_date", "a date of birth")]
    public async Task Personal_data_is_rejected_by_kind_and_never_echoed(string remark, string kind, string words)
    {
        var response = await ImportAsync(Csv(Header + $"PD-{kind},drugshandel,politie,2025-03-14,121000,487000,0.8,object,,\"{remark}\"\n"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var rejection = Assert.Single(JsonDocument.Parse(body).RootElement.GetProperty("rejections").EnumerateArray());
        Assert.Equal(("remark", "personal_data", kind), (rejection.GetProperty("field").GetString(), rejection.GetProperty("reason").GetString(), rejection.GetProperty("kind").GetString()));
        Assert.Equal($"remark contains {words}", rejection.GetProperty("message").GetString());
        Assert.DoesNotContain(remark, body, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.LogLines, line => line.Contains(remark, StringComparison.Ordinal));
        Assert.Equal(0, await CountAsync($"PD-{kind}"));
    }

    public static TheoryData<string, byte[], HttpStatusCode> MalformedFiles()
    {
        var data = new TheoryData<string, byte[], HttpStatusCode>
        {
            { "truncated GeoJSON", Encoding.UTF8.GetBytes("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[121000,"), HttpStatusCode.BadRequest },
            { "wrong delimiter", Encoding.UTF8.GetBytes("external_id;category;source;observed_at;x;y\nMF-1;drugshandel;politie;2025-01-01;121000;487000\n"), HttpStatusCode.BadRequest },
            { "empty file", [], HttpStatusCode.BadRequest },
            // Broken after good rows: the COPY already started and must be undone.
            { "truncated CSV", Encoding.UTF8.GetBytes(Header + "MF-2,drugshandel,politie,2025-01-01,121000,487000,,,,ok\nMF-3,drugshandel,politie,2025-01-01,121000,487000,,,,\"afgebroken"), HttpStatusCode.BadRequest },
            { "50 MB on one line", Encoding.ASCII.GetBytes(new string('7', 50 * 1024 * 1024)), HttpStatusCode.RequestEntityTooLarge },
        };
        var garbage = new byte[100_000];
        new Random(3).NextBytes(garbage);
        garbage[0] = 0xFF;
        data.Add("binary garbage", garbage, HttpStatusCode.BadRequest);
        return data;
    }

    // Not enumerated at discovery: the 50 MB case would be serialised into the test list.
    [Theory]
    [MemberData(nameof(MalformedFiles), DisableDiscoveryEnumeration = true)]
    public async Task Malformed_files_give_a_4xx_problem_and_write_nothing(string name, byte[] file, HttpStatusCode expected)
    {
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM signal");
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var problem = await ProblemAsync(await ImportAsync(content), expected);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()), name);
        Assert.Equal(before, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM signal"));
    }

    [Fact]
    public async Task Unknown_columns_are_refused_before_any_row()
    {
        var problem = await ProblemAsync(await ImportAsync(Csv("external_id,category,source,observed_at,x,y,kenteken\nUC-1,drugshandel,politie,2025-01-01,121000,487000,x\n")), HttpStatusCode.BadRequest);
        var rejection = Assert.Single(problem.GetProperty("rejections").EnumerateArray());
        Assert.Equal(("kenteken", "unknown_field"), (rejection.GetProperty("field").GetString(), rejection.GetProperty("reason").GetString()));
        Assert.Equal(0, await CountAsync("UC-"));
    }

    [Fact]
    public async Task GeoJson_in_RD_imports_as_a_multipart_upload_and_reports_changed_points()
    {
        const string geojson = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[
              {"type":"Feature","id":"GJ-1","geometry":{"type":"Point","coordinates":[121000,487000]},
               "properties":{"category":"havenincident","source":"havenbedrijf","observed_at":"2025-06-01T03:00:00Z","reliability":0.9}},
              {"type":"Feature","geometry":{"type":"Point","coordinates":[118000,490000]},
               "properties":{"external_id":"GJ-2","category":"drugsafval","source":"havenbedrijf","observed_at":"2025-06-02","object_ref":"NL.IMBAG.Pand.0363100012345678"}}]}
            """;
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(geojson, Encoding.UTF8, "application/geo+json"), "file", "signals.geojson");
        var response = await ImportAsync(form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("geojson", result.GetProperty("format").GetString());
        Assert.Equal(2, result.GetProperty("inserted").GetInt32());
        Assert.Equal(2, result.GetProperty("changed_points").GetInt32());
        // RD (121000, 487000) is Amsterdam: about (4.88°E, 52.37°N), i.e. x ≈ 543 000, y ≈ 6 866 000 in 3857.
        var extent = result.GetProperty("changed_extent");
        Assert.InRange(extent.GetProperty("min_x").GetDouble(), 530_000, 550_000);
        Assert.InRange(extent.GetProperty("max_y").GetDouble(), 6_860_000, 6_875_000);
        Assert.Contains(fixture.ChangedPoints, p => p.X is > 530_000 and < 550_000 && p.Y is > 6_860_000 and < 6_875_000);
        Assert.Equal(2, await CountAsync("GJ-"));
    }

    [Fact]
    public async Task One_signal_is_created_then_unchanged_then_rejected_with_reasons()
    {
        var signal = new Dictionary<string, object>
        {
            ["external_id"] = "ONE-1", ["category"] = "vastgoed", ["source"] = "kvk", ["observed_at"] = "2025-02-01",
            ["x"] = 121500, ["y"] = 487500, ["reliability"] = 0.6, ["remark"] = "pand 1012 AB 45, KvK 34123456",
        };
        var created = await _client.PostAsJsonAsync(new Uri("/api/signals", UriKind.Relative), signal);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var again = await _client.PostAsJsonAsync(new Uri("/api/signals", UriKind.Relative), signal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unchanged").GetInt32());

        signal["external_id"] = "ONE-2";
        signal["observed_at"] = "2099-01-01";
        signal["eigenaar"] = "x";
        var problem = await ProblemAsync(await _client.PostAsJsonAsync(new Uri("/api/signals", UriKind.Relative), signal), HttpStatusCode.UnprocessableEntity);
        var reasons = problem.GetProperty("rejections").EnumerateArray().Select(r => r.GetProperty("reason").GetString()).Order().ToList();
        Assert.Equal(["future_date", "unknown_field"], reasons);
        Assert.Equal(1, await CountAsync("ONE-"));
    }

    [Fact]
    public async Task Duplicate_external_ids_in_one_file_are_rejected()
    {
        var problem = await ProblemAsync(await ImportAsync(Csv(Header
            + "DU-1,drugshandel,politie,2025-03-14,121000,487000,,,,\n"
            + "DU-1,drugshandel,politie,2025-03-15,121000,487000,,,,\n")), HttpStatusCode.UnprocessableEntity);
        var rejection = Assert.Single(problem.GetProperty("rejections").EnumerateArray());
        Assert.Equal((2, "duplicate_external_id"), (rejection.GetProperty("row").GetInt32(), rejection.GetProperty("reason").GetString()));
        Assert.Equal(0, await CountAsync("DU-"));
    }

    [Theory]
    [InlineData("?mode=sometimes")]
    [InlineData("?crs=3857")]
    public async Task Bad_parameters_are_400(string query)
    {
        await ProblemAsync(await ImportAsync(Csv(Header), query), HttpStatusCode.BadRequest);
    }
}
