using System.Net;
using System.Text;
using GeoRisk.Data.Intake;
using GeoRisk.IntegrationTests.Infrastructure;
using GeoRisk.IntegrationTests.Tiles;
using GeoRisk.Tests.Support;
using GeoRisk.Tiles;
using Npgsql;

namespace GeoRisk.IntegrationTests.Basemaps;

/// <summary>
/// Open water as context of a cut-out without basemap: imported all or nothing from GeoJSON
/// (a bad feature writes nothing and is named), then filled under the context lines exactly where
/// it lies, and never where it does not.
/// </summary>
public sealed class WaterContextTests : IClassFixture<TestDatabaseFixture>
{
    private const string Area = "HAVEN-T";
    private readonly TestDatabase _db;

    public WaterContextTests(TestDatabaseFixture fixture) => _db = fixture.Database;

    // A 1 km square in Amsterdam (RD New); the water covers its western half and beyond.
    private static string WaterFile(params (string Code, string Name, string Ring)[] features)
    {
        var items = features.Select(f =>
            "{\"type\":\"Feature\",\"properties\":{\"code\":\"" + f.Code + "\",\"naam\":\"" + f.Name
            + "\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" + f.Ring + "]}}");
        return "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::28992\"}},\"features\":["
            + string.Join(",", items) + "]}";
    }

    private const string WestHalf = "[[119000,484000],[120500,484000],[120500,487000],[119000,487000],[119000,484000]]";

    private async Task<WaterImportResult> ImportAsync(string geojson) =>
        await new WaterImporter(_db.DataSource).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(geojson)), "code", "naam", null, CancellationToken.None);

    private async Task EnsureAreaAsync()
    {
        await using var cmd = _db.DataSource.CreateCommand("""
            INSERT INTO area (code, name, kind, geom)
            SELECT $1, 'Testhaven', 'custom', ST_Multi(ST_MakeEnvelope(120000, 485000, 121000, 486000, 28992))
            WHERE NOT EXISTS (SELECT 1 FROM area WHERE code = $1)
            """);
        cmd.Parameters.AddWithValue(Area);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Pixel (x, y) of an RD New point in the 600 × 400 cut-out of the area.</summary>
    private async Task<(int X, int Y)> PixelAsync(double rdX, double rdY)
    {
        await using var cmd = _db.DataSource.CreateCommand("""
            SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e),
                   ST_X(ST_Transform(ST_SetSRID(ST_Point($2, $3), 28992), 3857)), ST_Y(ST_Transform(ST_SetSRID(ST_Point($2, $3), 28992), 3857))
            FROM (SELECT ST_Extent(geom_3857) e FROM area WHERE code = $1 AND valid_to IS NULL) x
            """);
        cmd.Parameters.AddWithValue(Area);
        cmd.Parameters.AddWithValue(rdX);
        cmd.Parameters.AddWithValue(rdY);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        var frame = MapCutoutRenderer.Fit(new GeoRisk.Core.Tiles.Envelope3857(r.GetDouble(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3)), 600, 400);
        return ((int)((r.GetDouble(4) - frame.MinX) / frame.Width * 600), (int)((frame.MaxY - r.GetDouble(5)) / frame.Height * 400));
    }

    private static bool IsWater((byte R, byte G, byte B) p)
    {
        var fill = GeoRisk.Rendering.ContextLayer.WaterFill;
        return Math.Abs(p.R - fill.R) <= 6 && Math.Abs(p.G - fill.G) <= 6 && Math.Abs(p.B - fill.B) <= 6;
    }

    [Fact]
    public async Task Imported_water_is_filled_where_it_lies_and_nowhere_else_on_a_cut_out_without_basemap()
    {
        await EnsureAreaAsync();
        var first = await ImportAsync(WaterFile(("W-1", "Testhaven water", WestHalf)));
        Assert.True(first.Written);
        Assert.Equal((1, 0, 0), (first.Features, first.Replaced, first.Rejections.Count));

        await using var api = new TileApiFactory(_db.ConnectionString);
        using var client = api.CreateClient();
        var response = await client.GetAsync(new Uri($"/api/areas/{Area}/map.png?width=600&height=400&layers=incidents", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("none", response.Headers.GetValues("GeoRisk-Basemap").Single());
        var image = DecodedPng.Decode(await response.Content.ReadAsByteArrayAsync());

        // Inside the water (west half of the area and west of it) against dry land east of it.
        int wet = 0, dryButBlue = 0;
        foreach (var (x, y) in new[] { (120100.0, 485300.0), (120300, 485700), (119900, 485500), (120400, 485100) })
        {
            var (px, py) = await PixelAsync(x, y);
            var p = image.Pixel(px, py);
            if (IsWater((p.R, p.G, p.B))) wet++;
        }
        foreach (var (x, y) in new[] { (120700.0, 485300.0), (120900, 485700), (120650, 485500) })
        {
            var (px, py) = await PixelAsync(x, y);
            var p = image.Pixel(px, py);
            if (IsWater((p.R, p.G, p.B))) dryButBlue++;
        }
        Assert.Equal(4, wet);
        Assert.Equal(0, dryButBlue);

        // A re-import of the same code replaces its polygon: now the east half is wet.
        var second = await ImportAsync(WaterFile(("W-1", "Testhaven water", "[[120600,484000],[122000,484000],[122000,487000],[120600,487000],[120600,484000]]")));
        Assert.Equal((0, 1), (second.Inserted, second.Replaced));
        var again = DecodedPng.Decode(await client.GetByteArrayAsync(new Uri($"/api/areas/{Area}/map.png?width=600&height=400&layers=incidents", UriKind.Relative)));
        var (wx, wy) = await PixelAsync(120300, 485700);
        var (ex, ey) = await PixelAsync(120900, 485700);
        Assert.False(IsWater((again.Pixel(wx, wy).R, again.Pixel(wx, wy).G, again.Pixel(wx, wy).B)));
        Assert.True(IsWater((again.Pixel(ex, ey).R, again.Pixel(ex, ey).G, again.Pixel(ex, ey).B)));
    }

    [Fact]
    public async Task A_file_with_one_bad_feature_writes_nothing_and_names_its_rows()
    {
        var before = await _db.ScalarAsync<long>("SELECT count(*) FROM context_water");
        var result = await ImportAsync(WaterFile(
            ("W-OK", "Singel", WestHalf),
            ("W-MAIL", "jan.jansen@example.nl", WestHalf),
            ("W-FAR", "Elders", "[[5,5],[6,5],[6,6],[5,6],[5,5]]")));
        Assert.False(result.Written);
        Assert.Equal(0, result.Inserted);
        Assert.Equal(new[] { 2, 3 }, result.Rejections.Select(r => r.Row).Distinct().Order());
        Assert.Contains(result.Rejections, r => r.Row == 2 && r.Field == "naam");
        // The rejection names the kind of personal data, never the value.
        Assert.DoesNotContain(result.Rejections, r => r.Message.Contains("jan.jansen", StringComparison.Ordinal));
        Assert.Equal(before, await _db.ScalarAsync<long>("SELECT count(*) FROM context_water"));
    }
}
