using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Access;

/// <summary>k comes from the default scoring profile, and a new profile version applies at once.</summary>
public sealed class SuppressionProfileTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    [Fact]
    public async Task A_viewers_k_follows_the_newest_default_profile_version()
    {
        await using var factory = new GeoRiskApiFactory(fixture.Database.ConnectionString);
        using var viewer = await factory.CreateClientAsync(Role.Viewer);
        async Task<int> K() => (await viewer.GetFromJsonAsync<JsonElement>(new Uri("/api/me", UriKind.Relative)))
            .GetProperty("suppression_k").GetInt32();
        var before = await K();

        // A high version number, so this stays the newest even where the profile v1 exists.
        await fixture.Database.ScalarAsync<int>(
            "INSERT INTO scoring_profile (name, version, params) VALUES ('riec-standaard', 900, $1::jsonb) RETURNING version",
            """{"suppression_k": 11}""");

        Assert.Equal(5, before);
        // The key cache hears of the change by NOTIFY, which arrives shortly after the commit.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var after = await K();
        while (after != 11 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            after = await K();
        }
        Assert.Equal(11, after);
    }
}
