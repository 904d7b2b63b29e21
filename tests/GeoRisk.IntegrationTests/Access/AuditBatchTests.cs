using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using GeoRisk.Core.Access;
using GeoRisk.Data.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GeoRisk.IntegrationTests.Access;

/// <summary>
/// Audit rows are written in batches by a background writer (several batches at a time), and an
/// answer is only sent once its row is committed: concurrent reads share a COPY, a batch waiting
/// on the database does not hold up the next, and a process killed at any moment has an audit
/// row for every request it answered.
/// </summary>
public sealed class AuditBatchTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private sealed class LingeringFactory(string connectionString) : GeoRiskApiFactory(connectionString)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("GeoRisk:Audit:Linger", "00:00:00.200");
            builder.UseSetting("Tiles:Cache:Enabled", "false");
        }
    }

    private async Task<HashSet<(int X, int Y)>> AuditedTilesAsync(string keyId, int z)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(
            "SELECT x, y FROM audit_log WHERE key_id = $1 AND layer = 'areas' AND z = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = keyId });
        command.Parameters.Add(new NpgsqlParameter { Value = z });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new HashSet<(int, int)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt32(0), reader.GetInt32(1)));
        return rows;
    }

    [Fact]
    public async Task Concurrent_reads_share_batches_and_each_has_its_row_when_answered()
    {
        await using var factory = new LingeringFactory(fixture.Database.ConnectionString);
        var key = await factory.CreateKeyAsync(Role.Admin);
        using var client = factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);
        var writer = factory.Services.GetRequiredService<AuditWriter>();
        var before = writer.Written;

        const int requests = 32; // more made the shared test machine time out opening connections
        var statuses = await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
            (await client.GetAsync(new Uri($"/tiles/areas/11/{i}/7.mvt", UriKind.Relative))).StatusCode));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NoContent, s)); // an empty database: empty tiles, audited too
        var after = writer.Written;
        Assert.Equal(requests, after.Rows - before.Rows);
        Assert.InRange(after.Batches - before.Batches, 1, requests / 2);
        Assert.Equal(requests, (await AuditedTilesAsync(key.Info.Id, 11)).Count);
    }

    [Fact]
    public async Task A_batch_waiting_on_the_database_does_not_hold_up_the_reads_behind_it()
    {
        await using var factory = new GeoRiskApiFactory(fixture.Database.ConnectionString);
        var stuck = await factory.CreateClientAsync(Role.Admin);
        var other = await factory.CreateClientAsync(Role.Admin);
        var stuckKeyId = stuck.DefaultRequestHeaders.Authorization!.Parameter!.Split('_')[1];
        // Both keys are verified and cached before the lock is taken.
        Assert.Equal(HttpStatusCode.OK, (await stuck.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(new Uri("/api/me", UriKind.Relative))).StatusCode);

        // Another session holds the first key's row: the foreign-key check of that key's audit
        // row waits for it, so its batch hangs on the database until the lock goes.
        await using var blocker = await fixture.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM api_key WHERE id = $1 FOR UPDATE", blocker, transaction))
        {
            lockRow.Parameters.Add(new NpgsqlParameter { Value = stuckKeyId });
            Assert.Equal(1, await lockRow.ExecuteScalarAsync());
        }
        var blocked = stuck.GetAsync(new Uri("/tiles/areas/11/1/7.mvt", UriKind.Relative));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(blocked.IsCompleted, "the read of the locked key was answered before its audit row was written");

        // A read of another key forms its own batch and is answered meanwhile.
        var free = await other.GetAsync(new Uri("/tiles/areas/11/2/7.mvt", UriKind.Relative)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.NoContent, free.StatusCode);
        Assert.False(blocked.IsCompleted);

        await transaction.RollbackAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await blocked.WaitAsync(TimeSpan.FromSeconds(30))).StatusCode);
        Assert.Equal(new HashSet<(int X, int Y)> { (1, 7) }, await AuditedTilesAsync(stuckKeyId, 11));
    }

    [Fact]
    public async Task A_process_killed_under_load_has_an_audit_row_for_every_request_it_answered()
    {
        var key = await new ApiKeyStore(fixture.Database.DataSource).CreateAsync(
            Role.Admin, [], "audit kill test", CancellationToken.None, GeoRiskApiFactory.TestKeyIterations);
        var answered = await AnswerUntilKilledAsync(fixture.Database.ConnectionString, key.Key.Token, journal: null);

        var rows = await AuditedTilesAsync(key.Info.Id, 12);
        var missing = answered.Where(t => !rows.Contains(t)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {answered.Count} answered requests have no audit row");
    }

    [Fact]
    public async Task With_the_journal_a_killed_process_loses_no_row_and_its_restart_ships_each_row_once()
    {
        var key = await new ApiKeyStore(fixture.Database.DataSource).CreateAsync(
            Role.Admin, [], "audit journal kill test", CancellationToken.None, GeoRiskApiFactory.TestKeyIterations);
        var journal = Directory.CreateTempSubdirectory("georisk-journal-kill-");
        try
        {
            var answered = await AnswerUntilKilledAsync(fixture.Database.ConnectionString, key.Key.Token, journal.FullName);
            // Rows the killed process had not shipped yet are in its journal files.
            var unshipped = answered.Count - (await AuditedTilesAsync(key.Info.Id, 12)).Count(answered.Contains);
            Assert.True(unshipped == 0 || Directory.EnumerateFiles(journal.FullName, "audit-*.jnl").Any());

            // A new process on the same journal replays it at start-up.
            using var restarted = StartApi(fixture.Database.ConnectionString, FreePort(), journal.FullName, out var http);
            try
            {
                await WaitUntilUpAsync(http);
                var shipped = Stopwatch.StartNew();
                List<(int X, int Y)> missing;
                do
                {
                    await Task.Delay(200);
                    var rows = await AuditedTilesAsync(key.Info.Id, 12);
                    missing = answered.Where(t => !rows.Contains(t)).ToList();
                }
                while (missing.Count > 0 && shipped.Elapsed < TimeSpan.FromSeconds(30));
                Assert.True(missing.Count == 0, $"{missing.Count} of {answered.Count} answered requests have no audit row after the restart");

                await using var doubled = fixture.Database.DataSource.CreateCommand(
                    "SELECT count(*) - count(DISTINCT (x, y)) FROM audit_log WHERE key_id = $1 AND layer = 'areas' AND z = 12");
                doubled.Parameters.Add(new NpgsqlParameter { Value = key.Info.Id });
                Assert.Equal(0L, await doubled.ExecuteScalarAsync());
            }
            finally
            {
                http.Dispose();
                if (!restarted.HasExited) restarted.Kill();
            }
        }
        finally
        {
            journal.Delete(recursive: true);
        }
    }

    /// <summary>16 clients read distinct z12 tiles as fast as they can; the process is killed mid-stream. Returns the answered tiles.</summary>
    private static async Task<List<(int X, int Y)>> AnswerUntilKilledAsync(string connectionString, string token, string? journal)
    {
        using var process = StartApi(connectionString, FreePort(), journal, out var http);
        try
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            await WaitUntilUpAsync(http);

            var answered = new ConcurrentBag<(int X, int Y)>();
            var next = -1;
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var i = Interlocked.Increment(ref next);
                    var (x, y) = (i % 4096, i / 4096);
                    try
                    {
                        var response = await http.GetAsync(new Uri($"/tiles/areas/12/{x}/{y}.mvt", UriKind.Relative), stop.Token);
                        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent) answered.Add((x, y));
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                    {
                        if (process.HasExited) return;
                    }
                }
            })).ToArray();
            var load = Stopwatch.StartNew();
            while (answered.Count < 300 && load.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
            process.Kill(); // SIGKILL: no shutdown, no flush
            await process.WaitForExitAsync();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
            Assert.True(answered.Count >= 300, $"only {answered.Count} requests were answered before the kill");
            return answered.ToList();
        }
        finally
        {
            http.Dispose();
            if (!process.HasExited) process.Kill();
        }
    }

    private static Process StartApi(string connectionString, int port, string? journal, out HttpClient http)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GeoRisk.Api.dll"));
        start.Environment["ConnectionStrings__GeoRisk"] = connectionString;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        // Tile cache off: every request is a distinct tile anyway, and no directory to clean up.
        start.Environment["Tiles__Cache__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (journal is not null)
        {
            start.Environment["GeoRisk__Audit__JournalDirectory"] = journal;
            start.Environment["GeoRisk__Audit__ShipInterval"] = "00:00:00.200";
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        return process;
    }

    private static async Task WaitUntilUpAsync(HttpClient http)
    {
        var up = Stopwatch.StartNew();
        while (true)
        {
            try { if ((await http.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode) return; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            Assert.True(up.Elapsed < TimeSpan.FromSeconds(60), "the API process did not start");
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
