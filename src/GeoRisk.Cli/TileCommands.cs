using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GeoRisk.Rendering;
using GeoRisk.Tiles.Styles;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoRisk.Cli;

/// <summary><c>georisk tiles ...</c>: tile tooling (the tiles themselves are served by the API).</summary>
internal static class TileCommands
{
    public static Command Create()
    {
        var tiles = new Command("tiles", "Map tiles: rendering benchmark");

        var input = new Option<FileInfo>("--input") { Description = "CSV with header 'wkt,value': polygons in EPSG:3857, value 0-100", Required = true };
        var iterations = new Option<int>("--iterations") { Description = "Renders to time (after 20 warm-up renders)", DefaultValueFactory = _ => 200 };
        var size = new Option<int>("--size") { Description = "Tile size in pixels", DefaultValueFactory = _ => 256 };
        var output = new Option<FileInfo?>("--output") { Description = "Write the last rendering here (PNG)" };
        var bench = new Command("bench-render",
            "Time the raster renderer on the non-overlapping polygons of a CSV (areas colour ramp, outline, PNG encoding, drawn by a raster style as the hexbins layer's), one tile of their extent")
            { input, iterations, size, output };
        bench.SetAction(parseResult =>
        {
            var file = parseResult.GetValue(input)!;
            var n = Math.Max(1, parseResult.GetValue(iterations));
            var pixels = Math.Clamp(parseResult.GetValue(size), 16, 4096);
            var features = ReadFeatures(file.FullName);
            var styles = TileStyles.Load();
            // Drawn by the raster style as the hexbins layer's: one rule, cells that never overlap.
            var style = new GeoRisk.Tiles.RasterStyle(
            [
                new GeoRisk.Tiles.RasterRule
                {
                    Fill = styles.Areas.FillFor, Outline = styles.Areas.OutlineColour, OutlineWidth = styles.Areas.OutlineWidth, Partition = true,
                },
            ]);
            var rasterFeatures = features.Select(f => new GeoRisk.Tiles.RasterFeature(f.Geometry, null, f.Value)).ToList();
            var times = new List<double>();
            byte[] png = [];
            for (var i = 0; i < n + 20; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                using (var canvas = new RasterCanvas(pixels, pixels, pixels / 256.0))
                {
                    style.Draw(canvas, rasterFeatures);
                    png = canvas.ToPng();
                }
                if (i >= 20) times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            if (parseResult.GetValue(output) is { } outFile) File.WriteAllBytes(outFile.FullName, png);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"features={features.Count} size={pixels} renders={n} median_ms={times[times.Count / 2]:F3} p90_ms={times[(int)(times.Count * 0.9)]:F3} png_bytes={png.Length}"));
            return 0;
        });
        tiles.Subcommands.Add(bench);
        tiles.Subcommands.Add(BenchCold());
        return tiles;
    }

    /// <summary>
    /// Cold tile latency: the API (run with its cache off) against the layer's own query run
    /// directly through Npgsql (same SQL, same parameters, binary protocol, no HTTP), requests
    /// interleaved so that both see the same machine load.
    /// </summary>
    private static Command BenchCold()
    {
        var api = new Option<string>("--api") { Description = "Base URL of an API started with Tiles:Cache:Enabled=false", Required = true };
        var layerOption = new Option<string>("--layer") { Description = "Layer id", Required = true };
        var tileOption = new Option<string[]>("--tile") { Description = "z/x/y, repeatable", Required = true, AllowMultipleArgumentsPerToken = true };
        var requests = new Option<int>("--requests") { Description = "Requests per tile and side", DefaultValueFactory = _ => 15 };
        var key = new Option<string?>("--key") { Description = "API key to send (every endpoint needs one)" };
        var viewerK = new Option<int?>("--viewer-k") { Description = "The key is a viewer's: run the direct query as a suppressed caller with this k" };
        var command = new Command("bench-cold", "Median cold latency of tiles through the API vs the same query straight to PostgreSQL")
            { api, layerOption, tileOption, requests, key, viewerK };
        command.SetAction((parseResult, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var styles = TileStyles.Load();
            var id = parseResult.GetValue(layerOption)!;
            GeoRisk.Tiles.TileLayerDefinition[] definitions =
            [
                GeoRisk.Tiles.Layers.AreasLayer.Create(styles),
                GeoRisk.Tiles.Layers.SignalsLayer.Create(styles),
                GeoRisk.Tiles.Layers.HexbinsLayer.Create(dataSource, styles),
                GeoRisk.Tiles.Layers.CamerasLayer.Create(styles),
                GeoRisk.Tiles.Layers.IncidentsLayer.Create(styles),
            ];
            var layer = new GeoRisk.Tiles.DefinedTileLayer(
                definitions.FirstOrDefault(d => d.Id == id) ?? throw new InvalidOperationException($"unknown layer '{id}'"),
                GeoRisk.Tiles.TileFormat.Mvt, new GeoRisk.Data.ReadRouting(dataSource, null, Microsoft.Extensions.Logging.Abstractions.NullLogger<GeoRisk.Data.ReadRouting>.Instance));
            using var http = new HttpClient { BaseAddress = new Uri(parseResult.GetValue(api)!) };
            if (parseResult.GetValue(key) is { Length: > 0 } token)
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var n = Math.Max(3, parseResult.GetValue(requests));
            var scope = parseResult.GetValue(viewerK) is int k ? new Core.Access.CallerScope("viewer", null, true, k) : Core.Access.CallerScope.Unrestricted;
            double sumApi = 0, sumSql = 0;
            Console.WriteLine($"{"tile",-26} {"bytes",9} {"api_ms",9} {"sql_ms",9} {"ratio",6}");
            foreach (var text in parseResult.GetValue(tileOption)!)
            {
                var parts = text.Split('/');
                if (parts.Length != 3) throw new InvalidOperationException($"tile '{text}': expected z/x/y");
                if (!Core.Tiles.TileId.TryParse(parts[0], parts[1], parts[2], out var tile, out var error))
                    throw new InvalidOperationException($"tile '{text}': {error}");
                var apiTimes = new List<double>();
                var sqlTimes = new List<double>();
                long bytes = 0;
                var warmUp = sumApi == 0 ? 6 : 2; // the first tile also warms up the API's JIT
                for (var i = 0; i < n + warmUp; i++)
                {
                    var sw = Stopwatch.StartNew();
                    using (var response = await http.GetAsync($"/tiles/{id}/{tile}.mvt", cancellationToken))
                    {
                        response.EnsureSuccessStatusCode();
                        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                        if (response.Headers.TryGetValues("X-Cache", out var cache) && cache.Single() == "HIT")
                            throw new InvalidOperationException("the API serves from its cache: start it with Tiles__Cache__Enabled=false");
                        bytes = body.Length;
                    }
                    var apiMs = sw.Elapsed.TotalMilliseconds;
                    sw.Restart();
                    var raw = await layer.GetTileAsync(tile, GeoRisk.Tiles.TileFilter.None, scope, cancellationToken);
                    var sqlMs = sw.Elapsed.TotalMilliseconds;
                    if (raw.Length != bytes) throw new InvalidOperationException($"tile {tile}: API sent {bytes} bytes, the query returned {raw.Length}");
                    if (i < warmUp) continue; // warm-up: connections, plans, JIT
                    apiTimes.Add(apiMs);
                    sqlTimes.Add(sqlMs);
                }
                var a = Median(apiTimes);
                var q = Median(sqlTimes);
                sumApi += a;
                sumSql += q;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id + "/" + tile,-26} {bytes,9} {a,9:F2} {q,9:F2} {a / q,6:F2}"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total api_ms={sumApi:F2} sql_ms={sumSql:F2} ratio={sumApi / sumSql:F3}"));
            return 0;
        }));
        return command;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    /// <summary>Reads the polygons and maps their common extent onto the 4096-unit tile frame (y down), as ST_AsMVTGeom would.</summary>
    private static List<(Geometry Geometry, double Value)> ReadFeatures(string path)
    {
        var reader = new WKTReader();
        var raw = File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var comma = line.LastIndexOf(',');
            return (reader.Read(line[..comma].Trim('"')), double.Parse(line[(comma + 1)..], CultureInfo.InvariantCulture));
        }).ToList();
        var env = new Envelope();
        foreach (var (g, _) in raw) env.ExpandToInclude(g.EnvelopeInternal);
        var side = Math.Max(env.Width, env.Height);
        var scale = RasterCanvas.DefaultExtent / side;
        return raw.Select(f =>
        {
            var g = f.Item1.Copy();
            g.Apply(new Transform(c => { c.X = (c.X - env.MinX) * scale; c.Y = (env.MinY + side - c.Y) * scale; }));
            return (g, f.Item2);
        }).ToList();
    }

    private sealed class Transform(Action<Coordinate> apply) : ICoordinateFilter
    {
        public void Filter(Coordinate coord) => apply(coord);
    }
}
