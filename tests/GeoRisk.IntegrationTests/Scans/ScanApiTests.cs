using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using static GeoRisk.IntegrationTests.Scans.ScanWorld;

namespace GeoRisk.IntegrationTests.Scans;

/// <summary>The scan endpoints over real HTTP: run, read, CSV, comparison, scope and suppression.</summary>
public sealed class ScanApiTests : IAsyncLifetime, IDisposable
{
    private TestDatabase _db = null!;
    private GeoRiskApiFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await CreateAsync(_db);
        // Casustafel "elders" works BU5 (outside the gemeente), "gemeente" the gemeente itself.
        await ExecAsync(_db, """
            INSERT INTO casustafel (id, name) VALUES ('elders', 'Elders'), ('gemeente', 'Gemeente');
            INSERT INTO casustafel_area (casustafel_id, area_code) VALUES ('elders', 'BU5'), ('gemeente', 'GM9999');
            """);
        await AddSignalsAsync(_db, "BU1", 23, WindowTo);
        await AddSignalsAsync(_db, "BU1", 9, WindowTo, source: "gemeente", category: "witwassen");
        await AddSignalsAsync(_db, "BU2", 3, WindowTo);
        await AddSignalsAsync(_db, "BU3", 12, WindowTo);
        _factory = new GeoRiskApiFactory(_db.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _db.DisposeAsync();
    }

    public void Dispose() => _factory?.Dispose();

    private static object Body(string name) => new { name, parent = Gemeente, level = "buurt", window_to = "2026-06-30", profile = Profile };

    [Fact]
    public async Task An_analyst_runs_reads_and_exports_a_scan_and_bad_input_is_a_problem()
    {
        using var analyst = await _factory.CreateClientAsync(Role.Analyst);
        var created = await analyst.PostAsJsonAsync("/api/scans", Body("api-scan"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await analyst.PostAsJsonAsync("/api/scans", Body("api-scan"))).StatusCode);

        var scan = await analyst.GetFromJsonAsync<JsonElement>("/api/scans/api-scan");
        var rows = scan.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["BU1", "BU3", "BU2", "BU4"], rows.Select(r => r.GetProperty("code").GetString()));
        Assert.Equal(32, rows[0].GetProperty("signal_count").GetProperty("value").GetInt32());
        Assert.True(rows[0].GetProperty("kandidaat").GetBoolean());
        Assert.Equal(47, scan.GetProperty("parent_total").GetProperty("value").GetInt32());

        var csv = await analyst.GetAsync("/api/scans/api-scan/scan.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("rank,code,name,signals,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("1,BU1,Buurt BU1,32,2,", lines[1], StringComparison.Ordinal);

        var verify = await analyst.GetFromJsonAsync<JsonElement>("/api/scans/api-scan/verify");
        Assert.Equal(4, verify.GetProperty("identical").GetInt32());

        // Comparison: without a nulmeting a 404 that says so; with one, classes per buurt.
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync("/api/scans/api-scan/comparison")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsync("/api/scans/api-scan/baseline", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsJsonAsync("/api/scans", Body("api-scan-2"))).StatusCode);
        var comparison = await analyst.GetFromJsonAsync<JsonElement>("/api/scans/api-scan-2/comparison");
        Assert.Equal("api-scan", comparison.GetProperty("baseline").GetProperty("name").GetString());
        Assert.Equal(4, comparison.GetProperty("classes").GetProperty("no-change").GetInt32());
        var comparisonCsv = await analyst.GetStringAsync("/api/scans/api-scan-2/comparison.csv");
        Assert.Equal(5, comparisonCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        foreach (var (body, field) in new (object Body, string Field)[]
                 {
                     (new { name = "bad name!", parent = Gemeente, level = "buurt" }, "name"),
                     (new { name = "x", parent = Gemeente, level = "gemeente" }, "level"),
                     (new { name = "x", parent = Gemeente, level = "buurt", window_to = "30-06-2026" }, "window_to"),
                     (new { name = "x", parent = Gemeente, level = "buurt", profile = "nope" }, "profile"),
                     (new { name = "x", parent = Gemeente, level = "buurt", model = "rr-magic-9" }, "rr-poisson-gamma-2"),
                 })
        {
            var response = await analyst.PostAsJsonAsync("/api/scans", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.PostAsJsonAsync("/api/scans", new { name = "x", parent = "GM0000", level = "buurt" })).StatusCode);
    }

