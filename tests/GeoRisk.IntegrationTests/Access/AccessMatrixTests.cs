using System.Net;
using System.Net.Http.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Access;

/// <summary>One API factory over the demo database, with one client per role (and none).</summary>
public sealed class DemoAccessFixture : IAsyncLifetime
{
    public GeoRiskApiFactory Factory { get; } = new(DemoDatabase.ConnectionString);
    private readonly Dictionary<string, HttpClient> _clients = [];

    /// <summary>"none", "viewer", "member" (casustafel 1012), "analyst", "admin".</summary>
    public HttpClient Client(string caller) => _clients[caller];

    public async Task InitializeAsync()
    {
        _clients["none"] = Factory.CreateAnonymousClient();
        _clients["viewer"] = await Factory.CreateClientAsync(Role.Viewer);
        _clients["member"] = await Factory.CreateClientAsync(Role.Member, "1012");
        _clients["analyst"] = await Factory.CreateClientAsync(Role.Analyst);
        _clients["admin"] = Factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        await Factory.DisposeAsync();
    }
}

/// <summary>
/// Role × endpoint family: who may call what. To add an endpoint family, add one row to
/// <see cref="Endpoints"/>: method, path (inside a member of casustafel 1012's scope), body,
/// the lowest role the policy admits (null = any valid key) and the status a caller that is
/// let in gets. Every row is checked for no key (401), each role below the minimum (403) and
/// each role at or above it (the success status).
/// </summary>
public sealed class AccessMatrixTests(DemoAccessFixture fixture) : IClassFixture<DemoAccessFixture>
{
    private sealed record EndpointCase(string Method, string Path, object? Body, Role? Minimum, HttpStatusCode Allowed);

    private static readonly Dictionary<string, EndpointCase> Endpoints = new()
    {
        ["areas.list"] = new("GET", "/api/areas", null, Role.Viewer, HttpStatusCode.OK),
        ["areas.detail"] = new("GET", "/api/areas/PC4-1012", null, Role.Viewer, HttpStatusCode.OK),
        ["categories"] = new("GET", "/api/categories", null, Role.Viewer, HttpStatusCode.OK),
        ["sources"] = new("GET", "/api/sources", null, Role.Viewer, HttpStatusCode.OK),
        ["area-kinds"] = new("GET", "/api/area-kinds", null, Role.Viewer, HttpStatusCode.OK),
        ["me"] = new("GET", "/api/me", null, null, HttpStatusCode.OK),
        ["audit"] = new("GET", "/api/audit?limit=5", null, Role.Admin, HttpStatusCode.OK),
        ["keys.list"] = new("GET", "/api/keys", null, Role.Admin, HttpStatusCode.OK),
        ["keys.create"] = new("POST", "/api/keys", new { role = "viewer", label = "matrix test" }, Role.Admin, HttpStatusCode.Created),
        ["keys.revoke"] = new("POST", "/api/keys/000000000000/revoke", null, Role.Admin, HttpStatusCode.NotFound),
        // Intake: an empty signal is refused by validation (422) once the role is let in; nothing is written.
        ["signals.post"] = new("POST", "/api/signals", new { }, Role.Analyst, HttpStatusCode.UnprocessableEntity),
        // An empty object is not a boundary file (400) once the role is let in; nothing is written.
        ["areas.import-boundaries"] = new("POST", "/api/areas/import-boundaries", new { }, Role.Analyst, HttpStatusCode.BadRequest),
        ["scores.ranking"] = new("GET", "/api/scores?kind=postcode&date=2026-11-15", null, Role.Viewer, HttpStatusCode.OK),
        ["areas.score"] = new("GET", "/api/areas/PC4-1012/score?date=2026-11-15", null, Role.Viewer, HttpStatusCode.OK),
        ["areas.stats"] = new("GET", "/api/areas/PC4-1012/stats?from=2026-01-01&to=2026-11-01", null, Role.Viewer, HttpStatusCode.OK),
        ["casustafels.list"] = new("GET", "/api/casustafels", null, Role.Viewer, HttpStatusCode.OK),
        ["signaallijst"] = new("GET", "/api/casustafels/1012/signaallijst?limit=5", null, Role.Member, HttpStatusCode.OK),
        ["tiles.catalogue"] = new("GET", "/tiles", null, Role.Viewer, HttpStatusCode.OK),
        ["tiles.tilejson"] = new("GET", "/tiles/areas.json", null, Role.Viewer, HttpStatusCode.OK),
        ["profiles.list"] = new("GET", "/api/profiles", null, Role.Viewer, HttpStatusCode.OK),
        // A profile with an unknown key is refused by validation (400) once the role is let in; nothing is written.
        ["profiles.create"] = new("POST", "/api/profiles", new { name = "matrix", @params = new { bogus = 1 } }, Role.Admin, HttpStatusCode.BadRequest),
        ["areas.score.verify"] = new("GET", "/api/areas/PC4-1012/score/verify?date=2026-11-15", null, Role.Analyst, HttpStatusCode.OK),
    };

    private static readonly Dictionary<string, Role?> Callers = new()
    {
        ["none"] = null, ["viewer"] = Role.Viewer, ["member"] = Role.Member, ["analyst"] = Role.Analyst, ["admin"] = Role.Admin,
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in Endpoints.Keys)
            foreach (var caller in Callers.Keys)
                data.Add(endpoint, caller);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Role_may_or_may_not_call_endpoint(string endpoint, string caller)
    {
        var e = Endpoints[endpoint];
        var role = Callers[caller];
        var expected = role is null ? HttpStatusCode.Unauthorized
            : e.Minimum is { } minimum && !role.Value.Satisfies(minimum) ? HttpStatusCode.Forbidden
            : e.Allowed;

        using var request = new HttpRequestMessage(new HttpMethod(e.Method), new Uri(e.Path, UriKind.Relative));
        if (e.Body is not null) request.Content = JsonContent.Create(e.Body);
        var response = await fixture.Client(caller).SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
