using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Scoring;

/// <summary>GET/POST /api/profiles: listing, validated new versions; a database of its own because POST writes.</summary>
public sealed class ProfileApiTests : IAsyncLifetime, IDisposable
{
    private TestDatabase _db = null!;
    private GeoRiskApiFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _factory = new GeoRiskApiFactory(_db.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _db.DisposeAsync();
    }

    public void Dispose() => _factory?.Dispose();

    private static Dictionary<string, object> Params(Action<Dictionary<string, object>>? change = null)
    {
        var p = new Dictionary<string, object>
        {
            ["model"] = "relative-risk", ["half_life_days"] = 90, ["window_days"] = 180,
            ["category_weights"] = new Dictionary<string, double> { ["drugshandel"] = 1, ["witwassen"] = 1.5 },
            ["corroboration_factor"] = 0.2, ["reference"] = "kind", ["prior_shape"] = "auto", ["credible_level"] = 0.8, ["trend_alpha"] = 0.01,
            ["thresholds"] = new Dictionary<string, double> { ["min_signals"] = 5, ["min_sources"] = 2, ["min_rr_lower"] = 1.2 },
        };
        change?.Invoke(p);
        return p;
    }

    [Fact]
    public async Task Profiles_are_listed_and_a_new_version_is_added_never_changed()
    {
        var client = _factory.CreateClient();
        var list = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/profiles", UriKind.Relative));
        var standard = list.EnumerateArray().Where(p => p.GetProperty("name").GetString() == "riec-standaard").ToList();
        Assert.Equal([1, 2], standard.Select(p => p.GetProperty("version").GetInt32()));
        Assert.Equal(["percentile", "relative-risk"], standard.Select(p => p.GetProperty("model").GetString()));

        var response = await client.PostAsJsonAsync(new Uri("/api/profiles", UriKind.Relative),
            new { name = "riec-standaard", description = "korter venster", @params = Params() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, created.GetProperty("version").GetInt32());
        Assert.Equal("/api/profiles/riec-standaard", response.Headers.Location?.OriginalString);
        // Version 2 is as it was; version 3 scores with its own window.
        var versions = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/profiles/riec-standaard", UriKind.Relative));
        Assert.Equal(365, versions[1].GetProperty("params").GetProperty("window_days").GetInt32());
        Assert.Equal(180, versions[2].GetProperty("params").GetProperty("window_days").GetInt32());

        var fresh = await client.PostAsJsonAsync(new Uri("/api/profiles", UriKind.Relative), new { name = "haven-proef", @params = Params() });
        Assert.Equal(1, (await fresh.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
    }

    public static TheoryData<string, string> BadParams() => new()
    {
        { "bogus", "params.bogus" },
        { "window_days", "params.window_days" },
        { "credible_level", "params.credible_level" },
        { "weights", "params.category_weights.fraude" },
        { "threshold", "params.thresholds.min_score" },
        { "missing", "params.thresholds.min_rr_lower" },
    };

    [Theory]
    [MemberData(nameof(BadParams))]
    public async Task Unknown_keys_and_values_out_of_range_are_400_naming_the_key(string defect, string key)
    {
        var body = Params(p =>
        {
            switch (defect)
            {
                case "bogus": p["bogus"] = 1; break;
                case "window_days": p["window_days"] = 2; break;
                case "credible_level": p["credible_level"] = 1.5; break;
                case "weights": p["category_weights"] = new Dictionary<string, double> { ["drugshandel"] = 1, ["fraude"] = 1 }; break;
                case "threshold": p["thresholds"] = new Dictionary<string, double> { ["min_signals"] = 5, ["min_sources"] = 2, ["min_rr_lower"] = 1.2, ["min_score"] = 80 }; break;
                case "missing": p["thresholds"] = new Dictionary<string, double> { ["min_signals"] = 5, ["min_sources"] = 2 }; break;
            }
        });
        var client = _factory.CreateClient();
        var response = await client.PostAsJsonAsync(new Uri("/api/profiles", UriKind.Relative), new { name = "riec-standaard", @params = body });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains($"'{key}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("key").GetString() == key);
        Assert.Equal(2L, await _db.ScalarAsync<long>("SELECT count(*) FROM scoring_profile WHERE name = 'riec-standaard'"));
    }

    [Fact]
    public async Task Only_an_admin_adds_a_profile_and_unknown_profiles_are_404()
    {
        var analyst = await _factory.CreateClientAsync(GeoRisk.Core.Access.Role.Analyst);
        var response = await analyst.PostAsJsonAsync(new Uri("/api/profiles", UriKind.Relative), new { name = "x", @params = Params() });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/api/profiles/bestaat-niet", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/api/scores?profile=bestaat-niet", UriKind.Relative))).StatusCode);
    }
}
