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
        Assert.True(rows >= 141, "the demo's three scans of 47 buurten");
        var page = await GetAsync(_admin, "/ogc/collections/scans/items?limit=10000");
        var features = page.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(rows, features.Count);
        Assert.Equal(["gebiedsscore-2026", "nulmeting-2025", "wijkscan-2026"], features.Select(f => f.GetProperty("properties").GetProperty("scan").GetString()).Distinct().Order());

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
        Assert.Equal(await OgcApiFixture.ScalarAsync<long>("SELECT count(*) FROM scan_area sa JOIN scan s ON s.id = sa.scan_id WHERE s.is_baseline"),
            baseline.GetProperty("features").GetArrayLength());
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
        // The same relative risks as the scan endpoint shows a viewer (scaled to the published count).
        var shown = (await GetAsync(viewer, "/api/scans/wijkscan-2026")).GetProperty("rows").EnumerateArray()
            .ToDictionary(r => r.GetProperty("code").GetString()!);
        var ogc = features.Where(p => p.GetProperty("scan").GetString() == "wijkscan-2026").ToList();
        Assert.Equal(shown.Count, ogc.Count);
        foreach (var p in ogc)
        {
            var row = shown[p.GetProperty("code").GetString()!];
            foreach (var name in new[] { "rr_parent", "rr_parent_low", "rr_parent_high" })
                Assert.Equal(Number(row.GetProperty(name)), Number(p.GetProperty(name)));
        }
    }

    /// <summary>The first x of a Polygon or MultiPolygon feature.</summary>
    private static double FirstX(JsonElement feature)
    {
        var e = feature.GetProperty("geometry").GetProperty("coordinates");
        while (e[0].ValueKind == JsonValueKind.Array) e = e[0];
        return e[0].GetDouble();
    }

    private static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;

    private static double? Shown(JsonElement count) =>
        count.ValueKind == JsonValueKind.Object ? Number(count.GetProperty("value")) : null;

    /// <summary>
    /// The comparison endpoint and the collection, unit by unit: the same classes, p and q, and the
    /// same values shown or hidden for the caller's role (viewers: rounded counts and ratios, none
    /// where the count is withheld).
    /// </summary>
    private static async Task<int> AssertCollectionEqualsEndpointAsync(HttpClient client)
    {
        var endpoint = await GetAsync(client, "/api/scans/wijkscan-2026/comparison");
        Assert.Equal("nulmeting-2025", endpoint.GetProperty("baseline").GetProperty("name").GetString());
        var changes = endpoint.GetProperty("changes").EnumerateArray().ToList();
        var page = await GetAsync(client, "/ogc/collections/scan-comparisons/items?limit=1000&scan=wijkscan-2026");
        var features = page.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("properties").GetProperty("code").GetString()!);
        Assert.Equal(changes.Count, features.Count);
        var differences = 0;
        foreach (var c in changes)
        {
            var later = c.GetProperty("later_codes").EnumerateArray().Select(x => x.GetString()!).ToList();
            var before = c.GetProperty("baseline_codes").EnumerateArray().Select(x => x.GetString()!).ToList();
            var f = features[(later.Count > 0 ? later : before)[0]];
            var p = f.GetProperty("properties");
            Assert.Equal($"wijkscan-2026.nulmeting-2025.{p.GetProperty("code").GetString()}", f.GetProperty("id").GetString());
            Assert.Equal(string.Join(',', later), p.GetProperty("codes").GetString());
            Assert.Equal(string.Join(',', before), p.GetProperty("baseline_codes").GetString());
            Assert.Equal(c.GetProperty("name").GetString(), p.GetProperty("name").GetString());
            Assert.Equal(c.GetProperty("boundary").GetString(), p.GetProperty("boundary").GetString());
            Assert.Equal(c.GetProperty("class").GetString(), p.GetProperty("class").GetString());
            Assert.Equal(Shown(c.GetProperty("baseline_signals")), Number(p.GetProperty("baseline_signals")));
            Assert.Equal(Shown(c.GetProperty("later_signals")), Number(p.GetProperty("later_signals")));
            foreach (var name in new[] { "baseline_rr", "later_rr", "rr_ratio", "p", "p_adjusted" })
                Assert.Equal(Number(c.GetProperty(name)), Number(p.GetProperty(name)));
            if (Number(p.GetProperty("baseline_signals")) is { } n && Number(p.GetProperty("baseline_rr")) is { } rr && Math.Round(rr, 1) != rr) differences++;
            Assert.Contains(f.GetProperty("geometry").GetProperty("type").GetString(), new[] { "Polygon", "MultiPolygon" });
        }
        return differences;
    }

    [Fact]
    public async Task The_model_scans_observed_quantity_is_the_scan_endpoints_and_hidden_from_viewers()
    {
        var scan = await GetAsync(_admin, "/api/scans/gebiedsscore-2026");
        Assert.Equal("rr-score-3", scan.GetProperty("scan").GetProperty("model").GetString());
        var observed = scan.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("code").GetString()!, r => r.GetProperty("observed"));
        var page = await GetAsync(_admin, "/ogc/collections/scans/items?limit=1000&scan=gebiedsscore-2026");
        var features = page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
        Assert.Equal(observed.Count, features.Count);
        Assert.Contains(features, p => Number(p.GetProperty("observed")) > 0);
        foreach (var p in features)
        {
            var o = observed[p.GetProperty("code").GetString()!];
            Assert.Equal(Number(o.GetProperty("observed")), Number(p.GetProperty("observed")));
            Assert.Equal(Number(o.GetProperty("expected_parent")), Number(p.GetProperty("observed_expected_parent")));
            Assert.Equal(Number(o.GetProperty("expected_region")), Number(p.GetProperty("observed_expected_region")));
        }
        // Count scans have none; viewers get none (the scan endpoint leaves it out for them too).
        var counts = await GetAsync(_admin, "/ogc/collections/scans/items?limit=1000&scan=wijkscan-2026");
        Assert.All(counts.GetProperty("features").EnumerateArray(), f => Assert.Equal(JsonValueKind.Null, f.GetProperty("properties").GetProperty("observed").ValueKind));
        using var viewer = await fixture.Factory.CreateClientAsync(Role.Viewer);
        var viewed = await GetAsync(viewer, "/api/scans/gebiedsscore-2026");
        Assert.All(viewed.GetProperty("rows").EnumerateArray(), r => Assert.True(!r.TryGetProperty("observed", out var v) || v.ValueKind == JsonValueKind.Null));
        var ogcViewed = await GetAsync(viewer, "/ogc/collections/scans/items?limit=1000&scan=gebiedsscore-2026");
        Assert.Equal(features.Count, ogcViewed.GetProperty("features").GetArrayLength());
        Assert.All(ogcViewed.GetProperty("features").EnumerateArray(), f =>
        {
            foreach (var name in new[] { "observed", "observed_expected_parent", "observed_expected_region" })
                Assert.Equal(JsonValueKind.Null, f.GetProperty("properties").GetProperty(name).ValueKind);
        });
    }

    [Fact]
    public async Task The_comparisons_collection_has_the_comparison_endpoints_values_for_an_analyst_and_a_viewer()
    {
        // The demo's wijkscan against its nulmeting: every unit, the exact values for an admin...
        Assert.True(await AssertCollectionEqualsEndpointAsync(_admin) > 0, "an admin gets unrounded relative risks");
        // ...and exactly what the endpoint hides or rounds for a viewer.
        using var viewer = await fixture.Factory.CreateClientAsync(Role.Viewer);
        Assert.Equal(0, await AssertCollectionEqualsEndpointAsync(viewer));
        var viewed = await GetAsync(viewer, "/ogc/collections/scan-comparisons/items?limit=1000");
        var exact = await GetAsync(_admin, "/ogc/collections/scan-comparisons/items?limit=1000");
        Assert.NotEqual(exact.GetProperty("features").GetRawText(), viewed.GetProperty("features").GetRawText());
        // p and q come from the exact counts: an admin gets them, a viewer gets neither (with the
        // rounded counts they would give the withheld ones away), in the collection and the endpoint.
        Assert.Contains(exact.GetProperty("features").EnumerateArray(), f => Number(f.GetProperty("properties").GetProperty("p")) is not null);
        foreach (var f in viewed.GetProperty("features").EnumerateArray())
        {
            Assert.Null(Number(f.GetProperty("properties").GetProperty("p")));
            Assert.Null(Number(f.GetProperty("properties").GetProperty("p_adjusted")));
        }
        Assert.All((await GetAsync(viewer, "/api/scans/wijkscan-2026/comparison")).GetProperty("changes").EnumerateArray(),
            c => Assert.True(Number(c.GetProperty("p")) is null && Number(c.GetProperty("p_adjusted")) is null));
        // A viewer's relative risks are those of the published counts (the exact ones scaled by
        // published / exact), so a rounded count does not come with the exact one's ratio.
        var exactChanges = (await GetAsync(_admin, "/api/scans/wijkscan-2026/comparison")).GetProperty("changes").EnumerateArray().ToList();
        var viewedChanges = (await GetAsync(viewer, "/api/scans/wijkscan-2026/comparison")).GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(exactChanges.Count, viewedChanges.Count);
        var scaled = 0;
        for (var i = 0; i < exactChanges.Count; i++)
        {
            Assert.Equal(exactChanges[i].GetProperty("name").GetString(), viewedChanges[i].GetProperty("name").GetString());
            if (Shown(viewedChanges[i].GetProperty("later_signals")) is not { } published
                || Shown(exactChanges[i].GetProperty("later_signals")) is not { } exactCount || exactCount == 0
                || Number(exactChanges[i].GetProperty("later_rr")) is not { } rr)
                continue;
            Assert.Equal(Math.Round(rr * published / exactCount, 1), Number(viewedChanges[i].GetProperty("later_rr")));
            if (published != exactCount) scaled++;
        }
        Assert.True(scaled > 0, "the demo has units whose published count differs from the exact one");
    }

    [Fact]
    public async Task The_comparisons_collection_pages_filters_and_reads_one_item_in_both_crs()
    {
        var units = await OgcApiFixture.ScalarAsync<long>(
            "SELECT count(*) FROM scan_comparison c JOIN scan b ON b.id = c.baseline_scan_id AND b.is_baseline");
        Assert.True(units >= 47, "the demo's wijkscan compared with its nulmeting, one unit per buurt");
        var ids = new List<string>();
        string? next = "/ogc/collections/scan-comparisons/items?limit=20";
        while (next is not null)
        {
            var page = await GetAsync(_admin, next.StartsWith("http", StringComparison.Ordinal) ? new Uri(next).PathAndQuery : next);
            ids.AddRange(page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!));
            next = page.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == "next")
                .Select(l => l.GetProperty("href").GetString()).FirstOrDefault();
        }
        Assert.Equal(units, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var classes = await OgcApiFixture.ScalarAsync<long>("SELECT count(*) FROM scan_comparison WHERE class = 'no-change'");
        var filtered = await GetAsync(_admin, "/ogc/collections/scan-comparisons/items?limit=1000&filter=" + Uri.EscapeDataString("class = 'no-change' AND p_adjusted > 0.05"));
        Assert.Equal(classes, filtered.GetProperty("features").GetArrayLength());
        var none = await GetAsync(_admin, "/ogc/collections/scan-comparisons/items?datetime=2000-01-01T00:00:00Z/2001-01-01T00:00:00Z");
        Assert.Equal(0, none.GetProperty("features").GetArrayLength());

        var one = await GetAsync(_admin, $"/ogc/collections/scan-comparisons/items/{ids[0]}");
        Assert.Equal(ids[0], one.GetProperty("id").GetString());
        Assert.InRange(FirstX(one), 4.8, 4.9);
        var rd = await GetAsync(_admin, $"/ogc/collections/scan-comparisons/items/{ids[0]}?crs=http://www.opengis.net/def/crs/EPSG/0/28992");
        Assert.InRange(FirstX(rd), 100_000, 130_000);

        // A box far from Amstelveen: nothing.
        var outside = await GetAsync(_admin, "/ogc/collections/scan-comparisons/items?bbox=5.9,50.8,6.0,50.9");
        Assert.Equal(0, outside.GetProperty("features").GetArrayLength());
        var queryables = await GetAsync(_admin, "/ogc/collections/scan-comparisons/queryables");
        Assert.True(queryables.GetProperty("properties").TryGetProperty("p_adjusted", out _));
    }

    [Fact]
    public async Task A_member_of_another_casustafel_sees_no_comparison_and_every_read_is_audited()
    {
        var key = await fixture.Factory.CreateKeyAsync(Role.Member, "1012");
        using var member = fixture.Factory.CreateClient();
        member.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Key.Token);
        var none = await GetAsync(member, "/ogc/collections/scan-comparisons/items?limit=1000");
        Assert.Equal(0, none.GetProperty("features").GetArrayLength());
        var id = await OgcApiFixture.ScalarAsync<string>(
            "SELECT l.name || '.' || b.name || '.' || c.code FROM scan_comparison c JOIN scan l ON l.id = c.later_scan_id JOIN scan b ON b.id = c.baseline_scan_id ORDER BY c.code LIMIT 1");
        await GetAsync(_admin, $"/ogc/collections/scan-comparisons/items/{id}");
        await GetAsync(member, $"/ogc/collections/scan-comparisons/items/{id}", HttpStatusCode.NotFound);
        await GetAsync(member, "/api/scans/wijkscan-2026/comparison", HttpStatusCode.NotFound);

        var audited = await OgcApiFixture.ScalarAsync<string>(
            $"SELECT string_agg(layer || ':' || rows_returned, ' ' ORDER BY id) FROM audit_log WHERE key_id = '{key.Key.Id}' AND layer LIKE 'ogc:%'");
        Assert.Equal("ogc:scan-comparisons:0 ogc:scan-comparisons:0", audited);
    }
}
