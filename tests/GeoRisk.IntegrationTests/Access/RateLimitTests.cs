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
}