    [Fact]
    public async Task A_member_of_another_casustafel_can_neither_run_nor_read_the_scan()
    {
        using var analyst = await _factory.CreateClientAsync(Role.Analyst);
        Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsJsonAsync("/api/scans", Body("scoped"))).StatusCode);

        using var elders = await _factory.CreateClientAsync(Role.Member, "elders");
        var run = await elders.PostAsJsonAsync("/api/scans", Body("not-mine"));
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
        var missing = await elders.GetAsync("/api/scans/does-not-exist");
        var outside = await elders.GetAsync("/api/scans/scoped");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        // Same answer as a scan that does not exist (no oracle), apart from the trace id.
        Assert.Equal(Without(await missing.Content.ReadAsStringAsync()), Without(await outside.Content.ReadAsStringAsync()));
        foreach (var path in new[] { "/api/scans/scoped/scan.csv", "/api/scans/scoped/comparison?baseline=scoped" })
            Assert.Equal(HttpStatusCode.NotFound, (await elders.GetAsync(path)).StatusCode);
        var list = await elders.GetFromJsonAsync<JsonElement>("/api/scans");
        Assert.Equal(0, list.GetProperty("scans").GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await elders.GetAsync("/api/scans/scoped/verify")).StatusCode);

        using var own = await _factory.CreateClientAsync(Role.Member, "gemeente");
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync("/api/scans/scoped")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await own.PostAsJsonAsync("/api/scans", Body("mine"))).StatusCode);
    }

    [Fact]
    public async Task A_viewer_gets_the_suppressed_version()
    {
        using var analyst = await _factory.CreateClientAsync(Role.Analyst);
        Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsJsonAsync("/api/scans", Body("shared"))).StatusCode);
        using var viewer = await _factory.CreateClientAsync(Role.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/scans", Body("viewer-run"))).StatusCode);
        var scan = await viewer.GetFromJsonAsync<JsonElement>("/api/scans/shared");
        Assert.True(scan.GetProperty("suppressed").GetBoolean());
        var rows = scan.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("code").GetString()!);
        // BU1 32 and BU3 12 published by the cell-key method with the key sums stored beside them
        // (C# twin), BU2 3 and BU4 0 withheld, with their ratios.
        foreach (var (code, exact) in new[] { ("BU1", 32), ("BU3", 12) })
        {
            var keySum = await _db.ScalarAsync<long>($"SELECT sa.key_sum FROM scan_area sa JOIN scan s ON s.id = sa.scan_id WHERE s.name = 'shared' AND sa.code = '{code}'");
            var published = Suppression.Publish(exact, keySum, 5);
            var shown = rows[code].GetProperty("signal_count").GetProperty("value");
            Assert.Equal(published.Value, shown.ValueKind == JsonValueKind.Null ? null : shown.GetInt64());
        }
        // Partner counts: published with the key sums of the partners counted (stored beside them).
        var sourceCells = new List<string>();
        foreach (var code in new[] { "BU1", "BU2", "BU3", "BU4" })
        {
            var (exact, keySum) = (await _db.ScalarAsync<int>($"SELECT sa.source_count FROM scan_area sa JOIN scan s ON s.id = sa.scan_id WHERE s.name = 'shared' AND sa.code = '{code}'"),
                await _db.ScalarAsync<long>($"SELECT sa.source_key_sum FROM scan_area sa JOIN scan s ON s.id = sa.scan_id WHERE s.name = 'shared' AND sa.code = '{code}'"));
            var published = Suppression.Publish(exact, keySum, 5);
            var shown = rows[code].GetProperty("source_count");
            Assert.Equal(published.Suppressed, shown.GetProperty("suppressed").GetBoolean());
            Assert.Equal(published.Value, shown.GetProperty("value").ValueKind == JsonValueKind.Null ? null : shown.GetProperty("value").GetInt64());
            sourceCells.Add(published.Suppressed ? "<5" : published.Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var code in new[] { "BU2", "BU4" })
        {
            Assert.True(rows[code].GetProperty("signal_count").GetProperty("suppressed").GetBoolean());
            Assert.Equal(JsonValueKind.Null, rows[code].GetProperty("signal_count").GetProperty("value").ValueKind);
            Assert.Equal(JsonValueKind.Null, rows[code].GetProperty("rr_parent").ValueKind);
            Assert.Equal(JsonValueKind.Null, rows[code].GetProperty("rate_per_denominator").ValueKind);
        }
        // The total would give the withheld buurten back by subtraction: withheld too.
        Assert.True(scan.GetProperty("parent_total").GetProperty("suppressed").GetBoolean());
        Assert.True(scan.GetProperty("parent_counts").GetProperty("drugshandel").GetProperty("suppressed").GetBoolean());
        var csv = await viewer.GetStringAsync("/api/scans/shared/scan.csv");
        Assert.Contains($",BU2,Buurt BU2,<5,{sourceCells[1]},", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",32,", csv, StringComparison.Ordinal);
    }

    private static string Without(string problem) => System.Text.RegularExpressions.Regex.Replace(problem, "\"traceId\":\"[^\"]*\"|\"trace_id\":\"[^\"]*\"", "");
}
