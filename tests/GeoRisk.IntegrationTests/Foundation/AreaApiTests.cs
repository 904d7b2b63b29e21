using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Foundation;

public sealed class DemoApiFixture : IAsyncLifetime
{
    public GeoRiskApiFactory Factory { get; } = new(DemoDatabase.ConnectionString);
    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

public sealed class AreaApiTests(DemoApiFixture fixture) : IClassFixture<DemoApiFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateClient();

    [Fact]
    public async Task Areas_are_a_GeoJSON_FeatureCollection_in_WGS84()
    {
        var response = await _client.GetAsync(new Uri("/api/areas", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("FeatureCollection", json.RootElement.GetProperty("type").GetString());
        var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.True(features.Count >= 60);
        var kinds = features.Select(f => f.GetProperty("properties").GetProperty("kind").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "mainport", "bedrijventerrein", "buitengebied", "postcode", "wijk", "buurt", "gemeente", "custom" }, kinds);

        var area1012 = features.Single(f => f.GetProperty("id").GetString() == "PC4-1012");
        // Every vertex is lon/lat in Amsterdam: the transform to WGS84 happened, not RD metres.
        foreach (var ring in area1012.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().SelectMany(p => p.EnumerateArray()))
            foreach (var position in ring.EnumerateArray())
            {
                Assert.InRange(position[0].GetDouble(), 4.88, 4.91);
                Assert.InRange(position[1].GetDouble(), 52.36, 52.385);
            }
    }

    [Fact]
    public async Task Kind_filter_returns_only_that_kind()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync(new Uri("/api/areas?kind=mainport", UriKind.Relative)));
        var codes = json.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()).Order().ToList();
        Assert.Equal(["MP-BLOEMENVEILING", "MP-WESTHAVEN"], codes);
    }

    [Fact]
    public async Task Unknown_kind_is_a_400_problem_listing_the_valid_kinds()
    {
        var response = await _client.GetAsync(new Uri("/api/areas?kind=haven", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var detail = problem.GetProperty("detail").GetString()!;
        foreach (var kind in new[] { "mainport", "bedrijventerrein", "buitengebied", "postcode", "wijk", "buurt", "stadsdeel", "gemeente", "custom" })
            Assert.Contains(kind, detail, StringComparison.Ordinal);
        Assert.Equal(9, problem.GetProperty("valid_kinds").GetArrayLength());
    }

    [Fact]
    public async Task One_area_has_its_attributes_and_casustafels()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync(new Uri("/api/areas/PC4-1012", UriKind.Relative)));
        var properties = json.RootElement.GetProperty("properties");
        Assert.Equal("postcode", properties.GetProperty("kind").GetString());
        Assert.Contains("1012", properties.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal("adressen", properties.GetProperty("exposure_unit").GetString());
        Assert.Equal("1012", properties.GetProperty("casustafels")[0].GetString());
        var bbox = json.RootElement.GetProperty("bbox");
        Assert.InRange(bbox[0].GetDouble(), 4.88, 4.90);
    }

    [Fact]
    public async Task A_buurt_names_its_wijk_as_parent()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync(new Uri("/api/areas/BU03620401", UriKind.Relative)));
        Assert.Equal("WK036204", json.RootElement.GetProperty("properties").GetProperty("parent_code").GetString());
    }

    [Theory]
    [InlineData("/api/areas/PC4-9999")]
    [InlineData("/api/areas/%3Cscript%3E")]
    public async Task Unknown_area_code_is_a_404_problem(string url)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("<script>", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem_too()
    {
        var response = await _client.GetAsync(new Uri("/api/nothing-here", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class ReferenceApiTests(DemoApiFixture fixture) : IClassFixture<DemoApiFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateClient();

    [Fact]
    public async Task Categories_have_Dutch_and_English_labels_for_every_required_code()
    {
        var categories = await _client.GetFromJsonAsync<JsonElement>(new Uri("/api/categories", UriKind.Relative));
        var codes = categories.EnumerateArray().Select(c => c.GetProperty("code").GetString()).ToHashSet();
        foreach (var code in new[] { "drugshandel", "drugsproductie", "hennepteelt", "drugsafval", "witwassen", "ondergronds_bankieren",
                     "vastgoed", "luxegoederen", "misbruik_panden", "misbruik_ondernemingen", "illegale_bewoning", "mensenhandel", "omg",
                     "explosies", "havenincident", "handelsregister_mutatie", "burgermelding", "toezichtsbevinding" })
            Assert.Contains(code, codes);
        foreach (var category in categories.EnumerateArray())
        {
            Assert.False(string.IsNullOrWhiteSpace(category.GetProperty("label_nl").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(category.GetProperty("label_en").GetString()));
        }
    }

    [Fact]
    public async Task Sources_list_every_partner()
    {
        var sources = await _client.GetFromJsonAsync<JsonElement>(new Uri("/api/sources", UriKind.Relative));
        var codes = sources.EnumerateArray().Select(c => c.GetProperty("code").GetString()).ToHashSet();
        Assert.Superset(codes, new HashSet<string?> { "gemeente", "politie", "om", "belastingdienst", "fiod", "douane", "nla", "kmar", "havenbedrijf", "private_partner", "kvk" });
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_endpoints()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/areas/{code}", out _));
        Assert.True(paths.TryGetProperty("/health", out _));
    }
}
