using System.Net;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GeoRisk.IntegrationTests.Access;

/// <summary>
/// Behind a reverse proxy every request comes from the proxy's address. On a real port (the
/// test client connects from 127.0.0.1, as nginx on the same host would): with the proxy
/// trusted, each forwarded client has its own budget; without it, X-Forwarded-For is ignored,
/// so a client cannot escape its budget by inventing addresses.
/// </summary>
public sealed class ForwardedClientTests
{
    private const int Budget = 3;

    private static async Task<List<HttpStatusCode>> AskAsync(bool trustLoopback, params string[] forwardedFor)
    {
        await using var factory = new GeoRiskApiFactory(DemoDatabase.ConnectionString)
        {
            PermitsPerWindow = Budget,
            Settings = trustLoopback ? new Dictionary<string, string?> { ["GeoRisk:Access:TrustedProxies:0"] = "127.0.0.0/8" } : new Dictionary<string, string?>(),
        };
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        using var http = new HttpClient { BaseAddress = address };
        var statuses = new List<HttpStatusCode>();
        foreach (var client in forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/categories");
            request.Headers.Add("X-Forwarded-For", client);
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }
        return statuses;
    }

    [Fact]
    public async Task Through_a_trusted_proxy_each_forwarded_client_has_its_own_budget()
    {
        var statuses = await AskAsync(trustLoopback: true, "203.0.113.5", "203.0.113.5", "203.0.113.5", "203.0.113.5", "203.0.113.6");
        // Requests without a key: 401 while within the budget, 429 after it, per forwarded client.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.Unauthorized], statuses);
    }

    [Fact]
    public async Task Without_a_trusted_proxy_a_forwarded_address_is_ignored()
    {
        var statuses = await AskAsync(trustLoopback: false, "203.0.113.5", "203.0.113.6", "203.0.113.7", "203.0.113.8");
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_trusted_proxy_that_is_not_an_address_stops_the_start_with_a_message_naming_the_setting()
    {
        await using var factory = new GeoRiskApiFactory(DemoDatabase.ConnectionString)
        {
            Settings = new Dictionary<string, string?> { ["GeoRisk:Access:TrustedProxies:0"] = "nginx.intern" },
        };
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("TrustedProxies", error.ToString(), StringComparison.Ordinal);
    }
}
