using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;

namespace GeoRisk.IntegrationTests.Rtm;

/// <summary>
/// A model of the planted world end to end: factor layers in through the API, the model fitted
/// and stored, its cells, validation, blind spots and CSV, within the caller's reach.
/// </summary>
public sealed class RtmModelTests(RtmModelTests.ModelFixture model) : IClassFixture<RtmModelTests.ModelFixture>
{
    /// <summary>The world with layers A (vakantiepark) and B (jachthaven) imported and one model fitted: 2024 fit, 2025 test.</summary>
    public sealed class ModelFixture : IAsyncLifetime
    {
        public RtmWorldFixture World { get; } = new();
        public JsonElement Card { get; private set; }
        public long Id => Card.GetProperty("id").GetInt64();

        public async Task InitializeAsync()
        {
            await World.InitializeAsync();
            var admin = World.Factory.CreateClient();
            foreach (var (points, kind, prefix) in new[] { (World.A, "vakantiepark", "A"), (World.B, "jachthaven", "B") })
            {
                var imported = await admin.PostAsync($"/api/rtm/factors/import?programme=bg&dataset=laag-{kind}&kind={kind}",
                    RtmWorldFixture.Text(RtmWorldFixture.Csv(points, prefix)));
                Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
            }
            var created = await admin.PostAsJsonAsync("/api/rtm/models", Request());
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Card = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.Clone();
        }

        public static object Request(object? factors = null) => new
        {
            study_area = "BG-TEST", name = "test", fit_from = "2024-01-01", fit_to = "2025-01-01", test_to = "2026-01-01",
            factors = factors ?? new[] { "vakantiepark", "jachthaven" },
        };

        public Task DisposeAsync() => World.DisposeAsync();
    }

    private RtmWorldFixture World => model.World;
    private readonly HttpClient _admin = model.World.Factory.CreateClient();

