using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.IntegrationTests.Foundation;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Scoring;

/// <summary>Read endpoints over the demo database (seed-demo stores hexbins and a default score run on 2026-11-15).</summary>
public sealed class RiskApiTests(DemoApiFixture fixture) : IClassFixture<DemoApiFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateClient();

    private async Task<JsonElement> GetJsonAsync(string url, string mediaType = "application/json")
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task The_ranking_of_the_demo_run_lists_every_area_of_a_kind_best_first()
    {
        var ranking = await GetJsonAsync("/api/scores?kind=wijk&date=2026-11-15&version=1");
        Assert.Equal("riec-standaard", ranking.GetProperty("profile").GetString());
        Assert.Equal(1, ranking.GetProperty("version").GetInt32());
        var areas = ranking.GetProperty("areas").EnumerateArray().ToList();
        Assert.True(areas.Count >= 10);
        Assert.All(areas, a => Assert.Equal("wijk", a.GetProperty("kind").GetString()));
        var scores = areas.Select(a => a.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Equal(100, scores[0]);
        Assert.Equal(0, scores[^1]);
    }

    [Fact]
    public async Task An_area_score_is_explained_components_add_up_and_reasons_name_each_threshold()
    {
        var score = await GetJsonAsync("/api/areas/PC4-1012/score?version=1");
        double raw = score.GetProperty("raw").GetDouble();
        double sum = score.GetProperty("components").EnumerateObject().Sum(c => c.Value.GetDouble());
        Assert.Equal(raw, sum, 1e-9 * raw);
        Assert.Equal(18, score.GetProperty("components").EnumerateObject().Count());
        Assert.InRange(score.GetProperty("score").GetDouble(), 0, 100);
        Assert.True(score.GetProperty("signal_count").GetInt32() > 100);
        Assert.Equal(score.GetProperty("source_count").GetInt32(), score.GetProperty("corroboration").GetProperty("sources").GetInt32());
        var reasons = score.GetProperty("reasons").EnumerateArray().ToList();
        Assert.Equal(["min_score", "min_signals", "min_sources"], reasons.Select(r => r.GetProperty("threshold").GetString()));
        Assert.Equal(reasons.All(r => r.GetProperty("passed").GetBoolean()), score.GetProperty("kandidaat").GetBoolean());
        Assert.Contains(score.GetProperty("trend").GetProperty("direction").GetString(), new[] { "up", "down", "flat" });
        Assert.Equal("per 1000 adressen", score.GetProperty("denominator_unit").GetString());
    }

    [Fact]
    public async Task The_stored_demo_score_verifies_as_identical()
    {
        var verification = await GetJsonAsync("/api/areas/MP-WESTHAVEN/score/verify?version=1");
        Assert.Equal(verification.GetProperty("compared").GetInt32(), verification.GetProperty("identical").GetInt32());
        Assert.Equal("mainport", verification.GetProperty("kind").GetString());
        var v2 = await GetJsonAsync("/api/areas/MP-WESTHAVEN/score/verify");
        Assert.Equal(2, v2.GetProperty("version").GetInt32());
        Assert.True(v2.GetProperty("compared").GetInt32() >= 2);
        Assert.Equal(v2.GetProperty("compared").GetInt32(), v2.GetProperty("identical").GetInt32());
    }

    [Fact]
    public async Task Stats_per_category_and_month_add_up_to_the_totals_and_have_a_previous_period()
    {
        var stats = await GetJsonAsync("/api/areas/PC4-1012/stats?from=2026-05-01&to=2026-11-01");
        // Equal length in days: 184 days before 2026-05-01.
        Assert.Equal("2025-10-29", stats.GetProperty("previous_period").GetProperty("from").GetString());
        Assert.Equal("2026-05-01", stats.GetProperty("previous_period").GetProperty("to").GetString());
        var current = stats.GetProperty("current").EnumerateArray().ToList();
        var previous = stats.GetProperty("previous").EnumerateArray().ToList();
        Assert.Equal(6, current.Select(r => r.GetProperty("month").GetString()).Distinct().Count());
        Assert.All(current, r => Assert.InRange(string.CompareOrdinal(r.GetProperty("month").GetString(), "2026-05-01"), 0, int.MaxValue));
        Assert.All(previous, r => Assert.True(string.CompareOrdinal(r.GetProperty("month").GetString(), "2026-05-01") < 0));
        var totals = stats.GetProperty("totals");
        Assert.Equal(current.Sum(r => r.GetProperty("count").GetInt32()), totals.GetProperty("current").GetProperty("count").GetInt32());
        Assert.Equal(previous.Sum(r => r.GetProperty("count").GetInt32()), totals.GetProperty("previous").GetProperty("count").GetInt32());
        var row = current[0];
        double km2 = stats.GetProperty("area_km2").GetDouble(), exposure = stats.GetProperty("exposure").GetDouble();
        Assert.Equal(row.GetProperty("count").GetInt32() / km2, row.GetProperty("per_km2").GetDouble(), 0.01 * row.GetProperty("per_km2").GetDouble());
        Assert.Equal(row.GetProperty("count").GetInt32() / (exposure / 1000), row.GetProperty("per_1000_exposure").GetDouble(), 1e-3);
        Assert.InRange(row.GetProperty("sources").GetInt32(), 1, row.GetProperty("count").GetInt32());

        var one = await GetJsonAsync("/api/areas/PC4-1012/stats?from=2026-05-01&to=2026-11-01&category=drugshandel");
        Assert.All(one.GetProperty("current").EnumerateArray(), r => Assert.Equal("drugshandel", r.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task Hotspots_are_GeoJSON_cells_with_z_p_and_an_FDR_class()
    {
        var hotspots = await GetJsonAsync("/api/areas/PC4-1012/hotspots?cell=100&from=2025-11-01&to=2026-11-01", "application/geo+json");
        Assert.Equal("FeatureCollection", hotspots.GetProperty("type").GetString());
        var features = hotspots.GetProperty("features").EnumerateArray().ToList();
        Assert.True(features.Count > 20);
        var classes = new[] { "hot-99", "hot-95", "hot-90", "cold-99", "cold-95", "cold-90", "not-significant" };
        foreach (var f in features)
        {
            var p = f.GetProperty("properties");
            Assert.Contains(p.GetProperty("class").GetString(), classes);
            Assert.InRange(p.GetProperty("p").GetDouble(), 0, 1);
            Assert.True(p.GetProperty("p_adjusted").GetDouble() >= p.GetProperty("p").GetDouble() - 1e-15);
            Assert.Equal(7, f.GetProperty("geometry").GetProperty("coordinates")[0].GetArrayLength());
        }
        // The demo plants a hotspot in 1012: at least one cell is hot at 99 %, and every hot cell has z > 0.
        Assert.Contains(features, f => f.GetProperty("properties").GetProperty("class").GetString() == "hot-99");
        Assert.All(features.Where(f => f.GetProperty("properties").GetProperty("class").GetString()!.StartsWith("hot", StringComparison.Ordinal)),
            f => Assert.True(f.GetProperty("properties").GetProperty("z").GetDouble() > 0));
        // The cells count all of the area's signals in the period.
        var total = features.Sum(f => f.GetProperty("properties").GetProperty("count").GetInt32());
        var stats = await GetJsonAsync("/api/areas/PC4-1012/stats?from=2025-11-01&to=2026-11-01");
        Assert.Equal(stats.GetProperty("totals").GetProperty("current").GetProperty("count").GetInt32(), total);
    }

    [Theory]
    [InlineData("/api/areas/PC4-1012/hotspots?cell=300", "cell")]
    [InlineData("/api/areas/PC4-1012/hotspots?rings=9", "rings")]
    [InlineData("/api/areas/GM0362/hotspots?cell=100&rings=1&from=2026-01-01&to=2025-01-01", "'from'")]
    [InlineData("/api/areas/PC4-1012/stats?from=01-05-2026", "'from'")]
    [InlineData("/api/areas/PC4-1012/stats?category=fraude", "category")]
    [InlineData("/api/scores?kind=haven", "kind")]
    [InlineData("/api/scores?date=gisteren", "date")]
    [InlineData("/api/areas/PC4-1012/score?date=2026-13-01", "date")]
    public async Task Bad_parameters_are_400_problems_naming_the_parameter(string url, string named)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/areas/PC4-9999/score")]
    [InlineData("/api/areas/PC4-9999/stats")]
    [InlineData("/api/areas/PC4-9999/hotspots")]
    [InlineData("/api/areas/PC4-1012/score?date=2020-01-01")]
    [InlineData("/api/scores?profile=bestaat-niet")]
    [InlineData("/api/areas/PC4-1012/score?profile=bestaat-niet")]
    [InlineData("/api/areas/PC4-1012/score?version=99")]
    public async Task Unknown_things_are_404_problems(string url)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>POST /api/scores/run writes: it gets a database of its own with a small world.</summary>
public sealed class ScoreRunApiTests : IAsyncLifetime, IDisposable
{
    private TestDatabase _db = null!;
    private GeoRiskApiFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _factory = new GeoRiskApiFactory(_db.ConnectionString);
        await SmallWorld.AddAreaAsync(_db, "S1", "bedrijventerrein", 150000, 420000, 1000, 1000);
        await SmallWorld.AddAreaAsync(_db, "S2", "bedrijventerrein", 152000, 420000, 1000, 1000);
        for (int i = 0; i < 12; i++)
            await SmallWorld.AddSignalAsync(_db, 150500, 420500, "drugsproductie", i % 2 == 0 ? "politie" : "om", 0.9, 10 + i);
        await SmallWorld.AddSignalAsync(_db, 152500, 420500, "burgermelding", "gemeente", 0.5, 20);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _db.DisposeAsync();
    }

    public void Dispose() => _factory?.Dispose();

    [Fact]
    public async Task A_run_stores_scores_that_the_ranking_and_area_endpoints_return()
    {
        var client = _factory.CreateClient();
        var response = await client.PostAsJsonAsync(new Uri("/api/scores/run", UriKind.Relative),
            new { reference_date = "2026-06-30", kind = "bedrijventerrein", version = 1 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, run.GetProperty("areas").GetInt32());
        Assert.Equal(1, run.GetProperty("kandidaten").GetInt32());
        Assert.Equal("riec-standaard", run.GetProperty("profile").GetString());

        var ranking = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/scores?kind=bedrijventerrein&version=1", UriKind.Relative));
        Assert.Equal("2026-06-30", ranking.GetProperty("reference_date").GetString());
        Assert.Equal(["S1", "S2"], ranking.GetProperty("areas").EnumerateArray().Select(a => a.GetProperty("code").GetString()));

        var s1 = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/areas/S1/score?version=1", UriKind.Relative));
        Assert.True(s1.GetProperty("kandidaat").GetBoolean());
        Assert.Equal(12, s1.GetProperty("signal_count").GetInt32());
        var s2 = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/areas/S2/score?version=1", UriKind.Relative));
        Assert.False(s2.GetProperty("kandidaat").GetBoolean());
        Assert.Equal(3, s2.GetProperty("reasons").EnumerateArray().Count(r => !r.GetProperty("passed").GetBoolean()));

        var again = await client.PostAsJsonAsync(new Uri("/api/scores/run", UriKind.Relative), new { reference_date = "2026-06-30", kind = "bedrijventerrein", version = 1 });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, await _db.ScalarAsync<long>("SELECT count(*) FROM score"));
    }

    [Theory]
    [InlineData("{\"profile\": \"bestaat-niet\"}", "profile")]
    [InlineData("{\"reference_date\": \"30-06-2026\"}", "reference_date")]
    [InlineData("{\"kind\": \"haven\"}", "kind")]
    public async Task A_bad_run_request_is_a_400_problem(string body, string named)
    {
        var client = _factory.CreateClient();
        var response = await client.PostAsync(new Uri("/api/scores/run", UriKind.Relative),
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
