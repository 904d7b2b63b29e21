using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Effects;

/// <summary>The interventions register and its effect analysis over HTTP, against the planted world.</summary>
public sealed class InterventionApiTests(EffectWorldFixture world) : IClassFixture<EffectWorldFixture>
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static async Task<HttpResponseMessage> CreateAsync(HttpClient client, object body) =>
        await client.PostAsJsonAsync(U("/api/interventions"), body);

    private async Task EnsureTargetInterventionAsync()
    {
        using var client = world.Factory.CreateClient();
        var existing = await client.GetAsync(U("/api/interventions/sluiting-tgt"));
        if (existing.StatusCode == HttpStatusCode.OK) return;
        var created = await CreateAsync(client, new
        {
            code = "sluiting-tgt", name = "Sluiting drie panden", kind = "sluiting", casustafel = "ct-a", area = "TGT",
            start_date = "2025-06-01", description = "Drie panden gesloten na BIBOB-toets.",
        });
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Planted_displacement_is_counted_exactly_and_judged_as_displacement()
    {
        await EnsureTargetInterventionAsync();
        using var client = world.Factory.CreateClient();
        var analysis = await client.GetFromJsonAsync<JsonElement>(U("/api/interventions/sluiting-tgt/analysis?as_of=2026-06-01&control=CTL"));
        var windows = analysis.GetProperty("windows");
        Assert.Equal("2024-12-01", windows.GetProperty("before_from").GetString());
        Assert.Equal("2025-11-30", windows.GetProperty("after_to").GetString());
        var before = (From: new DateOnly(2024, 12, 1), To: new DateOnly(2025, 6, 1));
        var after = (From: new DateOnly(2025, 6, 1), To: new DateOnly(2025, 11, 30));
        var counts = analysis.GetProperty("result").GetProperty("counts");
        int ab = EffectWorldFixture.Sum(EffectWorldFixture.Target, before.From, before.To), aa = EffectWorldFixture.Sum(EffectWorldFixture.Target, after.From, after.To);
        int bb = EffectWorldFixture.Sum(EffectWorldFixture.Buffer, before.From, before.To), ba = EffectWorldFixture.Sum(EffectWorldFixture.Buffer, after.From, after.To);
        int cb = EffectWorldFixture.Sum(EffectWorldFixture.Control, before.From, before.To), ca = EffectWorldFixture.Sum(EffectWorldFixture.Control, after.From, after.To);
        Assert.Equal(ab, counts.GetProperty("target_before").GetDouble());
        Assert.Equal(aa, counts.GetProperty("target_after").GetDouble());
        Assert.Equal(bb, counts.GetProperty("buffer_before").GetDouble());
        Assert.Equal(ba, counts.GetProperty("buffer_after").GetDouble());
        Assert.Equal(cb, counts.GetProperty("control_before").GetDouble());
        Assert.Equal(ca, counts.GetProperty("control_after").GetDouble());
        var result = analysis.GetProperty("result");
        double expectedWdq = ((double)ba / ca - (double)bb / cb) / ((double)aa / ca - (double)ab / cb);
        Assert.Equal(expectedWdq, result.GetProperty("wdq").GetDouble(), 9);
        Assert.Equal("decrease_with_displacement", result.GetProperty("verdict").GetString());
        Assert.Equal("displacement", result.GetProperty("buffer").GetString());
        Assert.Contains("verplaatsing", analysis.GetProperty("verdict_nl").GetString(), StringComparison.Ordinal);
        // Three zones drawn, and the target's series shows the fall as a level change.
        var zones = analysis.GetProperty("zones").EnumerateArray().ToList();
        Assert.Equal(["buffer", "control", "target"], zones.Select(z => z.GetProperty("zone").GetString()));
        var target = zones.Single(z => z.GetProperty("zone").GetString() == "target");
        Assert.Equal("MultiPolygon", target.GetProperty("geometry").GetProperty("type").GetString());
        var level = target.GetProperty("its").GetProperty("level_change");
        Assert.True(level.GetProperty("upper").GetDouble() < 1, level.ToString());
        Assert.InRange(level.GetProperty("estimate").GetDouble(), 0.4, 0.65);
    }

    [Fact]
    public async Task Without_a_control_the_best_correlated_area_is_suggested_and_used()
    {
        await EnsureTargetInterventionAsync();
        using var client = world.Factory.CreateClient();
        var analysis = await client.GetFromJsonAsync<JsonElement>(U("/api/interventions/sluiting-tgt/analysis?as_of=2026-06-01"));
        Assert.True(analysis.GetProperty("control_suggested").GetBoolean());
        var suggestions = analysis.GetProperty("suggestions").EnumerateArray().Select(s => s.GetProperty("code").GetString()).ToList();
        Assert.Equal("CTL", suggestions[0]);
        Assert.Contains("CTL2", suggestions);
        Assert.DoesNotContain("TGT", suggestions);
        Assert.Equal(["CTL"], analysis.GetProperty("control_codes").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Series_csv_has_a_row_per_month_and_zone()
    {
        await EnsureTargetInterventionAsync();
        using var client = world.Factory.CreateClient();
        var response = await client.GetAsync(U("/api/interventions/sluiting-tgt/series.csv?as_of=2026-06-01&control=CTL"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("month,zone,count,intervention_start", lines[0]);
        // 24 months before June 2025 up to May 2026 (June 2026 is not complete on 2026-06-01): 36 months × 3 zones.
        Assert.Equal(36 * 3, lines.Length - 1);
        Assert.Contains("2025-05,target,", lines[1..].First(l => l.StartsWith("2025-05,target,", StringComparison.Ordinal)), StringComparison.Ordinal);
        var may = lines.Single(l => l.StartsWith("2025-05,target,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(EffectWorldFixture.Target(new DateOnly(2025, 5, 1), 23).ToString(System.Globalization.CultureInfo.InvariantCulture), may[2]);
    }

    [Fact]
    public async Task Across_mainports_the_buffer_is_the_other_mainport()
    {
        using var client = world.Factory.CreateClient();
        var created = await CreateAsync(client, new
        {
            code = "controle-haven-a", name = "Controleweek haven A", kind = "controleweek", casustafel = "ct-a", area = "MP-A",
            start_date = "2025-06-01",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var analysis = await client.GetFromJsonAsync<JsonElement>(U("/api/interventions/controle-haven-a/analysis?as_of=2026-06-01&mode=mainports&control=CTL"));
        Assert.True(analysis.GetProperty("across_mainports").GetBoolean());
        var buffer = analysis.GetProperty("zones").EnumerateArray().Single(z => z.GetProperty("zone").GetString() == "buffer");
        Assert.Equal(1.0, buffer.GetProperty("km2").GetDouble(), 6);
        var counts = analysis.GetProperty("result").GetProperty("counts");
        Assert.Equal(6 * 8, counts.GetProperty("buffer_before").GetDouble());
        Assert.Equal(6 * 16, counts.GetProperty("buffer_after").GetDouble());
        Assert.Equal("displacement", analysis.GetProperty("result").GetProperty("buffer").GetString());
    }

    [Fact]
    public async Task An_intervention_where_nothing_happens_has_too_few_signals_to_judge()
    {
        using var client = world.Factory.CreateClient();
        var created = await CreateAsync(client, new
        {
            code = "gebiedsverbod-leeg", name = "Gebiedsverbod", kind = "gebiedsverbod", casustafel = "ct-a", area = "EMPTY",
            start_date = "2025-06-01",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var analysis = await client.GetFromJsonAsync<JsonElement>(U("/api/interventions/gebiedsverbod-leeg/analysis?as_of=2026-06-01&control=CTL"));
        Assert.Equal("too_few_signals", analysis.GetProperty("result").GetProperty("verdict").GetString());
        Assert.Equal("Te weinig signalen om te beoordelen.", analysis.GetProperty("verdict_nl").GetString());
        Assert.Equal(JsonValueKind.Null, analysis.GetProperty("result").GetProperty("wdq").ValueKind);
    }

    [Fact]
    public async Task A_drawn_polygon_is_a_target_and_every_edit_is_a_new_version()
    {
        using var client = world.Factory.CreateClient();
        // About 0.04 km² at the target buurt, in WGS84 (what a map draws).
        var created = await CreateAsync(client, new
        {
            code = "camera-tgt", name = "Cameratoezicht", kind = "cameratoezicht", casustafel = "ct-a", start_date = "2025-01-15",
            target = new { type = "Polygon", coordinates = new[] { new[] { new[] { 4.7000, 52.3700 }, new[] { 4.7030, 52.3700 }, new[] { 4.7030, 52.3718 }, new[] { 4.7000, 52.3718 }, new[] { 4.7000, 52.3700 } } } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.InRange(first.GetProperty("target_km2").GetDouble(), 0.03, 0.05);

        var edited = await client.PutAsJsonAsync(U("/api/interventions/camera-tgt"), new
        {
            name = "Cameratoezicht (uitgebreid)", kind = "cameratoezicht", casustafel = "ct-a", area = "TGT", start_date = "2025-01-15", end_date = "2025-12-31",
        });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(2, (await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        var v1 = await client.GetFromJsonAsync<JsonElement>(U("/api/interventions/camera-tgt?version=1"));
        Assert.Equal("Cameratoezicht", v1.GetProperty("name").GetString());
        Assert.False(v1.GetProperty("current").GetBoolean());
        var versions = await client.GetFromJsonAsync<JsonElement>(U("/api/interventions/camera-tgt/versions"));
        Assert.Equal(2, versions.GetArrayLength());
    }

    [Fact]
    public async Task A_member_sees_and_edits_only_its_own_casustafels_interventions()
    {
        await EnsureTargetInterventionAsync();
        using var other = await world.Factory.CreateClientAsync(Role.Member, "ct-b");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U("/api/interventions/sluiting-tgt"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U("/api/interventions/sluiting-tgt/analysis?as_of=2026-06-01"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U("/api/interventions/sluiting-tgt/series.csv"))).StatusCode);
        var list = await other.GetFromJsonAsync<JsonElement>(U("/api/interventions"));
        Assert.DoesNotContain(list.EnumerateArray(), i => i.GetProperty("casustafel_id").GetString() == "ct-a");
        var foreign = await CreateAsync(other, new { code = "x-in-a", name = "X", kind = "overig", casustafel = "ct-a", area = "TGT", start_date = "2025-06-01" });
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        // Its own casustafel, but a target outside its reach.
        var outside = await CreateAsync(other, new { code = "x-outside", name = "X", kind = "overig", casustafel = "ct-b", area = "TGT", start_date = "2025-06-01" });
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Equal("target", (await outside.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        using var member = await world.Factory.CreateClientAsync(Role.Member, "ct-a");
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync(U("/api/interventions/sluiting-tgt"))).StatusCode);
        using var viewer = await world.Factory.CreateClientAsync(Role.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync(U("/api/interventions"))).StatusCode);
    }

    [Fact]
    public async Task Personal_data_in_the_description_is_refused_naming_the_kind_not_the_value()
    {
        using var client = world.Factory.CreateClient();
        var response = await CreateAsync(client, new
        {
            code = "privacy-test", name = "Sluiting", kind = "sluiting", casustafel = "ct-a", area = "TGT", start_date = "2025-06-01",
            description = "Eigenaar bereikbaar via j.jansen@example.nl",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("email", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("jansen", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(U("/api/interventions/privacy-test"))).StatusCode);
    }

    [Theory]
    [InlineData("""{"code":"Bad Code","name":"X","kind":"sluiting","casustafel":"ct-a","area":"TGT","start_date":"2025-06-01"}""", "code")]
    [InlineData("""{"code":"ok-1","name":"","kind":"sluiting","casustafel":"ct-a","area":"TGT","start_date":"2025-06-01"}""", "name")]
    [InlineData("""{"code":"ok-2","name":"X","kind":"onbekend","casustafel":"ct-a","area":"TGT","start_date":"2025-06-01"}""", "kind")]
    [InlineData("""{"code":"ok-3","name":"X","kind":"sluiting","casustafel":"ct-a","area":"NOPE","start_date":"2025-06-01"}""", "area")]
    [InlineData("""{"code":"ok-4","name":"X","kind":"sluiting","casustafel":"ct-a","start_date":"2025-06-01"}""", "target")]
    [InlineData("""{"code":"ok-5","name":"X","kind":"sluiting","casustafel":"ct-a","area":"TGT","start_date":"9999-12-31"}""", "start_date")]
    [InlineData("""{"code":"ok-6","name":"X","kind":"sluiting","casustafel":"ct-a","area":"TGT","start_date":"2025-06-01","end_date":"2025-01-01"}""", "end_date")]
    [InlineData("""{"code":"ok-7","name":"X","kind":"sluiting","casustafel":"ct-a","start_date":"2025-06-01","target":{"type":"Polygon","coordinates":[[[4.7,52.37],[4.7,52.37]]]}}""", "target")]
    [InlineData("""{"code":"ok-8","name":"X","kind":"sluiting","casustafel":"ct-a","start_date":"2025-06-01","target":{"type":"Polygon","coordinates":[[[-70,40],[-70.1,40],[-70.1,40.1],[-70,40]]]}}""", "target")]
    [InlineData("""{"code":"ok-9","name":"X","kind":"sluiting","casustafel":"ct-a","start_date":"2025-06-01","target":{"type":"Point","coordinates":[4.7,52.37]}}""", "target")]
    public async Task Bad_requests_answer_400_naming_the_field_and_store_nothing(string json, string field)
    {
        using var client = world.Factory.CreateClient();
        var response = await client.PostAsync(U("/api/interventions"), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        var code = JsonDocument.Parse(json).RootElement.GetProperty("code").GetString()!;
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM intervention WHERE code = $1", code));
    }

    [Theory]
    [InlineData("buffer_m=10", "buffer_m")]
    [InlineData("window_days=5", "window_days")]
    [InlineData("washout_days=-1", "washout_days")]
    [InlineData("mode=elders", "mode")]
    [InlineData("control=NOPE", "control")]
    [InlineData("category=onbekend", "category")]
    [InlineData("as_of=9999-12-31", "as_of")]
    public async Task Bad_analysis_parameters_answer_400_naming_the_parameter(string query, string field)
    {
        await EnsureTargetInterventionAsync();
        using var client = world.Factory.CreateClient();
        var response = await client.GetAsync(U($"/api/interventions/sluiting-tgt/analysis?{query}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_analysis_before_enough_after_data_exists_is_a_422_that_says_why()
    {
        await EnsureTargetInterventionAsync();
        using var client = world.Factory.CreateClient();
        var response = await client.GetAsync(U("/api/interventions/sluiting-tgt/analysis?as_of=2025-06-10&control=CTL"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("too_early", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_factsheet_of_the_area_has_a_page_with_the_intervention_and_its_verdict()
    {
        await EnsureTargetInterventionAsync();
        using var member = await world.Factory.CreateClientAsync(Role.Member, "ct-a");
        var response = await member.GetAsync(U("/api/casustafels/ct-a/factsheet.pdf?area=TGT&from=2025-01-01&to=2026-01-01"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(Path.GetTempPath(), $"factsheet-effect-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        try
        {
            var page2 = ExternalTool.Run("pdftotext", "-f", "2", "-l", "2", "-layout", path, "-");
            Assert.Contains("Interventies en hun effect", page2, StringComparison.Ordinal);
            Assert.Contains("Sluiting drie panden", page2, StringComparison.Ordinal);
            Assert.Contains("Oordeel: Daling in het doelgebied", page2, StringComparison.Ordinal);
            Assert.Contains("verplaatsing", page2, StringComparison.Ordinal);
            Assert.Contains("WDQ -1,", page2.Replace('−', '-'), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
