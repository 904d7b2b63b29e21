using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using GeoRisk.Core.Access;
using GeoRisk.Data.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GeoRisk.IntegrationTests.Access;

/// <summary>
/// Two API processes (test hosts) on one database, as two nodes behind a load balancer: keys are
/// served from each node's memory, and a revocation made anywhere — through either node's API or
/// straight in the database — stops the key on every node within a second (LISTEN/NOTIFY).
/// </summary>
public sealed class KeyCacheTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private static readonly Uri Me = new("/api/me", UriKind.Relative);

    private static HttpClient ClientWith(GeoRiskApiFactory node, string token)
    {
        var client = node.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<TimeSpan> UntilUnauthorizedAsync(HttpClient client, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit + TimeSpan.FromSeconds(5))
        {
            if ((await client.GetAsync(Me)).StatusCode == HttpStatusCode.Unauthorized) return watch.Elapsed;
            await Task.Delay(20);
        }
        return watch.Elapsed;
    }

    /// <summary>Far below the cache's maximum age (<see cref="ApiKeyCache.MaxAge"/>), far above a NOTIFY's delivery.</summary>
    private static readonly TimeSpan NotifyBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_key_revoked_on_node_A_is_refused_by_node_B_within_a_second()
    {
        await using var nodeA = new GeoRiskApiFactory(fixture.Database.ConnectionString);
        await using var nodeB = new GeoRiskApiFactory(fixture.Database.ConnectionString);
        var key = await nodeA.CreateKeyAsync(Role.Viewer);
        using var onA = ClientWith(nodeA, key.Key.Token);
        using var onB = ClientWith(nodeB, key.Key.Token);
        using var adminA = nodeA.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync(Me)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync(Me)).StatusCode);
        Assert.True(nodeB.Services.GetRequiredService<ApiKeyCache>().Count > 0, "node B caches the key row");

        var revoke = await adminA.PostAsync(new Uri($"/api/keys/{key.Info.Id}/revoke", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        // NOTIFY reaches node B at once (well under a second on a quiet machine). The bound only
        // has to tell notification from the cache's 5-minute age, with room for a loaded machine.
        Assert.InRange(await UntilUnauthorizedAsync(onB, NotifyBound), TimeSpan.Zero, NotifyBound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.GetAsync(Me)).StatusCode);
    }

    [Fact]
    public async Task A_revocation_made_straight_in_the_database_reaches_every_node()
    {
        await using var nodeA = new GeoRiskApiFactory(fixture.Database.ConnectionString);
        await using var nodeB = new GeoRiskApiFactory(fixture.Database.ConnectionString);
        var key = await nodeA.CreateKeyAsync(Role.Viewer);
        using var onA = ClientWith(nodeA, key.Key.Token);
        using var onB = ClientWith(nodeB, key.Key.Token);
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync(Me)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync(Me)).StatusCode);

        await fixture.Database.ScalarAsync<int>("UPDATE api_key SET revoked_at = now() WHERE id = $1 RETURNING 1", key.Info.Id);

        var elapsedA = await UntilUnauthorizedAsync(onA, NotifyBound);
        var elapsedB = await UntilUnauthorizedAsync(onB, NotifyBound);
        Assert.InRange(elapsedA + elapsedB, TimeSpan.Zero, NotifyBound);
    }

    [Fact]
    public async Task A_cached_key_is_answered_without_reading_its_row()
    {
        await using var node = new GeoRiskApiFactory(fixture.Database.ConnectionString);
        var cached = await node.CreateKeyAsync(Role.Viewer);
        var fresh = await node.CreateKeyAsync(Role.Viewer);
        using var cachedClient = ClientWith(node, cached.Key.Token);
        using var freshClient = ClientWith(node, fresh.Key.Token);
        Assert.Equal(HttpStatusCode.OK, (await cachedClient.GetAsync(Me)).StatusCode);

        // Another session locks the key table: a request that read a key row would now wait.
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE api_key IN ACCESS EXCLUSIVE MODE", connection, transaction))
            await lockTable.ExecuteNonQueryAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.OK, (await cachedClient.GetAsync(Me, timeout.Token)).StatusCode);
        // The uncached key does need its row, and waits for the lock: proof the lock bites.
        var waiting = freshClient.GetAsync(Me);
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted, "a key not yet seen by this node must be read from the database");
        await transaction.RollbackAsync();
        Assert.Equal(HttpStatusCode.OK, (await waiting).StatusCode);
    }
}