    [Fact]
    public void The_planted_factor_is_kept_at_200_m_with_an_interval_containing_3_and_the_other_is_dropped()
    {
        var factors = model.Card.GetProperty("fit").GetProperty("factors").EnumerateArray().ToList();
        var a = Assert.Single(factors);
        Assert.Equal("vakantiepark", a.GetProperty("factor").GetString());
        Assert.Equal("proximity-200", a.GetProperty("operationalisation").GetString());
        Assert.InRange(3.0, a.GetProperty("rrv_low").GetDouble(), a.GetProperty("rrv_high").GetDouble());
        var candidates = model.Card.GetProperty("fit").GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("factor").GetString()).ToList();
        Assert.Equal(["vakantiepark", "jachthaven"], candidates);
        Assert.Equal(13, model.Card.GetProperty("fit").GetProperty("candidates")[0].GetProperty("scores").GetArrayLength());
        var inputs = model.Card.GetProperty("inputs");
        Assert.Equal("2024-01-01", inputs.GetProperty("fit_period").GetProperty("from").GetString());
        Assert.Equal(2, inputs.GetProperty("datasets").GetArrayLength());
        Assert.Equal(25, inputs.GetProperty("datasets")[0].GetProperty("features").GetInt64());
    }

    [Fact]
    public async Task The_stored_cells_are_the_study_area_grid_with_the_counts_of_each_period()
    {
        var cells = model.Card.GetProperty("cell_count").GetInt32();
        Assert.Equal(await World.Database.ScalarAsync<long>("SELECT count(*) FROM rtm_cells('BG-TEST', 100)"), cells);
        Assert.Equal(cells, await World.Database.ScalarAsync<long>($"SELECT count(*) FROM rtm_cell WHERE model_id = {model.Id}"));
        Assert.Equal(await World.Database.ScalarAsync<long>("SELECT count(*) FROM signal WHERE observed_at >= '2024-01-01' AND observed_at < '2025-01-01'"),
            await World.Database.ScalarAsync<long>($"SELECT sum(fit_count) FROM rtm_cell WHERE model_id = {model.Id}"));
        Assert.Equal(await World.Database.ScalarAsync<long>("SELECT count(*) FROM signal WHERE observed_at >= '2025-01-01' AND observed_at < '2026-01-01'"),
            await World.Database.ScalarAsync<long>($"SELECT sum(test_count) FROM rtm_cell WHERE model_id = {model.Id}"));
        // RRS: the RRV of the kept factor where it is present, 1 elsewhere.
        var rrv = model.Card.GetProperty("fit").GetProperty("factors")[0].GetProperty("rrv").GetDouble();
        var json = JsonDocument.Parse(await _admin.GetStringAsync($"/api/rtm/models/{model.Id}/cells")).RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(cells, json.Count);
        foreach (var c in json)
            Assert.Equal(c.GetProperty("factors").GetArrayLength() == 1 ? rrv : 1.0, c.GetProperty("rrs").GetDouble(), 9);
        // Present exactly where a vakantiepark lies within 200 m of the cell centre (PostGIS, not the model, says so).
        Assert.Equal(await World.Database.ScalarAsync<long>("""
            SELECT count(*) FROM rtm_cells('BG-TEST', 100) c WHERE EXISTS (
              SELECT 1 FROM overlay_feature f JOIN overlay_dataset d ON d.id = f.dataset_id AND d.factor_kind = 'vakantiepark'
              WHERE ST_DWithin(f.geom, ST_SetSRID(ST_MakePoint(c.x, c.y), 28992), 200))
            """), json.Count(c => c.GetProperty("factors").GetArrayLength() == 1));
    }

    [Fact]
    public async Task Validation_is_the_hit_rate_and_PAI_of_the_top_5_percent_computed_from_the_stored_cells()
    {
        var validation = model.Card.GetProperty("validation");
        var cells = JsonDocument.Parse(await _admin.GetStringAsync($"/api/rtm/models/{model.Id}/cells")).RootElement.GetProperty("cells").EnumerateArray().ToList();
        // By hand: the top 5 % of cells by RRS, ties at the cut counted pro rata.
        double room = 0.05 * cells.Count, hits = 0, total = cells.Sum(c => c.GetProperty("test_count").GetInt64());
        foreach (var group in cells.GroupBy(c => c.GetProperty("rrs").GetDouble()).OrderByDescending(g => g.Key))
        {
            if (room <= 0) break;
            double groupHits = group.Sum(c => c.GetProperty("test_count").GetInt64());
            hits += group.Count() <= room ? groupHits : groupHits * room / group.Count();
            room -= group.Count();
        }
        Assert.Equal(hits / total, validation.GetProperty("model").GetProperty("hit_rate").GetDouble(), 9);
        Assert.Equal(hits / total / 0.05, validation.GetProperty("model").GetProperty("pai").GetDouble(), 9);
        Assert.True(validation.GetProperty("model").GetProperty("pai").GetDouble() > 1.5);
        Assert.True(validation.GetProperty("hotspot").GetProperty("pai").GetDouble() > 0);
        Assert.Equal(total, validation.GetProperty("hotspot").GetProperty("signals").GetDouble());
    }

    [Fact]
    public async Task Blind_spots_are_top_cells_with_few_signals_ranked_and_per_area()
    {
        // Cells near a vakantiepark expect 6 signals over the two years; a few drew at most 2.
        const string query = "blind-spots?max_signals=2";
        var all = JsonDocument.Parse(await _admin.GetStringAsync($"/api/rtm/models/{model.Id}/{query}")).RootElement.GetProperty("blind_spots").EnumerateArray().ToList();
        Assert.NotEmpty(all);
        Assert.Equal(Enumerable.Range(1, all.Count), all.Select(s => s.GetProperty("rank").GetInt32()));
        foreach (var s in all)
        {
            Assert.True(s.GetProperty("rrs").GetDouble() > 1);
            Assert.InRange(await World.Database.ScalarAsync<long>(
                $"SELECT (fit_count + test_count)::bigint FROM rtm_cell WHERE model_id = {model.Id} AND q = {s.GetProperty("q").GetInt32()} AND r = {s.GetProperty("r").GetInt32()}"), 0, 2);
        }
        var north = JsonDocument.Parse(await _admin.GetStringAsync($"/api/rtm/models/{model.Id}/{query}&area=BG-NOORD")).RootElement.GetProperty("blind_spots").EnumerateArray().ToList();
        Assert.All(north, s => Assert.Contains(all, a => a.GetProperty("q").GetInt32() == s.GetProperty("q").GetInt32() && a.GetProperty("r").GetInt32() == s.GetProperty("r").GetInt32()));
        Assert.True(north.Count < all.Count);
        var csv = await _admin.GetStringAsync($"/api/rtm/models/{model.Id}/{query}&format=csv");
        Assert.Equal(all.Count + 1, csv.TrimEnd('\n').Split('\n').Length);
        Assert.StartsWith("rank,q,r,lon,lat,rrs,expected,factors\n1,", csv);
    }

    [Fact]
    public async Task The_cells_come_as_CSV()
    {
        var response = await _admin.GetAsync($"/api/rtm/models/{model.Id}/cells?format=csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("q,r,lon,lat,rrs,expected,fit_count,test_count,factors", lines[0]);
        Assert.Equal(model.Card.GetProperty("cell_count").GetInt32() + 1, lines.Length);
        Assert.Contains(lines, l => l.EndsWith(",vakantiepark", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Models_are_versioned_per_study_area_and_listed()
    {
        var again = await _admin.PostAsJsonAsync("/api/rtm/models", ModelFixture.Request(new[] { "vakantiepark" }));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var card = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.True(card.GetProperty("version").GetInt32() >= 2);
        var list = JsonDocument.Parse(await _admin.GetStringAsync("/api/rtm/models?study_area=BG-TEST")).RootElement;
        Assert.Contains(list.EnumerateArray(), m => m.GetProperty("id").GetInt64() == model.Id);
        Assert.Contains(list.EnumerateArray(), m => m.GetProperty("id").GetInt64() == card.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Scope_members_of_another_table_do_not_see_it_and_viewers_get_suppressed_counts()
    {
        var other = await World.Factory.CreateClientAsync(Role.Member, "other");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/rtm/models/{model.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/rtm/models/{model.Id}/cells")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/rtm/models/{model.Id}/blind-spots")).StatusCode);
        Assert.DoesNotContain(JsonDocument.Parse(await other.GetStringAsync("/api/rtm/models")).RootElement.EnumerateArray(),
            m => m.GetProperty("id").GetInt64() == model.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/rtm/models", ModelFixture.Request())).StatusCode);

        var member = await World.Factory.CreateClientAsync(Role.Member, "bg");
        var exact = JsonDocument.Parse(await member.GetStringAsync($"/api/rtm/models/{model.Id}/cells")).RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.Contains(exact, c => c.GetProperty("fit_count").ValueKind == JsonValueKind.Number && c.GetProperty("fit_count").GetInt64() is > 0 and < 5);

        var viewer = await World.Factory.CreateClientAsync(Role.Viewer);
        var suppressed = JsonDocument.Parse(await viewer.GetStringAsync($"/api/rtm/models/{model.Id}/cells")).RootElement;
        Assert.True(suppressed.GetProperty("suppressed").GetBoolean());
        Assert.All(suppressed.GetProperty("cells").EnumerateArray(), c =>
            Assert.True(c.GetProperty("fit_count").ValueKind == JsonValueKind.Null || c.GetProperty("fit_count").GetInt64() >= 5));
        // Blind spots carry no signal-level data, but a threshold of the viewer's choice would give
        // exact counts back (m versus m - 1): viewers get "fewer than k", the admin's list for k - 1.
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync($"/api/rtm/models/{model.Id}/blind-spots?max_signals=2")).StatusCode);
        var mine = JsonDocument.Parse(await viewer.GetStringAsync($"/api/rtm/models/{model.Id}/blind-spots")).RootElement;
        Assert.Equal(4, mine.GetProperty("max_signals").GetInt32());
        Assert.Equal(JsonDocument.Parse(await _admin.GetStringAsync($"/api/rtm/models/{model.Id}/blind-spots?max_signals=4")).RootElement.GetProperty("blind_spots").ToString(),
            mine.GetProperty("blind_spots").ToString());
        Assert.NotEqual(JsonDocument.Parse(await _admin.GetStringAsync($"/api/rtm/models/{model.Id}/blind-spots?max_signals=0")).RootElement.GetProperty("blind_spots").ToString(),
            mine.GetProperty("blind_spots").ToString());
    }

    [Theory]
    [InlineData("""{"name":"x"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"study_area":"BG-TEST","factors":["onbekend"],"fit_from":"2024-01-01","fit_to":"2025-01-01","test_to":"2026-01-01"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"study_area":"BG-TEST","fit_from":"2024-01-01","fit_to":"2025-01-01","test_from":"2024-06-01","test_to":"2026-01-01"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"study_area":"BG-TEST","distances":[0,100]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"study_area":"BG-TEST","fit_from":"2024-13-01"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"study_area":"BG-TEST","fit_from":"2010-01-01","fit_to":"2011-01-01","test_to":"2012-01-01"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"study_area":"NOPE-1"}""", HttpStatusCode.NotFound)]
    [InlineData("""{"study_area":""", HttpStatusCode.BadRequest)]
    public async Task Bad_model_requests_are_4xx_problem_details(string body, HttpStatusCode expected)
    {
        var response = await _admin.PostAsync("/api/rtm/models", RtmWorldFixture.Text(body, "application/json"));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Bad_reads_are_4xx()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/rtm/models/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync($"/api/rtm/models/{model.Id}/cells?format=xml")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync($"/api/rtm/models/{model.Id}/blind-spots?share=2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/rtm/models/{model.Id}/blind-spots?area=NOPE")).StatusCode);
    }
}
