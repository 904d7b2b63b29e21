using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Casustafels;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GeoRisk.IntegrationTests.Hardening;

/// <summary>
/// The reproductions of an outside test of the running service: each failed before the fix
/// (500/503 on bad input, echoed identifiers, missing audit rows, personal data in names and
/// labels, no security headers, the API running as a superuser).
/// </summary>
public sealed class HardeningTests(CasustafelWorldFixture world) : IClassFixture<CasustafelWorldFixture>
{
    private readonly HttpClient _admin = world.Factory.CreateClient();

    private static async Task<(HttpStatusCode Status, JsonElement Body, string Text)> SendAsync(HttpClient client, HttpMethod method, string url, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative)) { Content = content };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize<JsonElement>(text) : default;
        if ((int)response.StatusCode >= 400)
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, body, text);
    }

    [Theory]
    [InlineData("/api/casustafels/proef/signaallijst?to=9999-12-31")]
    [InlineData("/api/casustafels/proef/signaallijst?to=0001-01-01")]
    [InlineData("/api/casustafels/proef/signaallijst.csv?to=9999-12-31")]
    [InlineData("/api/casustafels/proef/signaallijst.csv?to=0001-01-01")]
    [InlineData("/api/casustafels/proef/factsheet.pdf?area=PC4-9999&to=9999-12-31")]
    [InlineData("/api/casustafels/proef/factsheet.pdf?area=PC4-9999&to=0001-01-01")]
    [InlineData("/tiles/hexbins/14/8414/5384.mvt?to=9999-12-31")]
    public async Task Dates_at_the_ends_of_the_calendar_are_a_400_not_an_overflow(string url)
    {
        var (status, body, _) = await SendAsync(_admin, HttpMethod.Get, url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("2100-12-31", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lone_surrogate_in_json_intake_is_a_400()
    {
        var json = """{"external_id":"\ud800","category":"drugshandel","source":"politie","observed_at":"2025-01-01","x":150100,"y":450100}""";
        var (status, body, _) = await SendAsync(_admin, HttpMethod.Post, "/api/signals", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Unicode", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_geojson_string_is_a_400()
    {
        var before = Encoding.UTF8.GetBytes("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"external_id":"G""");
        var after = Encoding.UTF8.GetBytes("\"" + ""","category":"drugshandel","source":"politie","observed_at":"2025-01-01"},"geometry":{"type":"Point","coordinates":[150100,450100]}}],"crs":{"type":"name","properties":{"name":"EPSG:28992"}}}""");
        var content = new ByteArrayContent([.. before, 0xED, 0xA0, 0x80, .. after]);
        content.Headers.ContentType = new("application/geo+json");
        var (status, _, _) = await SendAsync(_admin, HttpMethod.Post, "/api/signals/import", content);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id LIKE 'G%'"));
    }

    [Fact]
    public async Task A_nul_in_external_id_is_a_rejected_row_not_database_unavailable()
    {
        var json = """{"external_id":"N\u0000UL","category":"drugshandel","source":"politie","observed_at":"2025-01-01","x":150100,"y":450100}""";
        var (status, body, _) = await SendAsync(_admin, HttpMethod.Post, "/api/signals", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var rejection = body.GetProperty("rejections")[0];
        Assert.Equal("control_character", rejection.GetProperty("reason").GetString());
        Assert.Equal("external_id", rejection.GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_area_ring_of_two_points_is_a_rejected_feature_not_a_server_error()
    {
        var file = """{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:28992"}},"features":[{"type":"Feature","properties":{"code":"T-RING","name":"twee punten"},"geometry":{"type":"Polygon","coordinates":[[[150000,450000],[150100,450100]]]}}]}""";
        var (status, body, _) = await SendAsync(_admin, HttpMethod.Post, "/api/areas/import?kind=custom&code_field=code&name_field=name",
            new StringContent(file, Encoding.UTF8, "application/geo+json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("invalid_geometry", body.GetProperty("rejections")[0].GetProperty("reason").GetString());
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM area WHERE code = 'T-RING'"));
    }

    [Theory]
    [InlineData("22021", 400)] // NUL / invalid byte sequence
    [InlineData("22008", 400)] // datetime field overflow
    [InlineData("22P02", 400)] // invalid text representation
    [InlineData("23503", 400)] // foreign key (unknown code)
    [InlineData("23505", 409)]
    [InlineData("57014", 503)] // statement timeout
    [InlineData("08006", 503)] // connection failure
    [InlineData("57P01", 503)] // admin shutdown
    [InlineData("53300", 503)] // too many connections
    [InlineData("42P01", 500)] // a bug: undefined table
    public void Postgres_errors_map_by_class_data_errors_are_4xx_and_only_an_unreachable_database_is_503(string sqlState, int expected)
    {
        var (status, _, _) = GeoRiskExceptionHandler.Classify(new PostgresException("test", "ERROR", "ERROR", sqlState));
        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE }, "utf-16le")]
    [InlineData(new byte[] { 0xFE, 0xFF }, "utf-16be")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0, 0 }, "utf-32le")]
    public async Task Utf16_and_utf32_files_with_a_bom_are_refused_as_documented(byte[] bom, string encodingName)
    {
        var text = "external_id,category,source,observed_at,x,y\nBOM-1,drugshandel,politie,2025-01-01,150100,450100\n";
        var encoding = Encoding.GetEncoding(encodingName);
        var content = new ByteArrayContent([.. bom, .. encoding.GetBytes(text)]);
        content.Headers.ContentType = new("text/csv");
        var (status, body, _) = await SendAsync(_admin, HttpMethod.Post, "/api/signals/import", content);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("UTF-8", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id = 'BOM-1'"));
    }

    [Theory]
    [InlineData("/api/casustafels/jan.jansen@example.nl/signaallijst", "jan.jansen@example.nl")]
    [InlineData("/api/casustafels/proef/signaallijst?area=jan.jansen@example.nl", "jan.jansen@example.nl")]
    [InlineData("/api/casustafels/proef/signaallijst?category=jan.jansen@example.nl", "jan.jansen@example.nl")]
    [InlineData("/api/areas/GM111222333", "GM111222333")]
    [InlineData("/api/areas/GM111222333/map.png", "GM111222333")]
    [InlineData("/tiles/jan.jansen@example.nl/12/2103/1345.mvt", "jan.jansen@example.nl")]
    [InlineData("/tiles/areas/12/2103/x111222333.mvt", "111222333")]
    [InlineData("/tiles/areas/12/2103/1345.mvt?category=jan.jansen@example.nl", "jan.jansen@example.nl")]
    [InlineData("/api/keys/111222333aaa/revoke", "111222333aaa")]
    public async Task Error_bodies_never_echo_what_the_caller_sent(string url, string sent)
    {
        var method = url.EndsWith("/revoke", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;
        var (status, _, text) = await SendAsync(_admin, method, url);
        Assert.InRange((int)status, 400, 499);
        Assert.DoesNotContain(sent, text, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<List<string>> AuditEndpointsOfAsync(string keyId)
    {
        await using var command = world.Database.DataSource.CreateCommand("SELECT endpoint || ' rows=' || rows_returned FROM audit_log WHERE key_id = $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = keyId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    [Fact]
    public async Task Listing_casustafels_and_moving_a_followup_write_audit_rows()
    {
        var key = await world.Factory.CreateKeyAsync(Role.Member, "proef");
        using var member = world.Factory.CreateAnonymousClient();
        member.DefaultRequestHeaders.Authorization = new("Bearer", key.Key.Token);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync(new Uri("/api/casustafels", UriKind.Relative))).StatusCode);
        var signal = world.Ids["s7"];
        var moved = await member.PostAsJsonAsync(new Uri($"/api/casustafels/proef/signals/{signal}/followup", UriKind.Relative),
            new { status = "verkennen", note = "controle gepland" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var missing = await member.PostAsJsonAsync(new Uri("/api/casustafels/proef/signals/999999999/followup", UriKind.Relative),
            new { status = "verkennen", note = "controle gepland" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        Assert.Equal(
            [
                "GET /api/casustafels/ rows=1",
                "POST /api/casustafels/{id}/signals/{signalId:long}/followup rows=1",
                "POST /api/casustafels/{id}/signals/{signalId:long}/followup rows=0",
            ],
            await AuditEndpointsOfAsync(key.Info.Id));
    }

    [Fact]
    public async Task Area_names_with_personal_data_are_rejected_at_import()
    {
        var file = """{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:28992"}},"features":[{"type":"Feature","properties":{"code":"T-BSN","name":"Loods van BSN 111222333"},"geometry":{"type":"Polygon","coordinates":[[[150000,450000],[150100,450000],[150100,450100],[150000,450000]]]}}]}""";
        var (status, body, text) = await SendAsync(_admin, HttpMethod.Post, "/api/areas/import?kind=custom&code_field=code&name_field=name",
            new StringContent(file, Encoding.UTF8, "application/geo+json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var rejection = body.GetProperty("rejections")[0];
        Assert.Equal("personal_data", rejection.GetProperty("reason").GetString());
        Assert.Equal("bsn", rejection.GetProperty("kind").GetString());
        Assert.DoesNotContain("111222333", text, StringComparison.Ordinal);
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM area WHERE code = 'T-BSN'"));
    }

    [Theory]
    [InlineData("sleutel van jan.jansen@example.nl", "email")]
    [InlineData("BSN 111222333", "bsn")]
    public async Task Api_key_labels_with_personal_data_are_refused(string label, string kind)
    {
        var (status, body, text) = await SendAsync(_admin, HttpMethod.Post, "/api/keys", JsonContent.Create(new { role = "viewer", label }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(kind, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(label, text, StringComparison.Ordinal);
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM api_key WHERE label = $1", label));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/health")]
    [InlineData("/api/areas")]
    [InlineData("/api/areas/NOPE")]
    public async Task Every_response_carries_the_security_headers(string url)
    {
        using var response = await _admin.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("worker-src 'self' blob:", csp, StringComparison.Ordinal); // MapLibre's workers
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task The_api_runs_as_a_role_that_cannot_rewrite_the_audit_log()
    {
        // The API's own connection (as the factory configures it), not the owner's.
        await using var app = new NpgsqlConnection(TestEnvironment.AppConnectionString(world.Database.ConnectionString));
        await app.OpenAsync();
        await using (var who = new NpgsqlCommand(
            "SELECT r.rolsuper, pg_get_userbyid(c.relowner) = current_user FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'audit_log'::regclass", app))
        await using (var reader = await who.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.False(reader.GetBoolean(0), "the application role must not be a superuser");
            Assert.False(reader.GetBoolean(1), "the application role must not own the audit log");
        }
        // It can append and read ...
        await using (var insert = new NpgsqlCommand("INSERT INTO audit_log (role, endpoint, rows_returned) VALUES ('admin', 'test', 0)", app))
            await insert.ExecuteNonQueryAsync();
        // ... and nothing else.
        foreach (var sql in new[]
                 {
                     "SET session_replication_role = replica",
                     "ALTER TABLE audit_log DISABLE TRIGGER ALL",
                     "DROP TRIGGER audit_log_no_update_delete ON audit_log",
                     "DELETE FROM audit_log",
                     "UPDATE audit_log SET rows_returned = 0",
                     "TRUNCATE audit_log",
                     "INSERT INTO schema_migration (version, name, checksum) VALUES (99999, 'x', 'x')",
                     "CREATE TABLE intruder (id int)",
                 })
        {
            await using var command = new NpgsqlCommand(sql, app);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }
    }
}

/// <summary>Kestrel on a real port: its own limits answered with problem details, no Server header.</summary>
#pragma warning disable CA1001 // disposed in DisposeAsync, as xunit fixtures are
public sealed class KestrelEdgeTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private GeoRiskApiFactory? _factory;
    private Uri _base = null!;

    public Task InitializeAsync()
    {
        _factory = new GeoRiskApiFactory(DemoDatabase.ConnectionString);
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        _base = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
    }

    private async Task<(int Status, string Head, string Body)> RawAsync(string requestHead)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_base.Host, _base.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(requestHead));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, head, split < 0 ? "" : text[(split + 4)..]);
    }

    [Fact]
    public async Task An_over_long_url_is_a_414_with_problem_details()
    {
        var (status, head, body) = await RawAsync($"GET /api/areas?kind={new string('a', 9000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.Equal(414, status);
        Assert.Contains("application/problem+json", head, StringComparison.Ordinal);
        Assert.Contains("\"status\":414", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Server:", head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Over_large_headers_are_a_431_with_problem_details()
    {
        var (status, head, body) = await RawAsync($"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: {new string('b', 40_000)}\r\nConnection: close\r\n\r\n");
        Assert.Equal(431, status);
        Assert.Contains("application/problem+json", head, StringComparison.Ordinal);
        Assert.Contains("\"status\":431", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// Requests Kestrel refuses itself, before any middleware runs (it would answer them with an
    /// empty body): the same status, with problem details that say what is wrong and echo nothing.
    /// </summary>
    [Theory]
    [InlineData("GET /api/areas/A%00B HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 400)] // a decoded NUL
    [InlineData("GET /api/areas/SECRET\u0000 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400)] // a raw NUL in the target
    [InlineData("GET /api/areas/SE CRET HTTP/1.1\r\nHost: localhost\r\n\r\n", 400)] // a space in the target
    [InlineData("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Bad: SECRET\u0000\r\n\r\n", 400)] // a NUL in a header
    [InlineData("GET /health HTTP/1.1\r\nHost: localhost\r\nno colon SECRET\r\n\r\n", 400)] // a header line without a colon
    [InlineData("GET /health HTTP/1.1\r\n\r\n", 400)] // HTTP/1.1 without Host
    [InlineData("GET /health SECRET/1.1\r\nHost: localhost\r\n\r\n", 400)] // not an HTTP version
    [InlineData("GET /health HTTP/1.7\r\nHost: localhost\r\n\r\n", 505)] // a version Kestrel does not speak
    [InlineData("POST /api/signals HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nSECRET", 400)] // two lengths
    public async Task What_kestrel_refuses_itself_is_answered_with_problem_details(string request, int expected)
    {
        var (status, head, body) = await RawAsync(request);
        Assert.Equal(expected, status);
        Assert.Contains("Content-Type: application/problem+json", head, StringComparison.Ordinal);
        using var problem = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal(expected, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("code").GetString()));
        Assert.DoesNotContain("SECRET", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Server:", head, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Content-Type-Options: nosniff", head, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_of_the_application_pass_the_connection_middleware_unchanged()
    {
        // Three requests on one connection: a 200, an application 404 (problem details of its
        // own) and a bare refusal at the end; only the last is rewritten.
        var (status, _, rest) = await RawAsync(
            "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n" +
            "GET /api/areas/NOPE-1/score HTTP/1.1\r\nHost: localhost\r\n\r\n" +
            "GET /x HTTP/1.1\r\n\r\n");
        Assert.Equal(200, status);
        Assert.Contains("HTTP/1.1 401 ", rest, StringComparison.Ordinal);
        var last = rest[rest.LastIndexOf("HTTP/1.1 ", StringComparison.Ordinal)..];
        Assert.StartsWith("HTTP/1.1 400 ", last, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", last, StringComparison.Ordinal);
        Assert.Contains("\"status\":400", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_percent_encoded_control_character_in_the_path_is_a_400_with_problem_details()
    {
        var (status, head, body) = await RawAsync("GET /api/areas/A%01B HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.Equal(400, status);
        Assert.Contains("application/problem+json", head, StringComparison.Ordinal);
        Assert.Contains("control character", body, StringComparison.Ordinal);
    }
}
