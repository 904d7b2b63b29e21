using System.Net;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Access;

/// <summary>Casustafel scopes on the demo data: a member of 1012 gets nothing of the Bloemenveiling.</summary>
public sealed class ScopeTests(DemoAccessFixture fixture) : IClassFixture<DemoAccessFixture>
{
    private static async Task<HashSet<string>> AreaCodesAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync(new Uri("/api/areas" + query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToHashSet();
    }

    [Fact]
    public async Task A_1012_member_lists_1012_and_nothing_of_the_Bloemenveiling()
    {
        var member = fixture.Client("member");
        var codes = await AreaCodesAsync(member);
        var all = await AreaCodesAsync(fixture.Client("admin"));

        Assert.Contains("PC4-1012", codes);
        Assert.DoesNotContain("MP-BLOEMENVEILING", codes);
        Assert.DoesNotContain("MP-WESTHAVEN", codes);
        Assert.DoesNotContain("BT-THAMERDAL", codes);
        Assert.True(codes.Count < all.Count / 2, $"a 1012 member sees {codes.Count} of {all.Count} areas");
        Assert.DoesNotContain("MP-BLOEMENVEILING", await AreaCodesAsync(member, "?kind=mainport"));
    }

    [Fact]
    public async Task Outside_the_scope_is_a_404_exactly_like_a_missing_area()
    {
        var member = fixture.Client("member");

        var outside = await member.GetAsync(new Uri("/api/areas/MP-BLOEMENVEILING", UriKind.Relative));
        var missing = await member.GetAsync(new Uri("/api/areas/MP-NERGENSHUIZEN", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var a = JsonDocument.Parse(await outside.Content.ReadAsStringAsync());
        using var b = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
        // Same shape and texts, apart from the code the caller sent and the trace id.
        Assert.Equal(Names(b.RootElement), Names(a.RootElement));
        Assert.Equal(b.RootElement.GetProperty("title").GetString(), a.RootElement.GetProperty("title").GetString());
        Assert.Equal(
            b.RootElement.GetProperty("detail").GetString()!.Replace("MP-NERGENSHUIZEN", "{code}", StringComparison.Ordinal),
            a.RootElement.GetProperty("detail").GetString()!.Replace("MP-BLOEMENVEILING", "{code}", StringComparison.Ordinal));
        Assert.Equal(missing.Content.Headers.ContentType, outside.Content.Headers.ContentType);

        static string Names(JsonElement e) => string.Join(",", e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_Bloemenveiling_member_does_see_it_and_not_1012()
    {
        using var member = await fixture.Factory.CreateClientAsync(Role.Member, "bloemenveiling");

        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync(new Uri("/api/areas/MP-BLOEMENVEILING", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync(new Uri("/api/areas/PC4-1012", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_member_of_two_casustafels_reaches_both()
    {
        using var member = await fixture.Factory.CreateClientAsync(Role.Member, "1012", "bloemenveiling");
        var codes = await AreaCodesAsync(member);

        Assert.Contains("PC4-1012", codes);
        Assert.Contains("MP-BLOEMENVEILING", codes);
        Assert.DoesNotContain("MP-WESTHAVEN", codes);
    }

    [Fact]
    public async Task A_client_for_a_CallerScope_gets_that_reach()
    {
        using var member = await fixture.Factory.CreateClientAsync(new CallerScope("member", ["bloemenveiling"], false));
        var codes = await AreaCodesAsync(member);

        Assert.Contains("MP-BLOEMENVEILING", codes);
        Assert.DoesNotContain("PC4-1012", codes);
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Factory.CreateClientAsync(new CallerScope("viewer", null, false)));
    }

    [Fact]
    public async Task An_unbound_viewer_and_an_analyst_see_every_area()
    {
        var all = await AreaCodesAsync(fixture.Client("admin"));

        Assert.Equal(all, await AreaCodesAsync(fixture.Client("viewer")));
        Assert.Equal(all, await AreaCodesAsync(fixture.Client("analyst")));
    }
}
