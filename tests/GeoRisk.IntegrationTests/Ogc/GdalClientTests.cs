using System.Diagnostics;
using System.Net;
using System.Text.Json;
using GeoRisk.IntegrationTests.Infrastructure;
using GeoRisk.IntegrationTests.Tiles;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GeoRisk.IntegrationTests.Ogc;

/// <summary>The API on a real loopback port over the demo database, for clients that run as processes.</summary>
#pragma warning disable CA1001 // disposed in DisposeAsync, as xunit fixtures are
public sealed class RealPortFixture : IAsyncLifetime
#pragma warning restore CA1001
{
    private TileApiFactory? _factory;

    public Uri BaseAddress { get; private set; } = null!;
    public TileApiFactory Factory => _factory!;

    public Task InitializeAsync()
    {
        _factory = new TileApiFactory(DemoDatabase.ConnectionString);
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        BaseAddress = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
    }
}

/// <summary>
/// GDAL (Debian's gdal-bin, as analysts have it) reads GeoRisk unmodified: the OAPIF driver lists
/// the collections and pages through items, applies a bbox; the GeoJSON driver reads RD New
/// coordinates; the MVT driver reads the OGC tiles. The key goes in GDAL_HTTP_HEADERS, never in the URL.
/// </summary>
public sealed class GdalClientTests(RealPortFixture server) : IClassFixture<RealPortFixture>
{
    private async Task<string> HeadersAsync() =>
        $"Authorization: Bearer {(await server.Factory.CreateKeyAsync(GeoRisk.Core.Access.Role.Admin)).Key.Token}";

