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
            // The baseline: the collection's own rows, CRS84 with 7 decimals, ST_AsGeoJSON(record) per row.
            var sql = $"""
                SELECT ST_AsGeoJSON(t.*, 'geom', 7)
                FROM (SELECT s.id, ST_Transform(s.geom, 4326) AS geom, s.code, s.name, s.kind, s.parent_code, s.exposure,
                             s.exposure_unit, s.area_km2, s.valid_from
                      FROM ({OgcFeatureStore.Source(collection)}) s ORDER BY s.id LIMIT $4) t
                """;
            var apiTimes = new List<double>();
            var sqlTimes = new List<double>();
            long apiBytes = 0, sqlBytes = 0, features = 0;
            const int warmUp = 2;
            for (var i = 0; i < n + warmUp; i++)
            {
                var sw = Stopwatch.StartNew();
                using (var response = await http.GetAsync(url, cancellationToken))
                {
                    var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: HTTP {(int)response.StatusCode}");
                    apiBytes = body.Length;
                    using var json = JsonDocument.Parse(body);
                    features = json.RootElement.GetProperty("numberReturned").GetInt64();
                    if (json.RootElement.GetProperty("features").GetArrayLength() != features) throw new InvalidOperationException("numberReturned disagrees with the features");
                }
                var apiMs = sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                await using (var command = db.CreateCommand(sql))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                    command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
                    command.Parameters.Add(new NpgsqlParameter { Value = collection.Kind!, NpgsqlDbType = NpgsqlDbType.Text });
                    command.Parameters.Add(new NpgsqlParameter { Value = pageSize, NpgsqlDbType = NpgsqlDbType.Integer });
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    long rows = 0, bytes = 0;
                    while (await reader.ReadAsync(cancellationToken)) { bytes += reader.GetString(0).Length; rows++; }
                    if (rows != features) throw new InvalidOperationException($"the API returned {features} features, the query {rows}");
                    sqlBytes = bytes;
                }
                var sqlMs = sw.Elapsed.TotalMilliseconds;
                if (i < warmUp) continue;
                apiTimes.Add(apiMs);
                sqlTimes.Add(sqlMs);
            }
            var a = Median(apiTimes);
            var q = Median(sqlTimes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"items: {features:N0} features, API {apiBytes / 1e6:F1} MB, ST_AsGeoJSON {sqlBytes / 1e6:F1} MB"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  api        median {a,8:F1} ms  ({features / a * 1000,9:N0} features/s)   target <= 300 ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  raw sql    median {q,8:F1} ms  ({features / q * 1000,9:N0} features/s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  throughput ratio api/raw = {q / a:F2}   target >= 0.8"));
            return 0;
        }));
        ogc.Subcommands.Add(bench);
        return ogc;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
