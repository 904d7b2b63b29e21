using System.Net;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Access;

public sealed class RateLimitTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    [Fact]
    public async Task Over_the_limit_a_key_gets_429_with_Retry_After_and_other_keys_are_not_affected()
    {
        await using var factory = new GeoRiskApiFactory(fixture.Database.ConnectionString) { PermitsPerWindow = 3, RateLimitWindowSeconds = 60 };
        using var busy = await factory.CreateClientAsync(Role.Viewer);
        using var other = await factory.CreateClientAsync(Role.Viewer);
        var uri = new Uri("/api/categories", UriKind.Relative);

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync(uri)).StatusCode);
        var limited = await busy.GetAsync(uri);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(uri)).StatusCode);
    }

    [Fact]
    public async Task A_map_user_loading_thirty_pages_of_fifty_tiles_at_once_never_sees_a_429_with_the_default_limit()
    {
        var defaults = new GeoRisk.Api.Access.AccessOptions();
        await using var factory = new GeoRiskApiFactory(fixture.Database.ConnectionString)
        {
            PermitsPerWindow = defaults.PermitsPerWindow,
            RateLimitWindowSeconds = defaults.WindowSeconds,
        };
        using var map = await factory.CreateClientAsync(Role.Viewer);

        var statuses = new List<HttpStatusCode>();
        for (var page = 0; page < 30; page++)
        {
            // A page load (or a fast pan to a new view): ~50 tiles requested together.
            statuses.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
                (await map.GetAsync(new Uri($"/tiles/areas/10/{i}/{300 + page}.mvt", UriKind.Relative))).StatusCode)));
        }

        Assert.Equal(1500, statuses.Count); // more than the old limit of 1,200 a minute
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NoContent, s));
    }
}
