using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GeoRisk.IntegrationTests.Ports;

/// <summary>Siting over HTTP: uploaded and grid candidates, the greedy curve and its bound, demand that is already covered.</summary>
public sealed class SitingTests(PortWorldFixture world) : IClassFixture<PortWorldFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (await world.Database.ScalarAsync<long>("SELECT count(*) FROM signal") > 0) return;
        // A cluster of six signals around (116300, 490300), three around (116700, 490700), one alone at (116100, 490900).
        var n = 0;
        foreach (var (x, y, count) in new[] { (116300.0, 490300.0, 6), (116700.0, 490700.0, 3), (116100.0, 490900.0, 1) })
            for (var i = 0; i < count; i++) await world.AddSignalAsync($"T{++n}", x + i, y + i, "2026-05-01");
        // An active camera already sees the lone signal: it is not demand any more.
        await world.ExecuteAsync("""
            INSERT INTO camera (programme, external_id, owner, geom, heading_deg, fov_deg, range_m)
            VALUES ('haven-a', 'EXISTING', 'havenbedrijf', ST_SetSRID(ST_MakePoint(116100, 490880), 28992), 0, 360, 40)
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Uploaded_sites_are_ranked_by_the_uncovered_risk_they_add()
    {
        var response = await world.Factory.CreateClient().PostAsJsonAsync("/api/ports/siting", new
        {
            area = "MP-A", programme = "haven-a", from = "2026-01-01", to = "2026-10-01", budget = 3, fov = 360, range = 50,
            sites = new[] { new { id = "near-six", x = 116310.0, y = 490310.0 }, new { id = "near-three", x = 116690.0, y = 490690.0 },
                            new { id = "near-lone", x = 116100.0, y = 490890.0 }, new { id = "nowhere", x = 116900.0, y = 490100.0 } },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var r = JsonDocument.Parse(body).RootElement;
        Assert.Equal(9, r.GetProperty("demand_points").GetInt32()); // the lone signal is covered already
        var picks = r.GetProperty("picks").EnumerateArray().ToList();
        Assert.Equal(["near-six", "near-three"], picks.Select(p => p.GetProperty("site").GetString()));
        Assert.Equal(6.0, picks[0].GetProperty("gain").GetDouble(), 6);   // drugshandel weight 1 × reliability 1
        Assert.Equal(9.0, picks[1].GetProperty("cumulative").GetDouble(), 6);
        Assert.Equal(1.0, picks[1].GetProperty("cumulative_share").GetDouble(), 6);
        Assert.Equal(r.GetProperty("covered").GetDouble(), r.GetProperty("upper_bound").GetDouble(), 6);
        Assert.Contains("1 - 1/e", r.GetProperty("guarantee").GetString());
        Assert.Equal(2, r.GetProperty("sectors").GetProperty("features").GetArrayLength());
        Assert.InRange(picks[0].GetProperty("lon").GetDouble(), 4.5, 5.2);
    }

    [Fact]
    public async Task A_grid_run_covers_the_big_cluster_first_with_a_sector_pointing_at_it()
    {
        var response = await world.Factory.CreateClient().PostAsJsonAsync("/api/ports/siting", new
        {
            area = "MP-A", from = "2026-01-01", to = "2026-10-01", budget = 2, fov = 90, range = 150, headings = 8, spacing = 100,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var r = JsonDocument.Parse(body).RootElement;
        Assert.Equal("grid 100 m", r.GetProperty("site_source").GetString());
        Assert.Equal(121, r.GetProperty("candidate_sites").GetInt32()); // 11 × 11 grid points in a closed 1 km square
        Assert.Equal(121 * 8, r.GetProperty("candidates").GetInt32());
        var picks = r.GetProperty("picks").EnumerateArray().ToList();
        Assert.Equal(6.0, picks[0].GetProperty("gain").GetDouble(), 6);
        Assert.Equal(9.0, picks[^1].GetProperty("cumulative").GetDouble(), 6);
        Assert.True(r.GetProperty("covered").GetDouble() >= 0.632 * r.GetProperty("upper_bound").GetDouble());
    }

    [Theory]
    [InlineData("{\"area\":\"MP-A\",\"budget\":0}", HttpStatusCode.BadRequest)]
    [InlineData("{\"area\":\"MP-A\",\"fov\":400}", HttpStatusCode.BadRequest)]
    [InlineData("{\"area\":\"MP-A\",\"spacing\":1}", HttpStatusCode.BadRequest)]
    [InlineData("{\"area\":\"MP-A\",\"sites\":[{\"x\":1,\"y\":2}]}", HttpStatusCode.BadRequest)]
    [InlineData("{\"area\":\"MP-NOPE\"}", HttpStatusCode.NotFound)]
    [InlineData("{\"area\":\"MP-A\",\"programme\":\"nope\"}", HttpStatusCode.NotFound)]
    public async Task Bad_siting_requests_are_4xx(string json, HttpStatusCode expected)
    {
        var response = await world.Factory.CreateClient().PostAsync("/api/ports/siting", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Series_per_mainport_counts_signals_by_month()
    {
        var r = JsonDocument.Parse(await world.Factory.CreateClient().GetStringAsync("/api/ports/series?from=2026-01-01&to=2026-07-01")).RootElement;
        Assert.Equal(6, r.GetProperty("months").GetArrayLength());
        var a = r.GetProperty("ports").EnumerateArray().Single(p => p.GetProperty("code").GetString() == "MP-A");
        Assert.Equal(10, a.GetProperty("signals")[4].GetInt32()); // May
        Assert.Equal(0, a.GetProperty("signals")[0].GetInt32());
    }
}
