using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Hardening;

/// <summary>
/// A viewer who subtracts: windows that differ by a few days, and the published figures of an
/// area, must not give away counts below k or exact counts (docs/access.md, "Suppression").
/// </summary>
public sealed class DifferencingTests : IDisposable
{
    private readonly GeoRiskApiFactory _factory = new(DemoDatabase.ConnectionString);

    public void Dispose() => _factory.Dispose();

    private static long Total(JsonElement stats, string period) =>
        stats.GetProperty("totals").GetProperty(period).GetProperty("count") is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : -1;

    [Fact]
    public async Task Windows_that_differ_by_a_day_give_a_viewer_the_same_figures_so_subtracting_reveals_nothing()
    {
        using var viewer = await _factory.CreateClientAsync(Role.Viewer);
        using var admin = _factory.CreateClient();
        // Admin sees that the windows differ (there are signals on the days between them) ...
        var exactA = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/areas/PC4-1012/stats?from=2026-01-01&to=2026-06-01", UriKind.Relative));
        var exactB = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/areas/PC4-1012/stats?from=2026-01-09&to=2026-05-24", UriKind.Relative));
        Assert.NotEqual(Total(exactA, "current"), Total(exactB, "current"));
        // ... a viewer gets whole months for both, identical to the last byte of the figures.
        var a = await viewer.GetFromJsonAsync<JsonElement>(new Uri("/api/areas/PC4-1012/stats?from=2026-01-01&to=2026-06-01", UriKind.Relative));
        var b = await viewer.GetFromJsonAsync<JsonElement>(new Uri("/api/areas/PC4-1012/stats?from=2026-01-09&to=2026-05-24", UriKind.Relative));
        Assert.Equal(a.GetProperty("totals").GetRawText(), b.GetProperty("totals").GetRawText());
        Assert.Equal(a.GetProperty("current").GetRawText(), b.GetProperty("current").GetRawText());
        Assert.Equal("2026-01-01", b.GetProperty("period").GetProperty("from").GetString());
        Assert.Equal("2026-06-01", b.GetProperty("period").GetProperty("to").GetString());
    }

    [Fact]
    public async Task Every_count_a_viewer_gets_is_published_and_every_rate_is_computed_from_it()
    {
        using var viewer = await _factory.CreateClientAsync(Role.Viewer);
        var k = 5;
        var stats = await viewer.GetFromJsonAsync<JsonElement>(new Uri("/api/areas/PC4-1012/stats?from=2025-11-01&to=2026-11-01", UriKind.Relative));
        var km2 = stats.GetProperty("area_km2").GetDouble();
        var rows = stats.GetProperty("current").EnumerateArray().Concat(stats.GetProperty("previous").EnumerateArray())
            .Concat(stats.GetProperty("totals").EnumerateObject().Select(p => p.Value)).ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var count = row.GetProperty("count");
            if (count.ValueKind == JsonValueKind.Null)
            {
                Assert.True(row.GetProperty("suppressed").GetBoolean());
                Assert.Equal(JsonValueKind.Null, row.GetProperty("per_km2").ValueKind);
                continue;
            }
            var n = count.GetInt64();
            Assert.True(n >= k && n % 5 == 0, $"viewer got count {n}");
            // area_km2 is shown rounded to 0.001 km²: compare relatively.
            Assert.InRange(row.GetProperty("per_km2").GetDouble() / (n / km2), 0.999, 1.001);
        }

        using var response = await viewer.GetAsync(new Uri("/api/areas/PC4-1012/score", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        var score = await response.Content.ReadFromJsonAsync<JsonElement>();
        // No split per category, and every count published (≥ k, a multiple of 5) or withheld.
        Assert.Equal(0, score.GetProperty("components").GetArrayLength());
        foreach (var published in new[] { score.GetProperty("signal_count"), score.GetProperty("trend").GetProperty("signal_count"),
                                          score.GetProperty("trend").GetProperty("previous_signal_count") })
            Assert.True(published.ValueKind == JsonValueKind.Null || (published.GetInt64() >= k && published.GetInt64() % 5 == 0), $"viewer got count {published}");
        Assert.All(score.GetProperty("reasons").EnumerateArray().Where(r => r.GetProperty("threshold").GetString() is "min_signals" or "min_sources"),
            r => Assert.Equal(JsonValueKind.Null, r.GetProperty("actual").ValueKind));
    }
}
