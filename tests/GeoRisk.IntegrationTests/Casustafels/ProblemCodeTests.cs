using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;

namespace GeoRisk.IntegrationTests.Casustafels;

/// <summary>
/// Problems the web map can receive carry a stable `code`, and the page has a Dutch and an
/// English text for each (wwwroot/i18n, key problem.&lt;code&gt;): a server message never reaches a
/// Dutch screen in English.
/// </summary>
public sealed class ProblemCodeTests(CasustafelWorldFixture world) : IClassFixture<CasustafelWorldFixture>
{
    private static Dictionary<string, string> Dictionary(string lang)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GeoRisk.sln"))) dir = dir.Parent;
        return JsonSerializer.Deserialize<Dictionary<string, string>>(
            File.ReadAllText(Path.Combine(dir!.FullName, "src", "GeoRisk.Api", "wwwroot", "i18n", $"{lang}.json")))!;
    }

    [Fact]
    public async Task Every_problem_of_the_web_maps_calls_has_a_code_with_a_Dutch_and_an_English_text()
    {
        var admin = world.Factory.CreateClient();
        var viewer = await world.Factory.CreateClientAsync(Role.Viewer);
        var followup = $"/api/casustafels/proef/signals/{world.Ids["s3"]}/followup";
        var p = CasustafelWorldFixture.Period;
        var cases = new (HttpClient Client, HttpMethod Method, string Url, object? Body, HttpStatusCode Status, string Code)[]
        {
            (admin, HttpMethod.Post, followup, new { status = "verkennen", note = "bel 06-12345678" }, HttpStatusCode.BadRequest, "personal_data_in_note"),
            (admin, HttpMethod.Post, followup, new { status = "uitvoeren", note = "overgeslagen" }, HttpStatusCode.BadRequest, "followup_step_not_allowed"),
            (admin, HttpMethod.Post, followup, new { status = "verkennen", note = " " }, HttpStatusCode.BadRequest, "followup_note_required"),
            (admin, HttpMethod.Post, followup, new { status = "verkennen", note = new string('x', 281) }, HttpStatusCode.BadRequest, "followup_note_too_long"),
            (admin, HttpMethod.Post, followup, new { status = "gepland", note = "x" }, HttpStatusCode.BadRequest, "followup_unknown_status"),
            (viewer, HttpMethod.Get, $"/api/casustafels/proef/signaallijst?{p}", null, HttpStatusCode.Forbidden, "role_not_allowed"),
            (world.Factory.CreateAnonymousClient(), HttpMethod.Get, "/api/casustafels", null, HttpStatusCode.Unauthorized, "api_key_required"),
            (admin, HttpMethod.Get, $"/api/casustafels/proef/signaallijst?{p}&limit=0", null, HttpStatusCode.BadRequest, "invalid_limit"),
            (admin, HttpMethod.Get, $"/api/casustafels/proef/signaallijst?{p}&area=PC4-0000", null, HttpStatusCode.BadRequest, "unknown_area"),
            (admin, HttpMethod.Get, $"/api/casustafels/proef/signaallijst?{p}&category=onzin", null, HttpStatusCode.BadRequest, "unknown_category"),
            (admin, HttpMethod.Get, "/api/casustafels/proef/signaallijst?from=2026-13-01", null, HttpStatusCode.BadRequest, "invalid_date"),
            (admin, HttpMethod.Get, "/api/casustafels/proef/signaallijst?from=2026-10-01&to=2026-01-01", null, HttpStatusCode.BadRequest, "invalid_period"),
            (admin, HttpMethod.Get, $"/api/casustafels/proef/signaallijst?{p}&lang=de", null, HttpStatusCode.BadRequest, "invalid_language"),
            (admin, HttpMethod.Get, $"/api/casustafels/nergens/signaallijst?{p}", null, HttpStatusCode.NotFound, "not_found"),
            (admin, HttpMethod.Get, "/api/casustafels/proef/factsheet.pdf", null, HttpStatusCode.BadRequest, "missing_area"),
            (admin, HttpMethod.Get, "/api/areas?kind=planeet", null, HttpStatusCode.BadRequest, "unknown_area_kind"),
        };
        var nl = Dictionary("nl");
        var en = Dictionary("en");
        foreach (var (client, method, url, body, status, code) in cases)
        {
            using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
            if (body is not null) request.Content = JsonContent.Create(body);
            using var response = await client.SendAsync(request);
            Assert.True(status == response.StatusCode, $"{method} {url}: {(int)response.StatusCode}, expected {(int)status}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.True(nl.ContainsKey($"problem.{code}") && en.ContainsKey($"problem.{code}"), $"no text for problem.{code}");
            Assert.NotEqual(nl[$"problem.{code}"], en[$"problem.{code}"]);
        }
        // The follow-up refusal names the kind in a way the page can translate (personal.<kind>).
        using var refused = await admin.PostAsJsonAsync(new Uri(followup, UriKind.Relative), new { status = "verkennen", note = "bel 06-12345678" });
        var kinds = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kinds").EnumerateArray().Select(k => k.GetString()!).ToList();
        Assert.Equal(["phone"], kinds);
        Assert.Equal("telefoonnummer", nl["personal.phone"]);
    }
}
