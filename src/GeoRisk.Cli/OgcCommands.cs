using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using GeoRisk.Data.Ogc;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Cli;

/// <summary>
/// <c>georisk ogc bench-items</c>: one page of OGC API items through the API against the same
/// rows turned into GeoJSON by <c>ST_AsGeoJSON(record)</c> and read straight through Npgsql,
/// requests interleaved so both sides see the same machine load (scripts/bench-ogc.sh).
/// </summary>
internal static class OgcCommands
{
    public static Command Create()
    {
        var ogc = new Command("ogc", "OGC API: benchmark");
        var api = new Option<string>("--api") { Description = "Base URL of the API", Required = true };
        var key = new Option<string>("--key") { Description = "API key to send", Required = true };
        var kind = new Option<string>("--kind") { Description = "Area kind (collection areas-{kind})", DefaultValueFactory = _ => "custom" };
        var limit = new Option<int>("--limit") { Description = "Features in the page", DefaultValueFactory = _ => 10_000 };
        var requests = new Option<int>("--requests") { Description = "Measured requests per side", DefaultValueFactory = _ => 9 };
        var apiPid = new Option<int?>("--api-pid") { Description = "Process id of the API (same machine): prints its CPU time per page" };
        var bench = new Command("bench-items", "Median latency of one page of area items: API vs ST_AsGeoJSON straight from PostgreSQL") { api, key, kind, limit, requests, apiPid };
        bench.SetAction((parse, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var db = CliDatabase.Open();
            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(api)!), Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", parse.GetValue(key));
            var n = Math.Max(3, parse.GetValue(requests));
            var pageSize = parse.GetValue(limit);
            var pid = parse.GetValue(apiPid);
            var collection = OgcCollections.ForKind(parse.GetValue(kind)!, "bench");
            // The baseline: the collection's own rows in the API's order and number, ST_AsGeoJSON(record)
            // per row in the answer's CRS and decimals, read as strings. CRS84 reads the CRS84 boundary
            // the source offers (stored beside the RD New one) as the API does; the projecting query,
            // for comparison with earlier runs, projects every vertex per request as the API did before
            // the boundary was stored in CRS84. RD New reads the stored RD New boundary. In both CRSs the
            // API copies the GeoJSON text PostgreSQL keeps per area while the baseline writes it from
            // the stored geometry: the same comparison for both lines, the raw cost of the answer.
            string Raw(string geometry, int decimals) => $"""
                SELECT ST_AsGeoJSON(t.*, 'geom', {decimals})
                FROM (SELECT s.id, {geometry} AS geom, s.code, s.name, s.kind, s.parent_code, s.exposure,
                             s.exposure_unit, s.area_km2, s.valid_from
                      FROM ({OgcFeatureStore.Source(collection)}) s ORDER BY s.id LIMIT $4) t
                """;
            long expected;
            await using (var count = db.CreateCommand($"SELECT count(*) FROM ({OgcFeatureStore.Source(collection)}) s"))
            {
                count.Parameters.AddRange(SourceParameters(collection.Kind!));
                expected = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            }
            var features = Math.Min(pageSize, expected);

            async Task<(double Ms, long Rows, long Bytes)> RawAsync(string text)
            {
                var sw = Stopwatch.StartNew();
                await using var command = db.CreateCommand(text);
                command.Parameters.AddRange(SourceParameters(collection.Kind!));
                command.Parameters.Add(new NpgsqlParameter { Value = pageSize, NpgsqlDbType = NpgsqlDbType.Integer });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                long rows = 0, bytes = 0;
                while (await reader.ReadAsync(cancellationToken)) { bytes += reader.GetString(0).Length; rows++; }
                return (sw.Elapsed.TotalMilliseconds, rows, bytes);
            }

            // One answer of the API: its time, the API process's CPU time over it, and its size. Every
            // answer is checked (outside the clock: the baseline does not parse its rows either): 200,
            // numberReturned and the features array both the expected count, and the same size as the
            // first answer of its kind.
            async Task<(double Ms, double CpuMs, long Bytes)> ApiAsync(string url, long sameSizeAs)
            {
                var cpu0 = ProcessCpuMs(pid);
                var sw = Stopwatch.StartNew();
                byte[] body;
                HttpStatusCode status;
                using (var response = await http.GetAsync(url, cancellationToken))
                {
                    body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    status = response.StatusCode;
                }
                var ms = sw.Elapsed.TotalMilliseconds;
                var cpuMs = ProcessCpuMs(pid) - cpu0;
                if (status != HttpStatusCode.OK) throw new InvalidOperationException($"{url}: HTTP {(int)status}");
                if (sameSizeAs > 0 && body.Length != sameSizeAs) throw new InvalidOperationException($"{url}: {body.Length} bytes, the first answer had {sameSizeAs}");
                using var json = JsonDocument.Parse(body);
                var returned = json.RootElement.GetProperty("numberReturned").GetInt64();
                if (json.RootElement.GetProperty("features").GetArrayLength() != returned) throw new InvalidOperationException("numberReturned disagrees with the features");
                if (returned != features) throw new InvalidOperationException($"the API returned {returned} features, expected {features} of the {expected} the collection holds");
                return (ms, cpuMs, body.Length);
            }

            var cases = new (string Label, string Url, string Sql, string? ProjectingSql)[]
            {
                ("CRS84", $"/ogc/collections/{collection.Id}/items?limit={pageSize}", Raw("s.geom_crs84", 7), Raw("ST_Transform(s.geom, 4326)", 7)),
                ("EPSG:28992", $"/ogc/collections/{collection.Id}/items?limit={pageSize}&crs={Uri.EscapeDataString("http://www.opengis.net/def/crs/EPSG/0/28992")}", Raw("s.geom", 2), null),
            };
            var targetsMet = true;
            foreach (var (label, url, sql, projectingSql) in cases)
            {
                var apiTimes = new List<double>();
                var apiCpu = new List<double>();
                var sqlTimes = new List<double>();
                var projectingTimes = new List<double>();
                long apiBytes = 0, sqlBytes = 0;
                const int warmUp = 2;
                for (var i = 0; i < n + warmUp; i++)
                {
                    var (apiMs, cpuMs, bytes) = await ApiAsync(url, apiBytes);
                    apiBytes = bytes;
                    var (sqlMs, rows, rawBytes) = await RawAsync(sql);
                    if (rows != features) throw new InvalidOperationException($"the API returned {features} features, the query {rows}");
                    if (sqlBytes > 0 && rawBytes != sqlBytes) throw new InvalidOperationException($"the query returned {rawBytes} bytes, before {sqlBytes}");
                    sqlBytes = rawBytes;
                    var projectingMs = double.NaN;
                    if (projectingSql is not null)
                    {
                        (projectingMs, var projectingRows, _) = await RawAsync(projectingSql);
                        if (projectingRows != features) throw new InvalidOperationException($"the API returned {features} features, the projecting query {projectingRows}");
                    }
                    if (i < warmUp) continue;
                    apiTimes.Add(apiMs);
                    apiCpu.Add(cpuMs);
                    sqlTimes.Add(sqlMs);
                    projectingTimes.Add(projectingMs);
                }
                var a = Median(apiTimes);
                var q = Median(sqlTimes);
                targetsMet &= a <= 300 && q / a >= 0.8;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"items {label}: {features:N0} features, API {apiBytes / 1e6:F1} MB, ST_AsGeoJSON {sqlBytes / 1e6:F1} MB (every answer checked: 200, size, count)"));
                // The mean, not the median: /proc counts in 10 ms ticks, too coarse for one page.
                var cpuNote = pid is null ? "" : string.Create(CultureInfo.InvariantCulture, $"; API process CPU per page mean {apiCpu.Average():F0} ms");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  api        median {a,8:F1} ms  ({features / a * 1000,9:N0} features/s)   target <= 300 ms{cpuNote}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  raw sql    median {q,8:F1} ms  ({features / q * 1000,9:N0} features/s)"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  throughput ratio api/raw = {q / a:F2}   target >= 0.8"));
                if (projectingSql is not null)
                {
                    var pq = Median(projectingTimes);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  raw sql projecting per request (ST_Transform): median {pq,8:F1} ms  ({features / pq * 1000,9:N0} features/s, api/that = {pq / a:F2})"));
                }
            }
            Console.WriteLine(targetsMet ? "targets met in both CRSs" : "targets NOT met in every CRS");
            return 0;
        }));
        ogc.Subcommands.Add(bench);
        return ogc;
    }

    /// <summary>$1 scope (none: admin), $2 suppression (none), $3 the area kind.</summary>
    private static NpgsqlParameter[] SourceParameters(string kind) =>
    [
        new() { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
        new() { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
        new() { Value = kind, NpgsqlDbType = NpgsqlDbType.Text },
    ];

    /// <summary>User + system CPU time of a process so far (Linux /proc), 0 without a process id.</summary>
    private static double ProcessCpuMs(int? pid)
    {
        if (pid is not { } p) return 0;
        // Fields 14 and 15 (utime, stime) in clock ticks, counted after the parenthesised command name.
        var stat = File.ReadAllText($"/proc/{p}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 1000.0 / ClockTicksPerSecond;
    }

    /// <summary>USER_HZ: 100 on Linux for every architecture .NET runs on.</summary>
    private const double ClockTicksPerSecond = 100;

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
