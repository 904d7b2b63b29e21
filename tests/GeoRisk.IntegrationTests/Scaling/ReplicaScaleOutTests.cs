using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using GeoRisk.Core.Tiles;
using Npgsql;

namespace GeoRisk.IntegrationTests.Scaling;

/// <summary>
/// The scale-out topology for real, on loopback: a PostgreSQL primary and a streaming replica
/// (pg_basebackup -R), two API processes that read tiles from the replica and write to the
/// primary, and nginx in front of both.
/// </summary>
#pragma warning disable CA1001 // disposed in DisposeAsync, as xunit fixtures are
public sealed class ReplicaTopology : IAsyncLifetime
#pragma warning restore CA1001
{
    private const string PgBin = "/usr/lib/postgresql/15/bin";
    private readonly string _work = Path.Combine(Path.GetTempPath(), $"georisk-replica-{Guid.NewGuid():N}");
    private readonly List<Process> _processes = [];
    private int _primaryPort;
    private int _replicaPort;
    public Uri NodeA { get; private set; } = null!;
    public Uri NodeB { get; private set; } = null!;
    public Uri Nginx { get; private set; } = null!;
    private string _adminKey = "";
    private string _log = "";

    private string Primary(string database = "georisk") => $"Host=127.0.0.1;Port={_primaryPort};Username=postgres;Database={database};Pooling=false";
    public string Replica(string database = "georisk") => $"Host=127.0.0.1;Port={_replicaPort};Username=postgres;Database={database};Pooling=false";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GeoRisk.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("GeoRisk.sln not found above the test binaries");
    }

    /// <summary>PostgreSQL refuses to run as root: as root, its tools run as the postgres user.</summary>
    private static ProcessStartInfo AsPostgres(string tool, params string[] arguments)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : Path.Combine(PgBin, tool)) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asRoot)
        {
            foreach (var a in new[] { "-u", "postgres", "--", Path.Combine(PgBin, tool) }) start.ArgumentList.Add(a);
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return start;
    }

    private async Task<string> RunAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        _log += $"$ {start.FileName} {string.Join(' ', start.ArgumentList)}\n{output}\n";
        Assert.True(process.ExitCode == 0, _log);
        return await stdout;
    }

    private Process Start(ProcessStartInfo start, string name)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        var log = Path.Combine(_work, name + ".log");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_processes) File.AppendAllText(log, e.Data + "\n"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_processes) File.AppendAllText(log, e.Data + "\n"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_work);
        await RunAsync(new ProcessStartInfo("chown", ["postgres", _work]));
        _primaryPort = FreePort();
        _replicaPort = FreePort();
        var primaryDir = Path.Combine(_work, "primary");
        var replicaDir = Path.Combine(_work, "replica");

        // Primary: trust on loopback (a throwaway cluster), replication allowed by initdb's defaults.
        await RunAsync(AsPostgres("initdb", "-D", primaryDir, "-A", "trust", "-U", "postgres", "--no-sync"));
        await RunAsync(AsPostgres("pg_ctl", "-D", primaryDir, "-l", Path.Combine(_work, "primary.pglog"), "-w", "start",
            "-o", $"-p {_primaryPort} -k {_work} -c listen_addresses=127.0.0.1 -c fsync=off -c track_functions=all"));
        await using (var admin = new NpgsqlConnection(Primary("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE georisk", admin);
            await create.ExecuteNonQueryAsync();
        }
        var cli = Path.Combine(AppContext.BaseDirectory, "georisk.dll");
        var migrate = new ProcessStartInfo("dotnet", [cli, "db", "migrate"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        migrate.Environment["GEORISK_DB"] = Primary();
        await RunAsync(migrate);
        var key = new ProcessStartInfo("dotnet", [cli, "keys", "create", "--role", "admin", "--label", "replica test"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        key.Environment["GEORISK_DB"] = Primary();
        _adminKey = (await RunAsync(key)).Trim();

        // Replica: a base backup of the running primary that streams from it (-R writes the settings);
        // a fast checkpoint, or pg_basebackup waits minutes for a spread one.
        await RunAsync(AsPostgres("pg_basebackup", "-h", "127.0.0.1", "-p", _primaryPort.ToString(CultureInfo.InvariantCulture),
            "-U", "postgres", "-D", replicaDir, "-R", "-X", "stream", "--no-sync", "--checkpoint=fast"));
        await RunAsync(AsPostgres("pg_ctl", "-D", replicaDir, "-l", Path.Combine(_work, "replica.pglog"), "-w", "start",
            "-o", $"-p {_replicaPort} -k {_work} -c listen_addresses=127.0.0.1 -c track_functions=all"));

        // Two API processes: writes and LISTEN on the primary, tiles from the replica; own tile caches.
        // As scripts/run.sh starts it: from the project directory (content root), the built dll.
        var project = Path.Combine(RepoRoot(), "src", "GeoRisk.Api");
        var api = Path.Combine(project, "bin", "Release", "net10.0");
        var nodes = new List<Uri>();
        foreach (var name in new[] { "a", "b" })
        {
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet", [Path.Combine(api, "GeoRisk.Api.dll")]) { WorkingDirectory = project };
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["ConnectionStrings__GeoRisk"] = Primary();
            start.Environment["ConnectionStrings__GeoRiskRead"] = Replica();
            start.Environment["Tiles__Cache__Directory"] = Path.Combine(_work, "cache-" + name);
            start.Environment["GeoRisk__Access__TrustedProxies__0"] = "127.0.0.1";
            Start(start, "api-" + name);
            nodes.Add(new Uri($"http://127.0.0.1:{port}"));
        }
        (NodeA, NodeB) = (nodes[0], nodes[1]);

        var nginxPort = FreePort();
        var nginxDir = Path.Combine(_work, "nginx");
        Directory.CreateDirectory(nginxDir);
        await File.WriteAllTextAsync(Path.Combine(nginxDir, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{nginxDir}}/nginx.pid;
            error_log {{nginxDir}}/error.log;
            events { worker_connections 256; }
            http {
              access_log off;
              client_body_temp_path {{nginxDir}}; proxy_temp_path {{nginxDir}}; fastcgi_temp_path {{nginxDir}};
              uwsgi_temp_path {{nginxDir}}; scgi_temp_path {{nginxDir}};
              upstream georisk { server {{NodeA.Authority}}; server {{NodeB.Authority}}; }
              server {
                listen 127.0.0.1:{{nginxPort}};
                location / {
                  proxy_pass http://georisk;
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                }
              }
            }
            """);
        Start(new ProcessStartInfo("nginx", ["-c", Path.Combine(nginxDir, "nginx.conf"), "-g", "daemon off;"]), "nginx");
        Nginx = new Uri($"http://127.0.0.1:{nginxPort}");

        foreach (var node in new[] { NodeA, NodeB, Nginx })
        {
            await WaitForAsync(async () => (await HealthAsync(node))?.GetProperty("replica").GetProperty("status").GetString() == "current",
                TimeSpan.FromSeconds(90), $"{node} healthy with a current replica");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.Dispose();
        }
        foreach (var dir in new[] { "replica", "primary" })
        {
            if (Directory.Exists(Path.Combine(_work, dir)))
            {
                using var stop = Process.Start(AsPostgres("pg_ctl", "-D", Path.Combine(_work, dir), "-m", "immediate", "stop"))!;
                await stop.WaitForExitAsync();
            }
        }
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public HttpClient Client(Uri node, string? key = null)
    {
        var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? _adminKey);
        return client;
    }

    public static async Task<JsonElement?> HealthAsync(Uri node)
    {
        try
        {
            using var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(5) };
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
            return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    public async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                var logs = string.Join("\n", Directory.GetFiles(_work, "*.log").Select(f => $"--- {Path.GetFileName(f)}\n{Tail(f)}"));
                Assert.Fail($"not within {limit.TotalSeconds} s: {what}\n{_log}\n{logs}");
            }
            await Task.Delay(50);
        }
    }

    private static string Tail(string file)
    {
        var lines = File.ReadAllLines(file);
        return string.Join("\n", lines.Skip(Math.Max(0, lines.Length - 30)));
    }

    /// <summary>Imports one signal at an RD point (drugshandel, politie).</summary>
    public static async Task ImportSignalAsync(HttpClient client, string id, double x, double y)
    {
        var csv = $"external_id,category,source,observed_at,x,y\n{id},drugshandel,politie,2026-10-15,{x.ToString(CultureInfo.InvariantCulture)},{y.ToString(CultureInfo.InvariantCulture)}\n";
        using var response = await client.PostAsync(new Uri("/api/signals/import", UriKind.Relative), new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<string> TileOfAsync(double x, double y)
    {
        await using var connection = new NpgsqlConnection(Primary());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 28992), 4326) p", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = x });
        command.Parameters.Add(new NpgsqlParameter { Value = y });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var tile = TileId.ContainingLonLat(reader.GetDouble(0), reader.GetDouble(1), 14);
        return $"/tiles/signals/14/{tile.X}/{tile.Y}.mvt";
    }

    public static async Task<HttpStatusCode> TileStatusAsync(HttpClient client, string tile)
    {
        using var response = await client.GetAsync(new Uri(tile, UriKind.Relative));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        // An empty tile is 204; a tile with the signal is 200 with a body.
        return response.StatusCode == HttpStatusCode.OK && bytes.Length == 0 ? HttpStatusCode.InternalServerError : response.StatusCode;
    }

    public async Task<long> ReplicaTileCallsAsync()
    {
        await using var connection = new NpgsqlConnection(Replica());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT coalesce(sum(calls), 0)::int8 FROM pg_stat_user_functions WHERE funcname = 'tile_signals'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task ReplayAsync(bool paused)
    {
        await using var connection = new NpgsqlConnection(Replica());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(paused ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Writes, reads and key revocation across the two nodes, the replica and nginx.</summary>
public sealed class ReplicaScaleOutTests(ReplicaTopology t) : IClassFixture<ReplicaTopology>
{
    [Fact]
    public async Task Tiles_come_from_the_replica_writes_show_on_the_other_node_within_two_seconds_and_a_lagging_replica_is_not_read()
    {
        using var viaNginx = t.Client(t.Nginx);
        using var a = t.Client(t.NodeA);
        using var b = t.Client(t.NodeB);

        // 1. A tile from node B, with the replica current, is computed on the replica.
        var quietTile = await t.TileOfAsync(121_000, 487_000);
        var callsBefore = await t.ReplicaTileCallsAsync();
        Assert.Equal(HttpStatusCode.NoContent, await ReplicaTopology.TileStatusAsync(b, quietTile));
        Assert.True(await t.ReplicaTileCallsAsync() > callsBefore, "node B did not read the tile from the replica");

        // 2. A signal imported through nginx appears in both nodes' tiles within 2 s (B had the
        //    empty tile cached: the NOTIFY from the primary drops it).
        var first = await t.TileOfAsync(121_500, 487_500);
        Assert.Equal(HttpStatusCode.NoContent, await ReplicaTopology.TileStatusAsync(a, first));
        Assert.Equal(HttpStatusCode.NoContent, await ReplicaTopology.TileStatusAsync(b, first));
        await ReplicaTopology.ImportSignalAsync(viaNginx, "R-1", 121_500, 487_500);
        var clock = Stopwatch.StartNew();
        await t.WaitForAsync(async () => await ReplicaTopology.TileStatusAsync(b, first) == HttpStatusCode.OK, TimeSpan.FromSeconds(2), "first signal in node B's tile");
        await t.WaitForAsync(async () => await ReplicaTopology.TileStatusAsync(a, first) == HttpStatusCode.OK, TimeSpan.FromSeconds(2) - clock.Elapsed, "first signal in node A's tile");

        // 3. The replica stops replaying: a signal imported through node A is still in node B's
        //    tile at once (B heard the write and reads the primary), and B reports the lag.
        await t.ReplayAsync(paused: true);
        try
        {
            var second = await t.TileOfAsync(122_500, 488_500);
            Assert.Equal(HttpStatusCode.NoContent, await ReplicaTopology.TileStatusAsync(b, second));
            await ReplicaTopology.ImportSignalAsync(a, "R-2", 122_500, 488_500);
            await t.WaitForAsync(async () => await ReplicaTopology.TileStatusAsync(b, second) == HttpStatusCode.OK, TimeSpan.FromSeconds(2), "second signal in node B's tile while the replica is paused");
            await t.WaitForAsync(async () => (await ReplicaTopology.HealthAsync(t.NodeB))?.GetProperty("replica").GetProperty("reads_from").GetString() == "primary",
                TimeSpan.FromSeconds(2), "node B reading the primary");
            await t.WaitForAsync(async () => (await ReplicaTopology.HealthAsync(t.NodeB))?.GetProperty("replica").GetProperty("status").GetString() == "lagging",
                TimeSpan.FromSeconds(15), "node B reporting the replica as lagging");
            var lagging = (await ReplicaTopology.HealthAsync(t.NodeB))!.Value.GetProperty("replica");
            Assert.True(lagging.GetProperty("lag_bytes").GetInt64() > 0, lagging.ToString());
            // The replica itself really does not have the signal: the tile was not read there.
            await using var replica = new NpgsqlConnection(t.Replica());
            await replica.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM signal WHERE external_id = 'R-2'", replica);
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        }
        finally
        {
            await t.ReplayAsync(paused: false);
        }

        // 4. Replay resumes: both nodes go back to the replica.
        foreach (var node in new[] { t.NodeA, t.NodeB })
        {
            await t.WaitForAsync(async () => (await ReplicaTopology.HealthAsync(node))?.GetProperty("replica").GetProperty("reads_from").GetString() == "replica",
                TimeSpan.FromSeconds(10), $"{node} reading the replica again");
        }
    }

    [Fact]
    public async Task A_key_revoked_through_one_node_is_refused_by_the_other_and_through_nginx()
    {
        using var a = t.Client(t.NodeA);
        using var created = await a.PostAsync(new Uri("/api/keys", UriKind.Relative),
            new StringContent("""{"role":"analyst","label":"replica test analyst"}""", Encoding.UTF8, "application/json"));
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.IsSuccessStatusCode, body);
        var json = JsonDocument.Parse(body).RootElement;
        var token = json.GetProperty("key").GetString()!;
        var id = json.GetProperty("info").GetProperty("id").GetString()!;
        using var analystOnB = t.Client(t.NodeB, token);
        Assert.Equal(HttpStatusCode.OK, (await analystOnB.GetAsync(new Uri("/api/categories", UriKind.Relative))).StatusCode);

        using var revoke = await a.PostAsync(new Uri($"/api/keys/{id}/revoke", UriKind.Relative), null);
        Assert.True(revoke.IsSuccessStatusCode, await revoke.Content.ReadAsStringAsync());
        await t.WaitForAsync(async () => (await analystOnB.GetAsync(new Uri("/api/categories", UriKind.Relative))).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(2), "revoked key refused by node B");
        using var analystViaNginx = t.Client(t.Nginx, token);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await analystViaNginx.GetAsync(new Uri("/api/categories", UriKind.Relative))).StatusCode);
        }
    }
}
