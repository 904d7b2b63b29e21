using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;

namespace GeoRisk.IntegrationTests.Casustafels;

/// <summary>
/// A key can belong to an organisation (a source partner); the follow-up history names that
/// partner and the role for each step, so a casustafel reads "Politie (lid)" instead of a key id.
/// </summary>
public sealed class FollowupPartnerTests(CasustafelWorldFixture world) : IClassFixture<CasustafelWorldFixture>
{
    [Fact]
    public async Task The_history_names_the_partner_of_the_key_that_took_the_step()
    {
        var key = await world.Factory.CreateKeyOfPartnerAsync(Role.Member, "politie", "proef");
        var client = world.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key.Token);
        var url = new Uri($"/api/casustafels/proef/signals/{world.Ids["s7"]}/followup", UriKind.Relative);
        var moved = await client.PostAsJsonAsync(url, new { status = "verkennen", note = "Besproken; politie verkent" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        var state = await client.GetFromJsonAsync<JsonElement>(url);
        var step = state.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("politie", step.GetProperty("partner").GetString());
        Assert.Equal("Politie", step.GetProperty("partner_label_nl").GetString());
        Assert.Equal("Police", step.GetProperty("partner_label_en").GetString());
        Assert.Equal("member", step.GetProperty("role").GetString());

        // A step by a key without an organisation still has its role, and no partner.
        var admin = world.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync(url, new { status = "afgesloten", note = "Afgesloten na overleg" })).StatusCode);
        var last = (await admin.GetFromJsonAsync<JsonElement>(url)).GetProperty("history").EnumerateArray().Last();
        Assert.Equal(JsonValueKind.Null, last.GetProperty("partner").ValueKind);
        Assert.Equal("admin", last.GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_key_is_created_with_a_known_partner_only()
    {
        var admin = world.Factory.CreateClient();
        var created = await admin.PostAsJsonAsync(new Uri("/api/keys", UriKind.Relative),
            new { role = "member", casustafels = new[] { "proef" }, label = "gemeente Proef", partner = "gemeente" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("gemeente", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("info").GetProperty("partner").GetString());

        var unknown = await admin.PostAsJsonAsync(new Uri("/api/keys", UriKind.Relative),
            new { role = "member", casustafels = new[] { "proef" }, partner = "buurtvereniging" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("unknown partner", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
