using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.Data.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace GeoRisk.IntegrationTests.Access;

public sealed class AuthenticationTests(AccessDatabaseFixture fixture) : IClassFixture<AccessDatabaseFixture>
{
    private static readonly Uri Areas = new("/api/areas", UriKind.Relative);

    [Theory]
    [InlineData("/api/areas")]
    [InlineData("/api/areas/T-INSIDE")]
    [InlineData("/api/categories")]
    [InlineData("/api/audit")]
    [InlineData("/api/keys")]
    [InlineData("/api/no-such-route")]
    public async Task Without_a_key_every_endpoint_is_401_with_a_bearer_challenge(string path)
    {
        using var client = fixture.Factory.CreateAnonymousClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_need_no_key()
    {
        using var client = fixture.Factory.CreateAnonymousClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        var openApi = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);

        // The document tells clients how to authenticate, and where.
        using var document = JsonDocument.Parse(await openApi.Content.ReadAsStringAsync());
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("GeoRiskApiKey");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/areas/{code}").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/health").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task The_web_map_files_need_no_key_but_the_data_behind_them_does()
    {
        var webRoot = Directory.CreateTempSubdirectory("georisk-wwwroot-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(webRoot.FullName, "index.html"), "<!doctype html><title>GeoRisk</title>");
            await using var withMap = fixture.Factory.WithWebHostBuilder(b => b.UseWebRoot(webRoot.FullName));
            using var client = withMap.CreateClient();
            client.DefaultRequestHeaders.Authorization = null;

            var page = await client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("GeoRisk", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/index.html", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Areas)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/missing.js", UriKind.Relative))).StatusCode);
        }
        finally
        {
            webRoot.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Me_shows_each_role_its_scope()
    {
        using var member = await fixture.Factory.CreateClientAsync(Role.Member, AccessDatabaseFixture.Casustafel);
        using var viewer = await fixture.Factory.CreateClientAsync(Role.Viewer);
        using var admin = fixture.Factory.CreateClient();

        var m = await member.GetFromJsonAsync<JsonElement>(new Uri("/api/me", UriKind.Relative));
        Assert.Equal("member", m.GetProperty("role").GetString());
        Assert.Equal(AccessDatabaseFixture.Casustafel, m.GetProperty("casustafels")[0].GetString());
        Assert.False(m.GetProperty("suppressed").GetBoolean());

        var v = await viewer.GetFromJsonAsync<JsonElement>(new Uri("/api/me", UriKind.Relative));
        Assert.True(v.GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, v.GetProperty("casustafels").ValueKind);
        Assert.Equal(Suppression.DefaultK, v.GetProperty("suppression_k").GetInt32()); // no scoring profile here

        var a = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/me", UriKind.Relative));
        Assert.Equal(fixture.Factory.AdminKeyId, a.GetProperty("key_id").GetString());
        Assert.Equal("admin", a.GetProperty("role").GetString());
    }

    [Fact]
    public async Task The_default_client_carries_an_admin_key()
    {
        using var client = fixture.Factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/keys", UriKind.Relative))).StatusCode);
    }

    public static TheoryData<string> BadAuthorizations()
    {
        var wellFormed = ApiKey.Generate().Token; // never stored: unknown key id
        return new TheoryData<string>
        {
            "Bearer " + wellFormed,
            "Bearer " + wellFormed[..^3],
            "Bearer not-a-key",
            "Basic " + Convert.ToBase64String("admin:admin"u8.ToArray()),
            wellFormed,
        };
    }

    [Theory]
    [MemberData(nameof(BadAuthorizations))]
    public async Task A_bad_key_is_401_and_the_error_never_contains_it(string authorization)
    {
        using var client = fixture.Factory.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Areas);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var secretPart = authorization.Split(' ').Last();
        Assert.DoesNotContain(secretPart, body, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_known_key_id_with_a_wrong_secret_is_401_without_echo()
    {
        var key = await fixture.Factory.CreateKeyAsync(Role.Admin);
        var secret = key.Key.Token[17..];
        var forged = $"grk_{key.Info.Id}_{(secret[0] == 'A' ? 'B' : 'A')}{secret[1..]}";
        using var client = fixture.Factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        var response = await client.GetAsync(Areas);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(forged, body, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[1..], body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_revoked_in_the_database_stops_within_a_second()
    {
        // Revoked from "another process" (the CLI): this server hears it from PostgreSQL (NOTIFY).
        var key = await fixture.Factory.CreateKeyAsync(Role.Member, AccessDatabaseFixture.Casustafel);
        using var client = fixture.Factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Areas)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Areas)).StatusCode); // now served from the cache

        Assert.NotNull(await new ApiKeyStore(fixture.Database.DataSource).RevokeAsync(key.Info.Id, CancellationToken.None));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage after;
        while ((after = await client.GetAsync(Areas)).StatusCode != HttpStatusCode.Unauthorized && watch.Elapsed < TimeSpan.FromSeconds(5))
            await Task.Delay(20);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        // By NOTIFY, long before the cache's maximum age (the bound leaves room for a loaded machine).
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        var problem = await after.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("revoked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_revoked_through_the_API_stops_at_once()
    {
        var key = await fixture.Factory.CreateKeyAsync(Role.Viewer);
        using var victim = fixture.Factory.CreateAnonymousClient();
        victim.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key.Token);
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync(Areas)).StatusCode);

        using var admin = fixture.Factory.CreateClient();
        var revoke = await admin.PostAsync(new Uri($"/api/keys/{key.Info.Id}/revoke", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await victim.GetAsync(Areas)).StatusCode);
        var listed = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/keys?includeRevoked=true", UriKind.Relative));
        var row = listed.EnumerateArray().Single(k => k.GetProperty("id").GetString() == key.Info.Id);
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("revoked_at").ValueKind);
    }

    [Fact]
    public async Task Keys_created_over_HTTP_work_and_are_shown_once()
    {
        using var admin = fixture.Factory.CreateClient();
        var response = await admin.PostAsJsonAsync(new Uri("/api/keys", UriKind.Relative),
            new { role = "member", casustafels = new[] { AccessDatabaseFixture.Casustafel }, label = "test: gemeente" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var token = created.GetProperty("key").GetString()!;
        Assert.True(ApiKey.TryParse(token, out var parsed));

        using var member = fixture.Factory.CreateAnonymousClient();
        member.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync(Areas)).StatusCode);

        // The list names the key but never holds the secret, and the database holds only the hash.
        var list = await admin.GetStringAsync(new Uri("/api/keys", UriKind.Relative));
        Assert.Contains(parsed.Id, list, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list, StringComparison.Ordinal);
        var storedAsText = await fixture.Database.ScalarAsync<string>(
            "SELECT row_to_json(k)::text FROM api_key k WHERE id = $1", parsed.Id);
        Assert.DoesNotContain(token[17..], storedAsText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"role":"root"}""")]
    [InlineData("""{"role":"member"}""")]
    [InlineData("""{"role":"member","casustafels":["no-such-table"]}""")]
    [InlineData("""{"role":"admin","casustafels":["t-inside"]}""")]
    public async Task Invalid_key_requests_are_400_problems(string body)
    {
        using var admin = fixture.Factory.CreateClient();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var response = await admin.PostAsync(new Uri("/api/keys", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
