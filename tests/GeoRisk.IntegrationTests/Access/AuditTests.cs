using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Access;

public sealed class AuditTests(AccessDatabaseFixture fixture) : IClassFixture<AccessDatabaseFixture>
{
    private sealed record Row(string Role, string[]? Casustafels, string Endpoint, string? Area, long Rows);

    private async Task<List<Row>> RowsOfAsync(string keyId)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(
            "SELECT role, casustafels, endpoint, area, rows_returned FROM audit_log WHERE key_id = $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = keyId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
            rows.Add(new Row(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<string[]>(1),
                reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4)));
        return rows;
    }

    private async Task<(HttpClient Client, string KeyId)> MemberAsync()
    {
        var key = await fixture.Factory.CreateKeyAsync(Role.Member, AccessDatabaseFixture.Casustafel);
        var client = fixture.Factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key.Key.Token);
        return (client, key.Info.Id);
    }

    [Fact]
    public async Task Every_scoped_read_writes_one_audit_row_with_who_what_and_how_much()
    {
        var (client, keyId) = await MemberAsync();
        using (client)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/areas", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/areas/T-INSIDE", UriKind.Relative))).StatusCode);
            // A read outside the scope is accounted for too (it returned nothing).
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/api/areas/T-OUTSIDE", UriKind.Relative))).StatusCode);
            // Reference data is not scoped and not audited.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/categories", UriKind.Relative))).StatusCode);
        }

        var rows = (await RowsOfAsync(keyId))
            .Select(r => $"{r.Role} [{string.Join(",", r.Casustafels ?? [])}] {r.Endpoint} area={r.Area} rows={r.Rows}");

        // who (role, scope; the key id is the filter), what (endpoint, area), how much (rows).
        Assert.Equal(
            [
                "member [t-inside] GET /api/areas/ area= rows=1",
                "member [t-inside] GET /api/areas/{code} area=T-INSIDE rows=1",
                "member [t-inside] GET /api/areas/{code} area=T-OUTSIDE rows=0",
            ],
            rows);
    }

    [Fact]
    public async Task The_audit_table_refuses_update_delete_and_truncate()
    {
        var (client, keyId) = await MemberAsync();
        using (client) await client.GetAsync(new Uri("/api/areas/T-INSIDE", UriKind.Relative));
        Assert.Single(await RowsOfAsync(keyId));

        foreach (var sql in new[]
                 {
                     "UPDATE audit_log SET rows_returned = 0 WHERE key_id = $1",
                     "DELETE FROM audit_log WHERE key_id = $1",
                 })
        {
            await using var command = fixture.Database.DataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = keyId });
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }
        await using (var truncate = fixture.Database.DataSource.CreateCommand("TRUNCATE audit_log"))
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => truncate.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }

        var row = Assert.Single(await RowsOfAsync(keyId));
        Assert.Equal(1, row.Rows);
    }

    [Fact]
    public async Task Admins_read_the_audit_log_with_filters()
    {
        var (client, keyId) = await MemberAsync();
        using (client)
        {
            await client.GetAsync(new Uri("/api/areas/T-INSIDE", UriKind.Relative));
            await client.GetAsync(new Uri("/api/areas", UriKind.Relative));
        }
        using var admin = fixture.Factory.CreateClient();

        var byKey = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/audit?key={keyId}", UriKind.Relative));
        var items = byKey.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal(keyId, i.GetProperty("key_id").GetString()));
        Assert.Equal("GET /api/areas/", items[0].GetProperty("endpoint").GetString()); // newest first

        var byArea = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/audit?key={keyId}&area=T-INSIDE", UriKind.Relative));
        Assert.Equal(1, byArea.GetProperty("items").GetArrayLength());

        var paged = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/audit?key={keyId}&limit=1", UriKind.Relative));
        var before = paged.GetProperty("next_before").GetInt64();
        var next = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/audit?key={keyId}&limit=1&before={before}", UriKind.Relative));
        Assert.Equal("T-INSIDE", next.GetProperty("items")[0].GetProperty("area").GetString());

        var future = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/audit?key={keyId}&from=2999-01-01", UriKind.Relative));
        Assert.Equal(0, future.GetProperty("items").GetArrayLength());

        // Reading the log is itself logged, under the admin's key.
        var own = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/audit?key={fixture.Factory.AdminKeyId}&endpoint=GET%20/api/audit", UriKind.Relative));
        Assert.True(own.GetProperty("items").GetArrayLength() >= 1);
    }

    [Theory]
    [InlineData("key=GRK")]
    [InlineData("role=root")]
    [InlineData("from=yesterday")]
    [InlineData("limit=0")]
    [InlineData("limit=5000")]
    [InlineData("before=-1")]
    public async Task Bad_audit_filters_are_400_problems(string query)
    {
        using var admin = fixture.Factory.CreateClient();

        var response = await admin.GetAsync(new Uri("/api/audit?" + query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