    private static async Task<(int Exit, string Out, string Err)> RunAsync(string tool, string? headers, params string[] args)
    {
        var start = new ProcessStartInfo($"/usr/bin/{tool}") { RedirectStandardOutput = true, RedirectStandardError = true };
        Assert.True(File.Exists(start.FileName), $"{start.FileName} is missing: scripts/test.sh installs gdal-bin");
        foreach (var a in args) start.ArgumentList.Add(a);
        if (headers is not null) start.Environment["GDAL_HTTP_HEADERS"] = headers;
        start.Environment["GDAL_HTTP_TIMEOUT"] = "120";
        // Nothing from a proxy or a user's GDAL configuration.
        start.Environment.Remove("http_proxy");
        start.Environment.Remove("HTTP_PROXY");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private string Ogc => new Uri(server.BaseAddress, "/ogc").ToString();

    [Fact]
    public async Task Ogrinfo_lists_the_collections_with_a_bearer_header_and_fails_without()
    {
        var (exit, output, error) = await RunAsync("ogrinfo", await HeadersAsync(), "-ro", "-q", $"OAPIF:{Ogc}");
        Assert.True(exit == 0, error);
        foreach (var id in new[] { "areas", "scores", "signal-cells", "hotspots", "cameras", "incidents", "scans", "scan-comparisons", "signals", "areas-buurt" })
            Assert.Contains($": {id} ", output, StringComparison.Ordinal);

        var (anonymousExit, anonymousOutput, _) = await RunAsync("ogrinfo", null, "-ro", "-q", $"OAPIF:{Ogc}");
        Assert.NotEqual(0, anonymousExit);
        Assert.DoesNotContain("areas-buurt", anonymousOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ogr2ogr_pages_through_items_in_crs84_and_applies_a_bbox()
    {
        var headers = await HeadersAsync();
        var expected = await OgcApiFixture.ScalarAsync<long>("SELECT count(*) FROM area WHERE kind = 'buurt' AND valid_to IS NULL");
        var target = Path.Combine(Path.GetTempPath(), $"georisk-gdal-{Guid.NewGuid():N}.geojson");
        try
        {
            // Pages of 10: several requests following 'next' links.
            var (exit, _, error) = await RunAsync("ogr2ogr", headers, "-f", "GeoJSON", target, "-oo", "PAGE_SIZE=10", $"OAPIF:{Ogc}", "areas-buurt");
            Assert.True(exit == 0, error);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(target));
            var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
            Assert.Equal(expected, features.Count);
            Assert.Equal(features.Count, features.Select(f => f.GetProperty("properties").GetProperty("code").GetString()).Distinct().Count());
            var first = features[0].GetProperty("geometry").GetProperty("coordinates")[0][0][0];
            Assert.InRange(first[0].GetDouble(), 4.7, 5.0);
            Assert.InRange(first[1].GetDouble(), 52.2, 52.4);
        }
        finally
        {
            File.Delete(target);
        }

        // -spat is sent as bbox (lon/lat): only the buurten that intersect it.
        var inBox = await OgcApiFixture.ScalarAsync<long>(
            "SELECT count(*) FROM area WHERE kind = 'buurt' AND valid_to IS NULL AND ST_Intersects(geom, ST_Transform(ST_Segmentize(ST_MakeEnvelope(4.85, 52.29, 4.87, 52.31, 4326), 0.01), 28992))");
        var (spatExit, spatOut, spatErr) = await RunAsync("ogrinfo", headers, "-ro", "-so", "-spat", "4.85", "52.29", "4.87", "52.31", "-oo", "PAGE_SIZE=5", $"OAPIF:{Ogc}", "areas-buurt");
        Assert.True(spatExit == 0, spatErr);
        Assert.True(inBox > 0 && inBox < expected);
        Assert.Contains($"Feature Count: {inBox}", spatOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ogr2ogr_reads_the_scan_comparisons_with_their_properties()
    {
        var expected = await OgcApiFixture.ScalarAsync<long>("SELECT count(*) FROM scan_comparison c JOIN scan b ON b.id = c.baseline_scan_id AND b.is_baseline");
        var target = Path.Combine(Path.GetTempPath(), $"georisk-gdal-{Guid.NewGuid():N}.geojson");
        try
        {
            var (exit, _, error) = await RunAsync("ogr2ogr", await HeadersAsync(), "-f", "GeoJSON", target, "-oo", "PAGE_SIZE=10", $"OAPIF:{Ogc}", "scan-comparisons");
            Assert.True(exit == 0, error);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(target));
            var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
            Assert.Equal(expected, features.Count);
            var up = await OgcApiFixture.ScalarAsync<long>("SELECT count(*) FROM scan_comparison WHERE class <> 'no-change'");
            Assert.Equal(up, features.Count(f => f.GetProperty("properties").GetProperty("class").GetString() != "no-change"));
            Assert.All(features, f => Assert.Equal("nulmeting-2025", f.GetProperty("properties").GetProperty("baseline").GetString()));
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public async Task Items_in_rd_new_open_as_epsg_28992()
    {
        var url = new Uri(server.BaseAddress, "/ogc/collections/areas-buurt/items?limit=1000&crs=http://www.opengis.net/def/crs/EPSG/0/28992").ToString();
        var (exit, output, error) = await RunAsync("ogrinfo", await HeadersAsync(), "-ro", "-so", "-al", $"GeoJSON:{url}");
        Assert.True(exit == 0, error);
        Assert.Contains("ID[\"EPSG\",28992]", output, StringComparison.Ordinal);
        var extent = await OgcApiFixture.ScalarAsync<string>(
            "SELECT floor(ST_XMin(e))::int || ', ' || floor(ST_YMin(e))::int FROM (SELECT ST_Extent(geom) AS e FROM area WHERE kind = 'buurt' AND valid_to IS NULL) x");
        var (x0, y0, _, _) = Extent(output);
        Assert.Equal(extent, $"{(int)Math.Floor(x0)}, {(int)Math.Floor(y0)}");
    }

    [Fact]
    public async Task The_mvt_driver_reads_the_ogc_tiles_of_both_tile_matrix_sets()
    {
        var headers = await HeadersAsync();
        // WebMercatorQuad 12, row 1345, column 2103: the tile of central Amsterdam. "?f=mvt" keeps
        // GDAL from reading the path's last numbers as z/x/y of a tile directory (they are row/col).
        var wm = new Uri(server.BaseAddress, "/ogc/collections/areas/tiles/WebMercatorQuad/12/1345/2103?f=mvt").ToString();
        var (exit, output, error) = await RunAsync("ogrinfo", headers, "-ro", "-al", "-so", "-oo", "Z=12", "-oo", "X=2103", "-oo", "Y=1345",
            "-where", "code = 'PC4-1012'", $"/vsicurl/{wm}");
        Assert.True(exit == 0, error);
        Assert.Contains("using driver `MVT'", output, StringComparison.Ordinal);
        Assert.Contains("Feature Count: 1", output, StringComparison.Ordinal);
        // Georeferenced in EPSG:3857 by the driver, where 1012 lies in the very tile GDAL read:
        // the same tile decoded here (every vertex of the feature, in tile units, y down).
        var (x0, y0, x1, y1) = Extent(output);
        var tile = new GeoRisk.Core.Tiles.TileId(12, 2103, 1345).Envelope;
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Add("Authorization", headers["Authorization: ".Length..]);
        var decoded = Mvt.Decode(await http.GetByteArrayAsync(new Uri("/ogc/collections/areas/tiles/WebMercatorQuad/12/1345/2103?f=mvt", UriKind.Relative)));
        var layer = decoded.Layers.Single(l => l.Name == "areas");
        var feature = layer.Features.Single(f => Equals(Mvt.Attributes(layer, f)["code"], "PC4-1012"));
        var vertices = Vertices(feature.Geometry).ToList();
        var tileUnit = (tile.MaxX - tile.MinX) / layer.Extent;
        double X(int u) => tile.MinX + u * tileUnit;
        double Y(int v) => tile.MaxY - v * tileUnit;
        var got = $"{x0:F0} {y0:F0} {x1:F0} {y1:F0}";
        var want = $"{X(vertices.Min(p => p.U)):F0} {Y(vertices.Max(p => p.V)):F0} {X(vertices.Max(p => p.U)):F0} {Y(vertices.Min(p => p.V)):F0}";
        // East and north edges to two tile units. At the west and south end (where the real
        // boundary is clipped by the tile) GDAL 3.6's MVT reader reports a 100-150 m smaller
        // extent than the tile's vertices (parts it does not keep), so there it must lie within.
        Assert.True(Math.Abs(x1 - X(vertices.Max(p => p.U))) <= 2 * tileUnit && Math.Abs(y1 - Y(vertices.Min(p => p.V))) <= 2 * tileUnit
                    && x0 >= X(vertices.Min(p => p.U)) - 2 * tileUnit && x0 < x1
                    && y0 >= Y(vertices.Max(p => p.V)) - 2 * tileUnit && y0 < y1,
            $"GDAL extent {got}, tile {want}");
        // ... and that is where PostGIS has 1012, up to what a tile unit of 2.4 m and the clipping
        // at the tile's edge leave of a real boundary.
        var e = (await OgcApiFixture.ScalarAsync<string>(
            "SELECT ST_XMin(geom_3857) || ',' || ST_XMax(geom_3857) FROM area WHERE code = 'PC4-1012' AND valid_to IS NULL"))
            .Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.InRange(x0, e[0] - 1, e[1]);

        // NetherlandsRDNewQuad 5/15/14 holds the Dam. The driver reads it in tile units (y up);
        // mapped through the tile matrix set they give 1012's box in RD New.
        var rd = new Uri(server.BaseAddress, "/ogc/collections/areas/tiles/NetherlandsRDNewQuad/5/15/14?f=mvt").ToString();
        var (rdExit, rdOutput, rdError) = await RunAsync("ogrinfo", headers, "-ro", "-al", "-so", "-where", "code = 'PC4-1012'", $"/vsicurl/{rd}");
        Assert.True(rdExit == 0, rdError);
        Assert.Contains("Feature Count: 1", rdOutput, StringComparison.Ordinal);
        var (px0, py0, px1, py1) = Extent(rdOutput);
        var (minX, minY, maxX, _) = GeoRisk.Core.Ogc.TileMatrixSet.NetherlandsRdNewQuad.Envelope(5, 15, 14);
        var unit = (maxX - minX) / 4096;
        var rdBox = (await OgcApiFixture.ScalarAsync<string>(
            "SELECT ST_XMin(geom) || ',' || ST_YMin(geom) || ',' || ST_XMax(geom) || ',' || ST_YMax(geom) FROM area WHERE code = 'PC4-1012' AND valid_to IS NULL"))
            .Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.InRange(minX + px0 * unit, rdBox[0] - 2 * unit, rdBox[0] + 2 * unit);
        Assert.InRange(minY + py0 * unit, rdBox[1] - 2 * unit, rdBox[1] + 2 * unit);
        Assert.InRange(minX + px1 * unit, rdBox[2] - 2 * unit, rdBox[2] + 2 * unit);
        Assert.InRange(minY + py1 * unit, rdBox[3] - 2 * unit, rdBox[3] + 2 * unit);
    }

    /// <summary>Every vertex of an MVT geometry (MoveTo/LineTo parameters, zigzag deltas), in tile units.</summary>
    private static IEnumerable<(int U, int V)> Vertices(Google.Protobuf.Collections.RepeatedField<uint> g)
    {
        int u = 0, v = 0, i = 0;
        while (i < g.Count)
        {
            var (command, count) = (g[i] & 7, (int)(g[i] >> 3));
            i++;
            if (command == 7) continue; // ClosePath has no parameters
            for (var n = 0; n < count; n++, i += 2)
            {
                u += Zig(g[i]);
                v += Zig(g[i + 1]);
                yield return (u, v);
            }
        }
        static int Zig(uint z) => (int)(z >> 1) ^ -(int)(z & 1);
    }

    /// <summary>The numbers of ogrinfo's "Extent: (x0, y0) - (x1, y1)" line.</summary>
    private static (double X0, double Y0, double X1, double Y1) Extent(string ogrinfo)
    {
        var line = ogrinfo.Split('\n').Single(l => l.StartsWith("Extent:", StringComparison.Ordinal));
        var m = System.Text.RegularExpressions.Regex.Matches(line, @"-?[0-9]+(\.[0-9]+)?").Select(x => double.Parse(x.Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (m[0], m[1], m[2], m[3]);
    }
}
