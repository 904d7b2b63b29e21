using System.Diagnostics;
using System.Net;
using GeoRisk.IntegrationTests.Infrastructure;
using GeoRisk.IntegrationTests.Tiles;
using GeoRisk.Reports.Factsheets;
using GeoRisk.Tests.Support;
using GeoRisk.Tiles;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace GeoRisk.IntegrationTests.Basemaps;

/// <summary>
/// The server-side basemap in map cut-outs and factsheets, against a real tile server on a
/// loopback port (<see cref="TileServerFixture"/>) over the demo database: the composed images
/// hold the fixture's tiles at the right places; a slow, oversized, failing or nonsensical tile
/// server gives a cut-out without basemap and a note, never an error; without a basemap the
/// cut-out draws gemeente, wijk and buurt lines instead.
/// </summary>
public sealed class BasemapCutoutTests : IAsyncLifetime
{
    private const string Area = "PC4-1012";
    private const string Attribution = "Kaartgegevens © Testkadaster";
    private TileServerFixture _tiles = null!;

    public async Task InitializeAsync() => _tiles = await TileServerFixture.StartAsync();

    public async Task DisposeAsync() => await _tiles.DisposeAsync();

    private TileApiFactory Api(string? cacheDirectory = null, int timeoutMs = 3000, bool basemap = true) =>
        new(DemoDatabase.ConnectionString)
        {
            Settings = basemap
                ? new Dictionary<string, string?>
                {
                    ["WebMap:Basemap:Url"] = _tiles.Template,
                    ["WebMap:Basemap:Attribution"] = Attribution,
                    ["WebMap:Basemap:AllowedHosts:0"] = "127.0.0.1",
                    ["WebMap:Basemap:TimeoutMs"] = timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["WebMap:Basemap:CacheDirectory"] = cacheDirectory ?? "",
                }
                : new Dictionary<string, string?>(),
        };

    private static Uri MapUrl => new($"/api/areas/{Area}/map.png?width=600&height=400&layers=incidents", UriKind.Relative);

    /// <summary>The cut-out's frame in EPSG:3857, as the renderer fits it.</summary>
    private static async Task<GeoRisk.Core.Tiles.Envelope3857> FrameAsync()
    {
        await using var db = NpgsqlDataSource.Create(DemoDatabase.ConnectionString);
        await using var cmd = db.CreateCommand("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom_3857) e FROM area WHERE code = $1 AND valid_to IS NULL) x");
        cmd.Parameters.AddWithValue(Area);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return MapCutoutRenderer.Fit(new GeoRisk.Core.Tiles.Envelope3857(r.GetDouble(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3)), 600, 400);
    }

    private const double HalfWorld = 20037508.342789244;

    /// <summary>The fixture tile under a Web Mercator point at zoom z, and whether the point is well inside it.</summary>
    private static ((byte R, byte G, byte B) Colour, bool Inside) Expected(double x, double y, int z, double metresPerPixel)
    {
        var span = 2 * HalfWorld / (1 << z);
        var fx = (x + HalfWorld) / span;
        var fy = (HalfWorld - y) / span;
        int tx = (int)Math.Floor(fx), ty = (int)Math.Floor(fy);
        var margin = 3 * metresPerPixel / span;
        var inside = fx - tx > margin && tx + 1 - fx > margin && fy - ty > margin && ty + 1 - fy > margin;
        return (TileServerFixture.ColourOf(tx, ty), inside);
    }

    private static bool Near((byte R, byte G, byte B) a, (byte R, byte G, byte B) b, int tolerance = 10) =>
        Math.Abs(a.R - b.R) <= tolerance && Math.Abs(a.G - b.G) <= tolerance && Math.Abs(a.B - b.B) <= tolerance;

    /// <summary>Share of sample pixels that show the fixture tile expected there; and whether both colours were seen.</summary>
    private async Task<(double Share, bool BothColours)> MatchCutoutAsync(byte[] png)
    {
        var image = DecodedPng.Decode(png);
        var frame = await FrameAsync();
        var mpp = frame.Width / 600;
        var zooms = _tiles.Requests.Select(r => r.Z).Distinct().ToList();
        var z = Assert.Single(zooms);
        int matched = 0, counted = 0;
        var seen = new HashSet<(byte, byte, byte)>();
        for (var py = 10; py < 390; py += 12)
            for (var px = 10; px < 590; px += 12)
            {
                var (colour, inside) = Expected(frame.MinX + (px + 0.5) * mpp, frame.MaxY - (py + 0.5) * mpp, z, mpp);
                if (!inside) continue;
                counted++;
                var p = image.Pixel(px, py);
                if (Near((p.R, p.G, p.B), colour)) { matched++; seen.Add(colour); }
            }
        return ((double)matched / counted, seen.Count == 2);
    }

