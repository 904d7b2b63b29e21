using System.Net;
using System.Text;
using System.Text.Json;

namespace GeoRisk.IntegrationTests.Ports;

/// <summary>Camera and incident intake over HTTP: atomic vs partial, idempotent re-imports, the privacy gate, clear 4xx.</summary>
public sealed class PortIntakeTests(PortWorldFixture world) : IClassFixture<PortWorldFixture>
{
    private readonly HttpClient _admin = world.Factory.CreateClient();

    private const string Header = "external_id,owner,description,x,y,heading,fov,range,height,status,active_from,active_to\n";

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string body, string type = "text/csv")
    {
        var response = await _admin.PostAsync(path, new StringContent(body, Encoding.UTF8, type));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement);
    }

    [Fact]
    public async Task A_bad_row_writes_nothing_in_atomic_mode_and_is_reported_in_partial_mode()
    {
        var file = Header
            + "K1,havenbedrijf,kade 1,116100,116100,90,90,100,,active,,\n"              // y looks like an x: outside
            + "K2,havenbedrijf,bel 06-12345678,116200,490200,90,90,100,,active,,\n"   // a phone number
            + "K3,havenbedrijf,kade 3,116300,490300,90,90,100,6,active,2026-01-01,\n";
        var (status, body) = await PostAsync("/api/ports/cameras/import?programme=haven-a", file);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(2, body.GetProperty("rejected_rows").GetInt32());
        var rejections = body.GetProperty("rejections").EnumerateArray().ToList();
        Assert.Contains(rejections, r => r.GetProperty("row").GetInt32() == 2 && r.GetProperty("field").GetString() == "description"
                                         && r.GetProperty("reason").GetString() == "personal_data" && r.GetProperty("kind").GetString() == "phone");
        Assert.DoesNotContain("06-12345678", body.GetRawText());
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM camera WHERE external_id LIKE 'K%'"));

        (status, body) = await PostAsync("/api/ports/cameras/import?programme=haven-a&mode=partial", file);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((1, 2), (body.GetProperty("inserted").GetInt32(), body.GetProperty("rejected_rows").GetInt32()));
        Assert.Equal("K3", await world.Database.ScalarAsync<string>("SELECT string_agg(external_id, ',') FROM camera WHERE external_id LIKE 'K%'"));
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM camera WHERE description LIKE '%06-%'"));
    }

    [Fact]
    public async Task Re_importing_a_registry_changes_nothing_and_a_changed_row_is_updated()
    {
        var file = Header + "R1,havenbedrijf,,116100,490100,0,90,100,,active,,\nR2,havenbedrijf,,116200,490200,45,60,120,,planned,,\n";
        var (_, first) = await PostAsync("/api/ports/cameras/import?programme=haven-b", file);
        Assert.Equal(2, first.GetProperty("inserted").GetInt32());
        var version = await world.Database.ScalarAsync<long>("SELECT version FROM data_version WHERE name = 'camera'");
        var (_, again) = await PostAsync("/api/ports/cameras/import?programme=haven-b", file);
        Assert.Equal((0, 0, 2), (again.GetProperty("inserted").GetInt32(), again.GetProperty("updated").GetInt32(), again.GetProperty("unchanged").GetInt32()));
        Assert.Equal(version, await world.Database.ScalarAsync<long>("SELECT version FROM data_version WHERE name = 'camera'"));
        // R1 turns to the east: updated in place, and its view follows.
        var (_, turned) = await PostAsync("/api/ports/cameras/import?programme=haven-b", file.Replace("116100,490100,0,", "116100,490100,90,"));
        Assert.Equal((0, 1, 1), (turned.GetProperty("inserted").GetInt32(), turned.GetProperty("updated").GetInt32(), turned.GetProperty("unchanged").GetInt32()));
        Assert.True(await world.Database.ScalarAsync<bool>(
            "SELECT ST_Contains(view_geom, ST_SetSRID(ST_MakePoint(116180, 490100), 28992)) FROM camera WHERE programme = 'haven-b' AND external_id = 'R1'"));
        // The same id in another programme is another camera.
        var (_, other) = await PostAsync("/api/ports/cameras/import?programme=haven-a", Header + "R1,gemeente,,116900,490900,0,360,30,,active,,\n");
        Assert.Equal(1, other.GetProperty("inserted").GetInt32());
    }

    [Theory]
    [InlineData("/api/ports/cameras/import?programme=nope", "Import refused")]
    [InlineData("/api/ports/cameras/import?programme=Haven%20A", "Invalid programme")]
    [InlineData("/api/ports/cameras/import?programme=haven-a&crs=3857", "Invalid crs")]
    [InlineData("/api/ports/cameras/import?programme=haven-a&mode=some", "Invalid mode")]
    [InlineData("/api/ports/incidents/import?programme=haven-a", "Invalid dataset")]
    public async Task Bad_requests_are_400_problem_details(string path, string title)
    {
        var response = await _admin.PostAsync(path, new StringContent(Header + "Z1,o,,116100,490100,0,90,100,,active,,\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(title, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Unreadable_files_are_400_and_members_cannot_import()
    {
        var (status, _) = await PostAsync("/api/ports/cameras/import?programme=haven-a", "external_id;owner;x;y\n1;2;3;4\n");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, _) = await PostAsync("/api/ports/obstacles/import?programme=haven-a", "{\"type\":\"FeatureCollection\",\"features\":[", "application/geo+json");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var member = await world.Factory.CreateClientAsync(GeoRisk.Core.Access.Role.Member, "haven-a");
        var forbidden = await member.PostAsync("/api/ports/cameras/import?programme=haven-a", new StringContent(Header, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task Incidents_keep_gated_properties_and_a_dataset_belongs_to_one_programme()
    {
        var geojson = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","id":"P1","geometry":{"type":"Point","coordinates":[4.80,52.40]},
               "properties":{"kind":"uithalers","observed_at":"2026-02-01","terminal":"kade 7","aantal":2}},
              {"type":"Feature","id":"P2","geometry":{"type":"Polygon","coordinates":[[[4.80,52.40],[4.801,52.40],[4.801,52.401],[4.80,52.40]]]},
               "properties":{"kind":"onbevoegde_toegang","observed_at":"2026-02-02","melder":"jan@example.nl"}}]}
            """;
        var (status, body) = await PostAsync("/api/ports/incidents/import?programme=haven-a&dataset=haven-a-2026&mode=partial", geojson, "application/geo+json");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetProperty("inserted").GetInt32());
        Assert.Equal("email", body.GetProperty("rejections")[0].GetProperty("kind").GetString());
        Assert.Equal("{\"aantal\": 2, \"terminal\": \"kade 7\"}", await world.Database.ScalarAsync<string>("SELECT properties::text FROM overlay_feature WHERE external_id = 'P1'"));
        var (again, _) = await PostAsync("/api/ports/incidents/import?programme=haven-b&dataset=haven-a-2026", geojson, "application/geo+json");
        Assert.Equal(HttpStatusCode.BadRequest, again);
    }
}
