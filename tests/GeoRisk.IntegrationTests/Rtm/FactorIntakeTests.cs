using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;

namespace GeoRisk.IntegrationTests.Rtm;

/// <summary>Risk-factor layers through the overlay intake path, and the factor kinds as extendable reference data.</summary>
public sealed class FactorIntakeTests(RtmWorldFixture world) : IClassFixture<RtmWorldFixture>
{
    private readonly HttpClient _admin = world.Factory.CreateClient();

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string path, string body, string type = "text/csv")
    {
        var response = await client.PostAsync(path, RtmWorldFixture.Text(body, type));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private const string Layer = """
        {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[
          {"type":"Feature","id":"P1","geometry":{"type":"Point","coordinates":[151000,451000]},"properties":{"naam":"Camping De Hoeve","plaatsen":120}},
          {"type":"Feature","id":"L1","geometry":{"type":"LineString","coordinates":[[151000,452000],[152000,452500]]},"properties":{}},
          {"type":"Feature","id":"V1","geometry":{"type":"Polygon","coordinates":[[[153000,453000],[153200,453000],[153200,453200],[153000,453200],[153000,453000]]]},"properties":{}},
          {"type":"Feature","id":"X1","geometry":{"type":"Point","coordinates":[151500,451500]},"properties":{"beheerder":"jan.jansen@example.nl"}},
          {"type":"Feature","id":"X2","geometry":{"type":"Point","coordinates":[900000,900000]},"properties":{}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[151600,451600]},"properties":{}}]}
        """;

    [Fact]
    public async Task Bad_rows_write_nothing_in_atomic_mode_and_are_reported_in_partial_mode()
    {
        var (status, body) = await PostAsync(_admin, "/api/rtm/factors/import?programme=bg&dataset=parken&kind=vakantiepark", Layer, "application/geo+json");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(3, body.GetProperty("rejected_rows").GetInt32());
        var rejections = body.GetProperty("rejections").EnumerateArray().ToList();
        Assert.Contains(rejections, r => r.GetProperty("row").GetInt32() == 4 && r.GetProperty("reason").GetString() == "personal_data"
                                         && r.GetProperty("kind").GetString() == "email");
        Assert.Contains(rejections, r => r.GetProperty("row").GetInt32() == 5 && r.GetProperty("reason").GetString() == "outside_netherlands");
        Assert.Contains(rejections, r => r.GetProperty("row").GetInt32() == 6 && r.GetProperty("field").GetString() == "external_id");
        Assert.DoesNotContain("jan.jansen", body.GetRawText());
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM overlay_feature f JOIN overlay_dataset d ON d.id = f.dataset_id WHERE d.code = 'parken'"));

        (status, body) = await PostAsync(_admin, "/api/rtm/factors/import?programme=bg&dataset=parken&kind=vakantiepark&mode=partial", Layer, "application/geo+json");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((3, 3), (body.GetProperty("inserted").GetInt32(), body.GetProperty("rejected_rows").GetInt32()));
        Assert.Equal("L1:ST_LineString,P1:ST_Point,V1:ST_Polygon", await world.Database.ScalarAsync<string>("""
            SELECT string_agg(f.external_id || ':' || ST_GeometryType(f.geom), ',' ORDER BY f.external_id)
            FROM overlay_feature f JOIN overlay_dataset d ON d.id = f.dataset_id
            WHERE d.code = 'parken' AND d.layer = 'factor' AND d.factor_kind = 'vakantiepark' AND f.kind = 'vakantiepark'
            """));
        Assert.Equal("{\"naam\": \"Camping De Hoeve\", \"plaatsen\": 120}",
            await world.Database.ScalarAsync<string>("SELECT properties::text FROM overlay_feature WHERE external_id = 'P1'"));

        // The same file again changes nothing.
        (_, body) = await PostAsync(_admin, "/api/rtm/factors/import?programme=bg&dataset=parken&kind=vakantiepark&mode=partial", Layer, "application/geo+json");
        Assert.Equal((0, 0, 3), (body.GetProperty("inserted").GetInt32(), body.GetProperty("updated").GetInt32(), body.GetProperty("unchanged").GetInt32()));
    }

    [Fact]
    public async Task A_CSV_layer_of_points_is_read_in_RD_New()
    {
        var (status, body) = await PostAsync(_admin, "/api/rtm/factors/import?programme=bg&dataset=afritten&kind=snelweg-afrit",
            RtmWorldFixture.Csv([(152000, 452000), (153000, 453000)], "AF"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("inserted").GetInt32());
        Assert.Equal("POINT(152000 452000)", await world.Database.ScalarAsync<string>("SELECT ST_AsText(geom) FROM overlay_feature WHERE external_id = 'AF1'"));
    }

    [Theory]
    [InlineData("/api/rtm/factors/import?programme=bg&dataset=d1&kind=onbekend", "Import refused")]
    [InlineData("/api/rtm/factors/import?programme=bg&dataset=d1&kind=Vakantiepark", "Invalid kind")]
    [InlineData("/api/rtm/factors/import?programme=bg&kind=vakantiepark", "Invalid dataset")]
    [InlineData("/api/rtm/factors/import?programme=nope&dataset=d1&kind=vakantiepark", "Import refused")]
    [InlineData("/api/rtm/factors/import?programme=bg&dataset=d1&kind=vakantiepark&crs=3857", "Invalid crs")]
    public async Task Bad_requests_are_400_problem_details(string path, string title)
    {
        var response = await _admin.PostAsync(path, RtmWorldFixture.Text(RtmWorldFixture.Csv([(152000, 452000)], "Z")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(title, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_layer_keeps_its_kind_and_programme_and_members_cannot_import()
    {
        var (status, _) = await PostAsync(_admin, "/api/rtm/factors/import?programme=bg&dataset=schuren&kind=agrarische-schuur", RtmWorldFixture.Csv([(152500, 452500)], "S"));
        Assert.Equal(HttpStatusCode.OK, status);
        (status, _) = await PostAsync(_admin, "/api/rtm/factors/import?programme=bg&dataset=schuren&kind=opslagloods", RtmWorldFixture.Csv([(152500, 452500)], "S"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, _) = await PostAsync(_admin, "/api/rtm/factors/import?programme=other&dataset=schuren&kind=agrarische-schuur", RtmWorldFixture.Csv([(152500, 452500)], "S"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var member = await world.Factory.CreateClientAsync(Role.Member, "bg");
        var forbidden = await member.PostAsync("/api/rtm/factors/import?programme=bg&dataset=x&kind=jachthaven", RtmWorldFixture.Text("external_id,x,y\n"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task Factor_kinds_are_reference_data_that_admins_extend()
    {
        var kinds = JsonDocument.Parse(await _admin.GetStringAsync("/api/rtm/factor-kinds")).RootElement.EnumerateArray()
            .Select(k => k.GetProperty("code").GetString()).ToList();
        Assert.Equal(["vakantiepark", "jachthaven", "agrarische-schuur", "bedrijfsverzamelgebouw", "opslagloods", "snelweg-afrit"], kinds.Take(6));

        var created = await _admin.PostAsJsonAsync("/api/rtm/factor-kinds", new { code = "loods-leegstand", label_nl = "Leegstaande loods", label_en = "Empty warehouse" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var again = await _admin.PostAsJsonAsync("/api/rtm/factor-kinds", new { code = "loods-leegstand", label_nl = "x", label_en = "y" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var bad = await _admin.PostAsJsonAsync("/api/rtm/factor-kinds", new { code = "Loods!", label_nl = "x", label_en = "y" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var personal = await _admin.PostAsJsonAsync("/api/rtm/factor-kinds", new { code = "pand-x", label_nl = "bel 06-12345678", label_en = "y" });
        Assert.Equal(HttpStatusCode.BadRequest, personal.StatusCode);
        Assert.DoesNotContain("12345678", await personal.Content.ReadAsStringAsync());
        var analyst = await world.Factory.CreateClientAsync(Role.Analyst);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync("/api/rtm/factor-kinds", new { code = "nog-een", label_nl = "x", label_en = "y" })).StatusCode);
        var viewer = await world.Factory.CreateClientAsync(Role.Viewer);
        Assert.Contains("loods-leegstand", await viewer.GetStringAsync("/api/rtm/factor-kinds"));

        // The new kind takes layers at once.
        var (status, _) = await PostAsync(_admin, "/api/rtm/factors/import?programme=bg&dataset=loodsen&kind=loods-leegstand", RtmWorldFixture.Csv([(154000, 454000)], "LL"));
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
