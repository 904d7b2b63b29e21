using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GeoRisk.IntegrationTests.Scoring;

/// <summary>
/// The risk endpoints honour the caller's scope. Until access control (issue 6) sets the scope,
/// a startup filter puts one in HttpContext.Items, where GetCallerScope() reads it.
/// </summary>
public sealed class RiskScopeTests : IDisposable
{
    private sealed class ScopeFilter(CallerScope scope) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, Func<Task> nextMiddleware) =>
            {
                context.Items[typeof(CallerScope)] = scope;
                return nextMiddleware();
            });
            next(app);
        };
    }

    private readonly GeoRiskApiFactory _factory = new(DemoDatabase.ConnectionString);

    private HttpClient Client(CallerScope scope) => _factory.WithWebHostBuilder(b =>
        b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new ScopeFilter(scope)))).CreateClient();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_casustafel_member_sees_only_areas_of_its_table()
    {
        var client = Client(new CallerScope("member", ["1012"], false));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/areas/PC4-1012/score", UriKind.Relative))).StatusCode);
        foreach (var url in new[] { "/api/areas/MP-WESTHAVEN/score", "/api/areas/MP-WESTHAVEN/stats", "/api/areas/MP-WESTHAVEN/hotspots", "/api/areas/MP-WESTHAVEN/score/verify" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(url, UriKind.Relative))).StatusCode);
        var ranking = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/scores?kind=mainport", UriKind.Relative));
        Assert.Equal(0, ranking.GetProperty("areas").GetArrayLength());
        var verify = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/areas/PC4-1012/score/verify", UriKind.Relative));
        Assert.All(verify.GetProperty("differing").EnumerateArray(), c => Assert.Equal("PC4-1012", c.GetString()));
        var run = await client.PostAsJsonAsync(new Uri("/api/scores/run", UriKind.Relative), new { kind = "wijk" });
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
    }

    [Fact]
    public async Task A_suppressed_viewer_gets_no_counts_below_k()
    {
        var client = Client(new CallerScope("viewer", null, true, 5));
        var stats = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/areas/BU03620101/stats?from=2026-01-01&to=2026-11-01", UriKind.Relative));
        var rows = stats.GetProperty("current").EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("suppressed").GetBoolean());
        foreach (var row in rows)
        {
            if (row.GetProperty("suppressed").GetBoolean()) Assert.Equal(JsonValueKind.Null, row.GetProperty("count").ValueKind);
            else Assert.True(row.GetProperty("count").GetInt32() >= 5);
        }
        var hotspots = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/areas/BU03620101/hotspots?cell=100&from=2025-11-01&to=2026-11-01", UriKind.Relative));
        foreach (var f in hotspots.GetProperty("features").EnumerateArray())
        {
            var count = f.GetProperty("properties").GetProperty("count");
            Assert.True(count.ValueKind == JsonValueKind.Null || count.GetInt32() == 0 || count.GetInt32() >= 5);
        }
    }
}
