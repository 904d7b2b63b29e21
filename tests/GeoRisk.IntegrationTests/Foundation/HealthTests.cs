using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Foundation;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_is_503_while_the_database_is_down_and_200_again_after_it_returns()
    {
        // The API reaches PostgreSQL through a relay we can switch off: for the API that is a
        // database that stopped, while the cluster keeps serving the other tests.
        var target = new NpgsqlConnectionStringBuilder(DemoDatabase.ConnectionString);
        await using var relay = new TcpProxy(target.Host!, target.Port);
        relay.Start();
        var viaRelay = new NpgsqlConnectionStringBuilder(DemoDatabase.ConnectionString) { Port = relay.Port, Timeout = 3 }.ConnectionString;
        await using var factory = new GeoRiskApiFactory(viaRelay);
        var client = factory.CreateClient();

        var up = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        var health = await up.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.StartsWith("3.", health.GetProperty("postgis").GetString(), StringComparison.Ordinal);
        Assert.Equal(health.GetProperty("expected_migration").GetInt32(), health.GetProperty("migration").GetInt32());

        relay.Stop();
        var down = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        var body = await down.Content.ReadAsStringAsync();
        Assert.DoesNotContain("georisk-dev", body, StringComparison.Ordinal); // no connection string in errors

        // Other endpoints say the same, as a problem, not a 500.
        var areas = await client.GetAsync(new Uri("/api/categories", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, areas.StatusCode);

        relay.Start();
        HttpStatusCode status = default;
        for (var attempt = 0; attempt < 20 && status != HttpStatusCode.OK; attempt++)
        {
            if (attempt > 0) await Task.Delay(250);
            status = (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
