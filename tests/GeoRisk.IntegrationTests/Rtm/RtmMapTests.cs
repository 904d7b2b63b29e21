using System.Net;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.Core.Rtm;
using GeoRisk.Core.Tiles;
using GeoRisk.IntegrationTests.Tiles;
using GeoRisk.Tests.Support;
using GeoRisk.Rendering;

namespace GeoRisk.IntegrationTests.Rtm;

/// <summary>The gelegenheidskaart on the map and on paper: vector and raster tiles with the legend's classes, the factsheet page.</summary>
public sealed class RtmMapTests(RtmModelTests.ModelFixture model) : IClassFixture<RtmModelTests.ModelFixture>
{
    private RtmWorldFixture World => model.World;
    private readonly HttpClient _admin = model.World.Factory.CreateClient();

    private async Task<TileId> TileAtAsync(double x, double y, int z)
    {
        var text = await World.Database.ScalarAsync<string>(
            "SELECT ST_X(g)::text || ' ' || ST_Y(g)::text FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 28992), 3857) g", x, y);
        var parts = text.Split(' ');
        return TileId.ContainingPoint(double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), z);
    }

    [Fact]
    public async Task The_vector_tile_holds_the_cells_with_a_raised_RRS_with_their_class()
    {
        var tile = await TileAtAsync(153000, 453000, 12);
        var response = await Mvt.GetAsync(_admin, $"/tiles/gelegenheidskaart/{tile}.mvt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decoded = Mvt.Decode(await response.Content.ReadAsByteArrayAsync());
        var layer = Assert.Single(decoded.Layers);
        Assert.Equal("gelegenheidskaart", layer.Name);
        var expected = await World.Database.ScalarAsync<long>($"""
            SELECT count(*) FROM rtm_cell WHERE model_id = {model.Id} AND rrs > 1 AND geom_3857 && ST_TileEnvelope({tile.Z}, {tile.X}, {tile.Y})
            """);
        Assert.True(expected > 0);
        Assert.Equal(expected, layer.Features.Count);
        var rrv = model.Card.GetProperty("fit").GetProperty("factors")[0].GetProperty("rrv").GetDouble();
        foreach (var feature in layer.Features)
        {
            var a = Mvt.Attributes(layer, feature);
            Assert.Equal("BG-TEST", a["study_area"]);
            Assert.Equal(rrv, Convert.ToDouble(a["rrs"], System.Globalization.CultureInfo.InvariantCulture), 3);
            Assert.Equal((long)RrsClasses.Of(rrv), Convert.ToInt64(a["rrs_class"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("vakantiepark", a["factors"]);
        }
        var tilejson = JsonDocument.Parse(await _admin.GetStringAsync("/tiles/gelegenheidskaart.json")).RootElement;
        Assert.Equal(10, tilejson.GetProperty("minzoom").GetInt32());
    }

    [Fact]
    public async Task The_raster_tile_paints_a_raised_cell_in_its_legend_colour()
    {
        // The centre of a cell with a vakantiepark within 200 m, at z15.
        var (q, r) = (await World.Database.ScalarAsync<string>(
            $"SELECT q || ' ' || r FROM rtm_cell WHERE model_id = {model.Id} AND rrs > 1 ORDER BY q, r LIMIT 1")).Split(' ') is [var a, var b]
            ? (int.Parse(a, System.Globalization.CultureInfo.InvariantCulture), int.Parse(b, System.Globalization.CultureInfo.InvariantCulture)) : throw new InvalidOperationException();
        var (cx, cy) = GeoRisk.Core.Hexagons.HexGrid.Centre(new GeoRisk.Core.Hexagons.HexCell(100, q, r));
        var tile = await TileAtAsync(cx, cy, 15);
        var centre = await World.Database.ScalarAsync<string>(
            "SELECT ST_X(g)::text || ' ' || ST_Y(g)::text FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 28992), 3857) g", cx, cy);
        var xy = centre.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var response = await _admin.GetAsync($"/tiles/gelegenheidskaart/{tile}.png");
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = DecodedPng.Decode(await response.Content.ReadAsByteArrayAsync());
        var (px, py) = tile.ToPixel(xy[0], xy[1], 256);
        var (pr, pg, pb, pa) = png.Pixel((int)px, (int)py);
        var rrv = model.Card.GetProperty("fit").GetProperty("factors")[0].GetProperty("rrv").GetDouble();
        var colour = Rgba.Parse(RrsClasses.All.Single(c => c.Class == RrsClasses.Of(rrv)).Colour);
        Assert.Equal(255, pa);
        Assert.InRange(pr, colour.R - 2, colour.R + 2);
        Assert.InRange(pg, colour.G - 2, colour.G + 2);
        Assert.InRange(pb, colour.B - 2, colour.B + 2);
    }

    [Fact]
    public async Task Tiles_follow_the_reach_and_viewers_see_the_terrain()
    {
        var tile = await TileAtAsync(153000, 453000, 12);
        var other = await World.Factory.CreateClientAsync(Role.Member, "other");
        Assert.Equal(HttpStatusCode.NoContent, (await Mvt.GetAsync(other, $"/tiles/gelegenheidskaart/{tile}.mvt")).StatusCode);
        var viewer = await World.Factory.CreateClientAsync(Role.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await Mvt.GetAsync(viewer, $"/tiles/gelegenheidskaart/{tile}.mvt")).StatusCode);
    }

    [Fact]
    public async Task The_SQL_legend_classes_are_the_CSharp_ones()
    {
        foreach (var rrs in new[] { 0.5, 1.0, 1.0001, 1.5, 2.0, 2.5, 4.0, 4.1, 8.0, 8.5, 100.0 })
            Assert.Equal(RrsClasses.Of(rrs), await World.Database.ScalarAsync<int>("SELECT rtm_rrs_class($1)", rrs));
    }

    [Fact]
    public async Task The_factsheet_of_the_study_area_has_a_gelegenheidskaart_page()
    {
        using var member = await World.Factory.CreateClientAsync(Role.Member, "bg");
        var response = await member.GetAsync(new Uri("/api/casustafels/bg/factsheet.pdf?area=BG-TEST&from=2025-01-01&to=2026-01-01", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(Path.GetTempPath(), $"factsheet-rtm-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("pdftotext") { RedirectStandardOutput = true };
            foreach (var arg in new[] { "-layout", path, "-" }) psi.ArgumentList.Add(arg);
            using var process = System.Diagnostics.Process.Start(psi)!;
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Contains("Gelegenheidskaart (Risk Terrain Modeling)", text, StringComparison.Ordinal);
            Assert.Contains("vakantiepark", text, StringComparison.Ordinal);
            Assert.Contains("binnen 200 m", text, StringComparison.Ordinal);
            var pai = model.Card.GetProperty("validation").GetProperty("model").GetProperty("pai").GetDouble();
            Assert.Contains($"PAI {pai.ToString("N2", new System.Globalization.NumberFormatInfo { NumberDecimalSeparator = ",", NumberGroupSeparator = "." })}", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
