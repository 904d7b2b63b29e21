using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
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
        var bench = new Command("bench-items", "Median latency of one page of area items: API vs ST_AsGeoJSON straight from PostgreSQL") { api, key, kind, limit, requests };
        bench.SetAction((parse, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var db = CliDatabase.Open();
            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(api)!), Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", parse.GetValue(key));
            var n = Math.Max(3, parse.GetValue(requests));
            var pageSize = parse.GetValue(limit);
            var collection = OgcCollections.ForKind(parse.GetValue(kind)!, "bench");
            var url = $"/ogc/collections/{collection.Id}/items?limit={pageSize}";
            // The baseline: the collection's own rows, CRS84 with 7 decimals, ST_AsGeoJSON(record) per
            // row, read as strings. It reads the CRS84 boundary the source offers (stored beside the
            // RD New one) as the API does; the second, for comparison with earlier runs, projects
            // every vertex per request as the API did before the boundary was stored in CRS84.
            string Raw(string geometry) => $"""
                SELECT ST_AsGeoJSON(t.*, 'geom', 7)
                FROM (SELECT s.id, {geometry} AS geom, s.code, s.name, s.kind, s.parent_code, s.exposure,
                             s.exposure_unit, s.area_km2, s.valid_from
                      FROM ({OgcFeatureStore.Source(collection)}) s ORDER BY s.id LIMIT $4) t
                """;
            var sql = Raw("s.geom_crs84");
            var projectingSql = Raw("ST_Transform(s.geom, 4326)");
            var apiTimes = new List<double>();
            var sqlTimes = new List<double>();
            var projectingTimes = new List<double>();
            long apiBytes = 0, sqlBytes = 0, features = 0;
            long expected;
            await using (var count = db.CreateCommand($"SELECT count(*) FROM ({OgcFeatureStore.Source(collection)}) s"))
            {
                count.Parameters.AddRange(SourceParameters(collection.Kind!));
                expected = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            }
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
            const int warmUp = 2;
            for (var i = 0; i < n + warmUp; i++)
            {
                var sw = Stopwatch.StartNew();
                byte[] body;
                using (var response = await http.GetAsync(url, cancellationToken))
                {
                    body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: HTTP {(int)response.StatusCode}");
                }
                var apiMs = sw.Elapsed.TotalMilliseconds;
                // Checked after the clock stops: the baseline does not parse its rows either.
                apiBytes = body.Length;
                using (var json = JsonDocument.Parse(body))
                {
                    features = json.RootElement.GetProperty("numberReturned").GetInt64();
                    if (json.RootElement.GetProperty("features").GetArrayLength() != features) throw new InvalidOperationException("numberReturned disagrees with the features");
                    if (features != Math.Min(pageSize, expected)) throw new InvalidOperationException($"the API returned {features} features, the collection holds {expected}");
                }
                var (sqlMs, rows, bytes) = await RawAsync(sql);
                if (rows != features) throw new InvalidOperationException($"the API returned {features} features, the query {rows}");
                sqlBytes = bytes;
                var (projectingMs, projectingRows, _) = await RawAsync(projectingSql);
                if (projectingRows != features) throw new InvalidOperationException($"the API returned {features} features, the projecting query {projectingRows}");
                if (i < warmUp) continue;
                apiTimes.Add(apiMs);
                sqlTimes.Add(sqlMs);
                projectingTimes.Add(projectingMs);
            }
            var a = Median(apiTimes);
            var q = Median(sqlTimes);
            var pq = Median(projectingTimes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"items: {features:N0} features, API {apiBytes / 1e6:F1} MB, ST_AsGeoJSON {sqlBytes / 1e6:F1} MB"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  api        median {a,8:F1} ms  ({features / a * 1000,9:N0} features/s)   target <= 300 ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  raw sql    median {q,8:F1} ms  ({features / q * 1000,9:N0} features/s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  throughput ratio api/raw = {q / a:F2}   target >= 0.8"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  raw sql projecting per request (ST_Transform): median {pq,8:F1} ms  ({features / pq * 1000,9:N0} features/s, api/that = {pq / a:F2})"));
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

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