    private static int Count(byte[] png, Func<(byte R, byte G, byte B), bool> predicate)
    {
        var image = DecodedPng.Decode(png);
        var n = 0;
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var p = image.Pixel(x, y);
                if (predicate((p.R, p.G, p.B))) n++;
            }
        return n;
    }

    [Fact]
    public async Task The_cut_out_lies_on_the_fixture_tiles_where_they_belong_and_a_second_one_comes_from_the_cache()
    {
        var cache = Directory.CreateTempSubdirectory("georisk-basemap-test-").FullName;
        try
        {
            await using (var api = Api(cache))
            {
                using var client = api.CreateClient();
                var response = await client.GetAsync(MapUrl);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("drawn", response.Headers.GetValues("GeoRisk-Basemap").Single());
                var png = await response.Content.ReadAsByteArrayAsync();
                var (share, both) = await MatchCutoutAsync(png);
                Assert.True(share >= 0.8, $"only {share:P0} of the sample pixels show the fixture tile that lies there");
                Assert.True(both, "the cut-out spans tiles of both colours");
                var fetched = _tiles.Requests.Count;
                Assert.True(fetched >= 2);

                var again = await client.GetAsync(MapUrl);
                Assert.Equal(HttpStatusCode.OK, again.StatusCode);
                Assert.Equal(fetched, _tiles.Requests.Count); // memory cache
                Assert.Equal(png, await again.Content.ReadAsByteArrayAsync());
            }
            Assert.NotEmpty(Directory.EnumerateFiles(cache, "*.png", SearchOption.AllDirectories));
            var before = _tiles.Requests.Count;
            await using (var api = Api(cache))
            {
                using var client = api.CreateClient();
                var response = await client.GetAsync(MapUrl);
                Assert.Equal("drawn", response.Headers.GetValues("GeoRisk-Basemap").Single());
                Assert.Equal(before, _tiles.Requests.Count); // a new process: from the disk cache
            }
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task A_connection_dropped_before_an_answer_is_asked_again_and_the_basemap_drawn()
    {
        _tiles.Mode = TileServerMode.DropsFirstConnection;
        await using var api = Api();
        using var client = api.CreateClient();
        var response = await client.GetAsync(MapUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("drawn", response.Headers.GetValues("GeoRisk-Basemap").Single());
        var (share, _) = await MatchCutoutAsync(await response.Content.ReadAsByteArrayAsync());
        Assert.True(share >= 0.8, $"only {share:P0} of the sample pixels show the fixture tile that lies there");
        // Every tile was asked for twice: once on the dropped connection, once more.
        var perTile = _tiles.Requests.GroupBy(r => r).Select(g => g.Count()).ToList();
        Assert.NotEmpty(perTile);
        Assert.All(perTile, n => Assert.Equal(2, n));
    }

    [Theory]
    [InlineData(TileServerMode.Slow)]
    [InlineData(TileServerMode.Oversized)]
    [InlineData(TileServerMode.Failing)]
    [InlineData(TileServerMode.NotPng)]
    public async Task A_misbehaving_tile_server_gives_a_cut_out_and_a_factsheet_without_basemap_and_a_note(TileServerMode mode)
    {
        _tiles.Mode = mode;
        await using var api = Api(timeoutMs: 800);
        using var client = api.CreateClient();
        var clock = Stopwatch.StartNew();
        var response = await client.GetAsync(MapUrl);
        clock.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unavailable", response.Headers.GetValues("GeoRisk-Basemap").Single());
        Assert.NotEmpty(_tiles.Requests);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(0, Count(png, p => Near(p, TileServerFixture.Even) || Near(p, TileServerFixture.Odd)));
        // The slow server answers after 30 s; the budget is 0.8 s (generous bound for a loaded machine).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the cut-out waited {clock.Elapsed} for the tile server");

        var pdf = await client.GetAsync(new Uri($"/api/casustafels/1012/factsheet.pdf?area={Area}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("unavailable", pdf.Headers.GetValues("GeoRisk-Basemap").Single());
        var text = await PdfTextAsync(await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains("Achtergrondkaart niet beschikbaar", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Attribution, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tile_template_on_a_host_outside_the_allow_list_stops_start_up()
    {
        await using var api = new TileApiFactory(DemoDatabase.ConnectionString)
        {
            Settings = new Dictionary<string, string?>
            {
                ["WebMap:Basemap:Url"] = _tiles.Template,
                ["WebMap:Basemap:AllowedHosts:0"] = "service.pdok.nl",
            },
        };
        var e = Assert.ThrowsAny<Exception>(() => api.CreateClient());
        Assert.Contains("AllowedHosts", e.ToString(), StringComparison.Ordinal);
        Assert.Empty(_tiles.Requests);
    }

    [Fact]
    public async Task Without_a_basemap_the_cut_out_draws_the_surrounding_gemeente_wijk_and_buurt_lines()
    {
        await using var api = Api(basemap: false);
        using var client = api.CreateClient();
        var response = await client.GetAsync(MapUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("none", response.Headers.GetValues("GeoRisk-Basemap").Single());
        var png = await response.Content.ReadAsByteArrayAsync();
        // Grey lines and label text: with only the incidents layer on white nothing else is grey.
        var grey = Count(png, p => Math.Abs(p.R - p.G) < 6 && Math.Abs(p.G - p.B) < 6 && p.R is > 40 and < 200);
        Assert.True(grey > 1500, $"only {grey} grey pixels: no context lines drawn");
        Assert.Empty(_tiles.Requests);
    }

    [Fact]
    public async Task The_factsheet_pdf_holds_the_fixture_tiles_under_its_map_and_prints_the_attribution()
    {
        await using var api = Api();
        using var client = api.CreateClient();
        var response = await client.GetAsync(new Uri($"/api/casustafels/1012/factsheet.pdf?area={Area}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("drawn", response.Headers.GetValues("GeoRisk-Basemap").Single());
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.Contains(Attribution, await PdfTextAsync(pdf), StringComparison.Ordinal);

        // The page at 144 dpi: the map (1030 x 640 px drawn into 515 x 320 pt) is 1:1 on it.
        var page = DecodedPng.Decode(await PdfPageAsync(pdf, 144));
        var (mapLeft, mapTop) = ((int)(FactsheetPdf.MapLeft * 2), (int)(FactsheetPdf.MapTop * 2));
        var z = Assert.Single(_tiles.Requests.Select(r => r.Z).Distinct());

        await using var db = NpgsqlDataSource.Create(DemoDatabase.ConnectionString);
        Geometry area;
        await using (var cmd = db.CreateCommand("SELECT ST_AsBinary(geom) FROM area WHERE code = $1 AND valid_to IS NULL"))
        {
            cmd.Parameters.AddWithValue(Area);
            area = new WKBReader().Read((byte[])(await cmd.ExecuteScalarAsync())!);
        }
        var frame = FactsheetMap.Frame(area, FactsheetPdf.MapPixelWidth, FactsheetPdf.MapPixelHeight);
        var samples = new List<(int Px, int Py, double X, double Y)>();
        for (var py = 20; py < FactsheetPdf.MapPixelHeight - 60; py += 16)
            for (var px = 20; px < FactsheetPdf.MapPixelWidth - 20; px += 16)
            {
                var (x, y) = frame.ToWorld(px + 0.5, py + 0.5);
                samples.Add((px, py, x, y));
            }
        // Where each sample lies in Web Mercator, and whether it is inside the area (tinted by its score).
        var mercator = new List<(double X, double Y, bool InArea)>();
        await using (var cmd = db.CreateCommand("""
            SELECT ST_X(q), ST_Y(q), ST_Intersects(ST_Buffer(a.geom, 40), p)
            FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(x, y, i)
            CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(u.x, u.y), 28992) AS p) pp
            CROSS JOIN LATERAL (SELECT ST_Transform(pp.p, 3857) AS q) t
            CROSS JOIN (SELECT geom FROM area WHERE code = $3 AND valid_to IS NULL) a
            ORDER BY u.i
            """))
        {
            cmd.Parameters.AddWithValue(samples.Select(s => s.X).ToArray());
            cmd.Parameters.AddWithValue(samples.Select(s => s.Y).ToArray());
            cmd.Parameters.AddWithValue(Area);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) mercator.Add((r.GetDouble(0), r.GetDouble(1), r.GetBoolean(2)));
        }
        var mpp = frame.MetresPerPixel;
        int matched = 0, counted = 0;
        var seen = new HashSet<(byte, byte, byte)>();
        for (var i = 0; i < samples.Count; i++)
        {
            if (mercator[i].InArea) continue;
            var (colour, inside) = Expected(mercator[i].X, mercator[i].Y, z, mpp * 1.7); // Web Mercator metres are 1/cos(52.4°) RD metres
            if (!inside) continue;
            counted++;
            var p = page.Pixel(mapLeft + samples[i].Px, mapTop + samples[i].Py);
            if (Near((p.R, p.G, p.B), colour, 14)) { matched++; seen.Add(colour); }
        }
        Assert.True(counted > 100, $"{counted} sample points outside the area");
        var share = (double)matched / counted;
        Assert.True(share >= 0.75, $"only {share:P0} of the sample pixels show the fixture tile that lies there");
        Assert.Equal(2, seen.Count);
    }

    private static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"basemap-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try { return await RunAsync("pdftotext", path, "-"); }
        finally { File.Delete(path); }
    }

    private static async Task<byte[]> PdfPageAsync(byte[] pdf, int dpi)
    {
        var path = Path.Combine(Path.GetTempPath(), $"basemap-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(path + ".pdf", pdf);
        try
        {
            await RunAsync("pdftoppm", "-png", "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "1", "-l", "1", "-singlefile", path + ".pdf", path);
            return await File.ReadAllBytesAsync(path + ".png");
        }
        finally
        {
            File.Delete(path + ".pdf");
            File.Delete(path + ".png");
        }
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{file} exited with {p.ExitCode}: {await error}");
        return await output;
    }
}
