using System.Net;
using System.Text.Json;
using GeoRisk.Core.Access;

namespace GeoRisk.IntegrationTests.Ogc;

/// <summary>
/// The 'scans' collection over the demo's two stored scans of Amstelveen: one feature per scan and
/// buurt, with the stored values; the wijkscan endpoints' scope (a member of another casustafel
/// sees none, the same 404 for an item) and viewer suppression; CQL2 on the scan's properties.
/// </summary>
public sealed class OgcScanTests(OgcApiFixture fixture) : IClassFixture<OgcApiFixture>
{
    private readonly HttpClient _admin = fixture.Factory.CreateClient();

    private static async Task<JsonElement> GetAsync(HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Every_stored_scan_row_is_a_feature_with_its_stored_values()
    {
        var rows = await OgcApiFixture.ScalarAsync<long>("SELECT count(*) FROM scan_area");
        Assert.True(rows >= 94, "the demo's two scans of 47 buurten");
        var page = await GetAsync(_admin, "/ogc/collections/scans/items?limit=10000");
        var features = page.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(rows, features.Count);
        Assert.Equal(["nulmeting-2025", "wijkscan-2026"], features.Select(f => f.GetProperty("properties").GetProperty("scan").GetString()).Distinct().Order());

        var top = features.Single(f => f.GetProperty("properties").GetProperty("scan").GetString() == "wijkscan-2026"
                                      && f.GetProperty("properties").GetProperty("rank").GetInt32() == 1);
        var code = top.GetProperty("properties").GetProperty("code").GetString()!;
        var stored = await OgcApiFixture.ScalarAsync<string>(
            $"SELECT sa.signal_count || ',' || sa.kandidaat FROM scan_area sa JOIN scan s ON s.id = sa.scan_id WHERE s.name = 'wijkscan-2026' AND sa.rank = 1");
        Assert.Equal(stored, $"{top.GetProperty("properties").GetProperty("signal_count").GetInt64()},{(top.GetProperty("properties").GetProperty("kandidaat").GetBoolean() ? "true" : "false")}");
        Assert.Contains(top.GetProperty("geometry").GetProperty("type").GetString(), new[] { "Polygon", "MultiPolygon" });

        var one = await GetAsync(_admin, $"/ogc/collections/scans/items/wijkscan-2026.{code}");
        Assert.Equal(code, one.GetProperty("properties").GetProperty("code").GetString());
        var baseline = await GetAsync(_admin, "/ogc/collections/scans/items?filter=nulmeting%20%3D%20TRUE&limit=1000");
        Assert.All(baseline.GetProperty("features").EnumerateArray(), f => Assert.Equal("nulmeting-2025", f.GetProperty("properties").GetProperty("scan").GetString()));
        Assert.Equal(rows / 2, baseline.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task A_member_of_another_casustafel_sees_no_scan_and_a_viewer_gets_suppressed_values()
    {
        using var member = await fixture.Factory.CreateClientAsync(Role.Member, "1012");
        var none = await GetAsync(member, "/ogc/collections/scans/items?limit=1000");
        Assert.Equal(0, none.GetProperty("features").GetArrayLength());
        var code = await OgcApiFixture.ScalarAsync<string>("SELECT sa.code FROM scan_area sa JOIN scan s ON s.id = sa.scan_id WHERE s.name = 'wijkscan-2026' ORDER BY sa.rank LIMIT 1");
        await GetAsync(member, $"/ogc/collections/scans/items/wijkscan-2026.{code}", HttpStatusCode.NotFound);

        using var viewer = await fixture.Factory.CreateClientAsync(Role.Viewer);
        var page = await GetAsync(viewer, "/ogc/collections/scans/items?limit=1000");
        var features = page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
        Assert.NotEmpty(features);
        foreach (var p in features)
        {
            var n = p.GetProperty("signal_count");
            if (n.ValueKind == JsonValueKind.Null)
            {
                Assert.Equal(JsonValueKind.Null, p.GetProperty("rr_parent").ValueKind);
                continue;
            }
            Assert.Equal(0, n.GetInt64() % 5);
            Assert.True(n.GetInt64() > 0);
            if (p.GetProperty("rr_parent").ValueKind == JsonValueKind.Number)
            {
                var rr = p.GetProperty("rr_parent").GetDouble();
                Assert.Equal(Math.Round(rr, 1), rr);
            }
        }
    }
}
