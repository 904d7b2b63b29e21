using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Scoring;

/// <summary>
/// The risk endpoints honour the caller's scope: clients carry real keys of that role and
/// those casustafels.
/// </summary>
public sealed class RiskScopeTests : IDisposable
{
    private readonly GeoRiskApiFactory _factory = new(DemoDatabase.ConnectionString);

    private Task<HttpClient> Client(CallerScope scope) => _factory.CreateClientAsync(scope);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_casustafel_member_sees_only_areas_of_its_table()
    {
        using var client = await Client(new CallerScope("member", ["1012"], false));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/areas/PC4-1012/score", UriKind.Relative))).StatusCode);
        foreach (var url in new[] { "/api/areas/MP-WESTHAVEN/score", "/api/areas/MP-WESTHAVEN/stats", "/api/areas/MP-WESTHAVEN/hotspots" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(url, UriKind.Relative))).StatusCode);
        var ranking = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/scores?kind=mainport", UriKind.Relative));
        Assert.Equal(0, ranking.GetProperty("areas").GetArrayLength());
        // A live ranking of a selection holds exactly the areas of the stored one: those of the table.
        static List<string> Codes(JsonElement r) => [.. r.GetProperty("areas").EnumerateArray().Select(a => a.GetProperty("code").GetString()!).Order(StringComparer.Ordinal)];
        var stored = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/scores", UriKind.Relative));
        var live = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/scores?categories=drugshandel&date=2026-11-15", UriKind.Relative));
        Assert.Contains("PC4-1012", Codes(stored));
        Assert.Equal(Codes(stored), Codes(live));
        // Verifying recomputes a whole kind: analysts only (a role answer, not a scope oracle).
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(new Uri("/api/areas/PC4-1012/score/verify", UriKind.Relative))).StatusCode);
        var run = await client.PostAsJsonAsync(new Uri("/api/scores/run", UriKind.Relative), new { kind = "wijk" });
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
    }

    [Fact]
    public async Task A_suppressed_viewer_gets_no_counts_below_k()
    {
        using var client = await Client(new CallerScope("viewer", null, true, 5));
        var stats = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/areas/BU03620101/stats?from=2026-01-01&to=2026-11-01", UriKind.Relative));
        var rows = stats.GetProperty("current").EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("suppressed").GetBoolean());
        foreach (var row in rows)
        {
            if (row.GetProperty("suppressed").GetBoolean()) Assert.Equal(JsonValueKind.Null, row.GetProperty("count").ValueKind);
            else Assert.True(row.GetProperty("count").GetInt32() >= 5);
        }
        // A live ranking of a selection (JSON and CSV) withholds counts as the stored one does.
        var live = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/scores?kind=buurt&categories=drugshandel&date=2026-11-15", UriKind.Relative));
        var counts = live.GetProperty("areas").EnumerateArray().Select(a => a.GetProperty("signal_count")).ToList();
        Assert.NotEmpty(counts);
        Assert.Contains(counts, c => c.ValueKind == JsonValueKind.Null);
        Assert.All(counts, c => Assert.True(c.ValueKind == JsonValueKind.Null || (c.GetInt32() >= 5 && c.GetInt32() % 5 == 0)));
        var csv = await client.GetStringAsync(new Uri("/api/scores?kind=buurt&categories=drugshandel&date=2026-11-15&format=csv", UriKind.Relative));
        var column = Array.IndexOf(GeoRisk.Reports.Scores.RiskScoreCsv.Columns.ToArray(), "signal_count");
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var cell = line.Split(',')[column];
            Assert.True(cell.Length == 0 || (int.Parse(cell, System.Globalization.CultureInfo.InvariantCulture) is var n && n >= 5 && n % 5 == 0), cell);
        }
        var hotspots = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/areas/BU03620101/hotspots?cell=100&from=2025-11-01&to=2026-11-01", UriKind.Relative));
        foreach (var f in hotspots.GetProperty("features").EnumerateArray())
        {
            var count = f.GetProperty("properties").GetProperty("count");
            Assert.True(count.ValueKind == JsonValueKind.Null || count.GetInt32() == 0 || count.GetInt32() >= 5);
        }
    }
}
