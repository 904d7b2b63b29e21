using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace GeoRisk.IntegrationTests.Casustafels;

/// <summary>The signal list, its CSV, the follow-up workflow and the factsheet over a hand-built world.</summary>
public sealed class SignaallijstApiTests(CasustafelWorldFixture world) : IClassFixture<CasustafelWorldFixture>
{
    private readonly HttpClient _client = world.Factory.CreateClient();

    private static double Recency(double days) => Math.Pow(2, -days / 100);

    private async Task<JsonElement> ListAsync(string query = "")
    {
        var response = await _client.GetAsync(new Uri($"/api/casustafels/proef/signaallijst?{CasustafelWorldFixture.Period}{query}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Ranks_the_hand_built_set_by_weight_reliability_recency_and_corroboration()
    {
        var list = await ListAsync();
        var rows = list.GetProperty("rows").EnumerateArray().ToList();
        // By hand (half-life 100 d, step 0.5 per other partner within 250 m and 365 d):
        //   s1 drugshandel w2 · 0.6 · r(1) · (1 + 0.5·2: gemeente s2, kmar s6 from before the period) = 2.4 r(1)
        //   s4 witwassen   w1 · 0.8 · r(1) · (1 + 0.5·1: fiod s3)                                       = 1.2 r(1)
        //   s2 burgermelding w0.5 · 1.0 · r(1) · (1 + 0.5·2: politie, kmar)                              = 1.0 r(1)
        //   s3 witwassen   w1 · 0.9 · r(101) · (1 + 0.5·1: belastingdienst s4)                          = 1.35 r(101)
        //   s7 hennepteelt w1 · 0.2 · r(30) · (1 + 0.5·2: gemeente, kmar; politie s1 is its own source) = 0.4 r(30)
        // s6 lies before the period and s8 in another casustafel's area: neither is listed.
        var expected = new (string Name, double Priority, int Partners)[]
        {
            ("s1", 2.4 * Recency(1), 2), ("s4", 1.2 * Recency(1), 1), ("s2", 1.0 * Recency(1), 2),
            ("s3", 1.35 * Recency(101), 1), ("s7", 0.4 * Recency(30), 2),
        };
        Assert.Equal(expected.Length, list.GetProperty("total").GetInt32());
        Assert.Equal(expected.Select(e => world.Ids[e.Name]), rows.Select(r => r.GetProperty("signal_id").GetInt64()));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(i + 1, rows[i].GetProperty("rank").GetInt32());
            Assert.Equal(expected[i].Priority, rows[i].GetProperty("priority").GetDouble(), 6);
            Assert.Equal(expected[i].Partners, rows[i].GetProperty("corroborating_partners").GetInt32());
            Assert.Equal("nieuw", rows[i].GetProperty("followup_status").GetString());
        }
        // The reason spells out the product that gave the rank.
        Assert.Equal("gewicht 2 × betrouwbaarheid 0,6 × recentheid 0,99 (1 dag oud) × bevestiging 2 (2 andere partners in de buurt) = 2,38",
            rows[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Locations_are_never_finer_than_delivered()
    {
        var rows = (await ListAsync()).GetProperty("rows").EnumerateArray()
            .ToDictionary(r => r.GetProperty("signal_id").GetInt64(), r => r.GetProperty("location"));
        var s1 = rows[world.Ids["s1"]];
        Assert.Equal("object", s1.GetProperty("precision").GetString());
        Assert.Equal(150100, s1.GetProperty("x").GetDouble());
        // pc6: the centre of its 100 m cell, not the delivered point (150861, 450839)
        var s4 = rows[world.Ids["s4"]];
        Assert.Equal(150850, s4.GetProperty("x").GetDouble());
        Assert.Equal(450850, s4.GetProperty("y").GetDouble());
        // area: no point at all, only the area
        var s3 = rows[world.Ids["s3"]];
        Assert.Equal(JsonValueKind.Null, s3.GetProperty("x").ValueKind);
        Assert.Equal(JsonValueKind.Null, s3.GetProperty("lat").ValueKind);
        Assert.Equal("PC4-9999", s3.GetProperty("area_code").GetString());
    }

    [Fact]
    public async Task Category_area_and_limit_filter_the_list()
    {
        var witwassen = (await ListAsync("&category=witwassen")).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("signal_id").GetInt64());
        Assert.Equal([world.Ids["s4"], world.Ids["s3"]], witwassen);
        var top2 = (await ListAsync("&area=PC4-9999&limit=2")).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("signal_id").GetInt64());
        Assert.Equal([world.Ids["s1"], world.Ids["s4"]], top2);
    }

    [Theory]
    [InlineData("/api/casustafels/proef/signaallijst?category=kaas", HttpStatusCode.BadRequest, "drugshandel")]
    [InlineData("/api/casustafels/proef/signaallijst?area=PC4-9998", HttpStatusCode.BadRequest, "PC4-9999")]
    [InlineData("/api/casustafels/proef/signaallijst?limit=0", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/api/casustafels/proef/signaallijst?from=31-12-2025", HttpStatusCode.BadRequest, "yyyy-MM-dd")]
    [InlineData("/api/casustafels/proef/signaallijst?from=2026-02-01&to=2026-01-01", HttpStatusCode.BadRequest, "after")]
    [InlineData("/api/casustafels/bestaat-niet/signaallijst", HttpStatusCode.NotFound, "No casustafel with that id")]
    [InlineData("/api/casustafels/proef/factsheet.pdf", HttpStatusCode.BadRequest, "area")]
    public async Task Bad_input_is_a_problem_that_says_what_is_wrong(string url, HttpStatusCode status, string mentioned)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentioned, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_has_the_documented_columns_and_the_ranked_rows()
    {
        var response = await _client.GetAsync(new Uri($"/api/casustafels/proef/signaallijst.csv?{CasustafelWorldFixture.Period}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("signaallijst-proef.csv", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("rank,signal_id,category,observed_at,location_precision,area_code,x_rd,y_rd,lon,lat,corroborating_partners,followup_status,priority,reason", lines[0]);
        Assert.Equal(6, lines.Length);
        var first = lines[1].Split(',');
        Assert.Equal(["1", world.Ids["s1"].ToString(System.Globalization.CultureInfo.InvariantCulture), "drugshandel", "2026-10-31T00:00:00Z", "object", "PC4-9999", "150100", "450100"], first[..8]);
        Assert.Equal("2", first[10]);
        Assert.StartsWith("\"gewicht 2 × betrouwbaarheid 0,6", string.Join(',', first[13..]), StringComparison.Ordinal);
        // the area-precision signal has no coordinates in the export either
        var s3 = lines.Single(l => l.Split(',')[1] == world.Ids["s3"].ToString(System.Globalization.CultureInfo.InvariantCulture)).Split(',');
        Assert.Equal(["area", "PC4-9999", "", "", "", ""], s3[4..10]);
    }

    [Fact]
    public async Task Follow_up_moves_along_the_werkwijze_and_keeps_its_history()
    {
        var signal = world.Ids["s2"];
        var url = new Uri($"/api/casustafels/proef/signals/{signal}/followup", UriKind.Relative);
        async Task<HttpResponseMessage> Move(string status, string note) => await _client.PostAsJsonAsync(url, new { status, note });

        Assert.Equal(HttpStatusCode.OK, (await Move("verkennen", "Besproken aan tafel; gemeente verkent het pand")).StatusCode);
        var skip = await Move("uitvoeren", "meteen handhaven");
        Assert.Equal(HttpStatusCode.BadRequest, skip.StatusCode);
        var problem = await skip.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("a signal in status 'verkennen' cannot move to 'uitvoeren'; allowed: informatie_delen, afgesloten", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await Move("informatie_delen", "")).StatusCode);
        var ok = await Move("informatie_delen", "Politie en Belastingdienst delen informatie onder het convenant");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var state = await _client.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("informatie_delen", state.GetProperty("status").GetString());
        Assert.Equal(["uitvoeren", "afgesloten"], state.GetProperty("next_statuses").EnumerateArray().Select(s => s.GetString()));
        var history = state.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal(("nieuw", "verkennen"), (history[0].GetProperty("from_status").GetString(), history[0].GetProperty("to_status").GetString()));
        Assert.Equal(("verkennen", "informatie_delen"), (history[1].GetProperty("from_status").GetString(), history[1].GetProperty("to_status").GetString()));
        Assert.Equal("Besproken aan tafel; gemeente verkent het pand", history[0].GetProperty("note").GetString());
        Assert.Equal("proef", history[1].GetProperty("casustafel_id").GetString());

        // The list shows the new status and the next steps.
        var row = (await ListAsync()).GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("signal_id").GetInt64() == signal);
        Assert.Equal("informatie_delen", row.GetProperty("followup_status").GetString());

        // History is append-only in the database itself.
        var ex = await Assert.ThrowsAsync<PostgresException>(() => world.ExecAsync("UPDATE signal_followup SET note = 'anders'"));
        Assert.Contains("append-only", ex.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() => world.ExecAsync("DELETE FROM signal_followup"));
    }

    [Fact]
    public async Task A_note_with_personal_data_is_refused_naming_the_kind_not_the_value()
    {
        var url = new Uri($"/api/casustafels/proef/signals/{world.Ids["s7"]}/followup", UriKind.Relative);
        const string iban = "NL91ABNA0417164300";
        var response = await _client.PostAsJsonAsync(url, new { status = "verkennen", note = $"geld via {iban} overgemaakt" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("personal data", body, StringComparison.Ordinal);
        Assert.DoesNotContain(iban, body, StringComparison.Ordinal);
        Assert.DoesNotContain("0417164300", body, StringComparison.Ordinal);
        var state = await _client.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("nieuw", state.GetProperty("status").GetString());
        Assert.Empty(state.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task A_signal_outside_the_casustafel_is_not_found_for_reading_or_moving()
    {
        var url = new Uri($"/api/casustafels/proef/signals/{world.Ids["s8"]}/followup", UriKind.Relative);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsJsonAsync(url, new { status = "verkennen", note = "x" })).StatusCode);
    }

    [Fact]
    public async Task A_factsheet_under_a_profile_without_a_score_model_keeps_its_score_for_a_category_filter()
    {
        // proef-profiel only sets the list's constants: a category filter cannot select a live score from it.
        var response = await _client.GetAsync(new Uri($"/api/casustafels/proef/factsheet.pdf?area=PC4-9999&category=drugshandel&window_days=90&{CasustafelWorldFixture.Period}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_factsheet_pdf_names_the_area_shows_the_score_and_contains_the_map_image()
    {
        var response = await _client.GetAsync(new Uri($"/api/casustafels/proef/factsheet.pdf?area=PC4-9999&{CasustafelWorldFixture.Period}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        // Where the time went, per section, for the benchmark: every section named once, with a duration.
        var timing = string.Join(", ", response.Headers.GetValues("Server-Timing"));
        // Then the tasks that run beside them, each from its start to its end, and whether the
        // intervention section came from the cache.
        Assert.Equal(["prepare", "area_list", "live_score", "audit", "sections_basemap", "render",
                      "t_interventions", "t_gelegenheidskaart", "t_ports", "t_basemap", "interventions_cache"],
            timing.Split(", ").Select(t => t.Split(";dur=") is [var name, var ms] && double.TryParse(ms, System.Globalization.CultureInfo.InvariantCulture, out _) ? name
                : t is "interventions_cache;desc=\"hit\"" or "interventions_cache;desc=\"miss\"" ? "interventions_cache" : t));
        var path = Path.Combine(Path.GetTempPath(), $"factsheet-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        try
        {
            var text = Run("pdftotext", "-layout", path, "-");
            Assert.Contains("Proefgebied Wallen", text, StringComparison.Ordinal);
            Assert.Contains("Casustafel Proef", text, StringComparison.Ordinal);
            Assert.Contains("87", text, StringComparison.Ordinal);
            Assert.Contains("rang 1 van 1", text, StringComparison.Ordinal);
            Assert.Contains("Kandidaat-handhavingsknelpunt: ja", text, StringComparison.Ordinal);
            Assert.Contains("✔ score: 87 (≥ 80)", text, StringComparison.Ordinal);
            Assert.Contains("Drugshandel", text, StringComparison.Ordinal);
            Assert.Contains("Belangrijkste signalen (5)", text, StringComparison.Ordinal);
            var images = Run("pdfimages", "-list", path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
            var map = Assert.Single(images).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("image", map[2]);
            Assert.True(int.Parse(map[3], System.Globalization.CultureInfo.InvariantCulture) >= 1000, "the map cut-out is at least 1000 px wide");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_casustafel_list_has_areas_and_a_WGS84_bounding_box()
    {
        var json = await _client.GetFromJsonAsync<JsonElement>(new Uri("/api/casustafels", UriKind.Relative));
        var proef = json.GetProperty("casustafels").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "proef");
        Assert.Equal("Casustafel Proef", proef.GetProperty("name").GetString());
        Assert.Equal("PC4-9999", proef.GetProperty("areas")[0].GetProperty("code").GetString());
        var bbox = proef.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToList();
        // RD (150000, 450000)-(151000, 451000) is about (5.3143, 52.0383)-(5.3289, 52.0473) in WGS84
        Assert.Equal(5.3143, bbox[0], 3);
        Assert.Equal(52.0383, bbox[1], 3);
        Assert.Equal(5.3289, bbox[2], 3);
        Assert.Equal(52.0473, bbox[3], 3);
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} exited with {p.ExitCode}: {p.StandardError.ReadToEnd()}");
        return output;
    }
}
