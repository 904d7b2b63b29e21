using GeoRisk.Tests.Support;
using GeoRisk.Rendering;
using GeoRisk.Tiles.Rendering;
using GeoRisk.Tiles.Styles;
using NetTopologySuite.IO;
using Xunit;

namespace GeoRisk.UnitTests.Rendering;

public class RasterTests
{
    private static readonly TileStyles Styles = TileStyles.Load();

    private static List<HeatPoint> Cluster(int seed, double cx, double cy, int n, double spread)
    {
        var rnd = new Random(seed);
        // Positions on a 1/16 px grid, like ST_AsMVTGeom output, so shifting by 256 px is exact.
        return Enumerable.Range(0, n)
            .Select(_ => new HeatPoint(Math.Round((cx + (rnd.NextDouble() - 0.5) * spread) * 16) / 16,
                                       Math.Round((cy + (rnd.NextDouble() - 0.5) * spread) * 16) / 16, 0.5 + rnd.NextDouble() / 2))
            .ToList();
    }

    private static DecodedPng Heat(IReadOnlyList<HeatPoint> points, int width, int height, int zoom, double ratio = 1)
    {
        using var surface = CairoImageSurface.Create(width, height);
        HeatmapRenderer.Render(surface, points, Styles.Heatmap, zoom, ratio);
        return DecodedPng.Decode(surface.ToPng());
    }

    [Fact]
    public void Adjacent_heatmap_tiles_are_exactly_the_halves_of_one_wide_rendering()
    {
        // A hotspot straddling the edge between a left and a right tile.
        var points = Cluster(7, 256, 128, 400, 60);
        var wide = Heat(points, 512, 256, 14);
        // Each tile gets the points within its extent widened by the radius, in its own pixel frame.
        var r = Styles.Heatmap.RadiusPx;
        var left = Heat(points.Where(p => p.X < 256 + r).ToList(), 256, 256, 14);
        var right = Heat(points.Where(p => p.X > -r + 256).Select(p => p with { X = p.X - 256 }).ToList(), 256, 256, 14);

        var inked = 0;
        for (var y = 0; y < 256; y++)
        {
            for (var x = 0; x < 256; x++)
            {
                Assert.Equal(wide.Pixel(x, y), left.Pixel(x, y));
                Assert.Equal(wide.Pixel(x + 256, y), right.Pixel(x, y));
            }
            if (left.Pixel(255, y).A > 0) inked++;
        }
        Assert.True(inked > 20, "the hotspot must cover the shared edge for this test to mean anything");
    }

    [Fact]
    public void Heatmap_normalisation_does_not_depend_on_what_else_is_in_the_tile()
    {
        var lone = new List<HeatPoint> { new(64, 64, 1) };
        var withHotspot = lone.Concat(Cluster(3, 200, 200, 500, 20)).ToList();
        Assert.Equal(Heat(lone, 256, 256, 14).Pixel(64, 64), Heat(withHotspot, 256, 256, 14).Pixel(64, 64));
        Assert.NotEqual(0, Heat(lone, 256, 256, 14).Pixel(64, 64).A);
    }

    [Fact]
    public void Heatmap_at_2x_draws_the_same_picture_at_double_resolution()
    {
        var points = Cluster(11, 128, 128, 200, 80);
        var one = Heat(points, 256, 256, 14);
        var two = Heat(points, 512, 512, 14, ratio: 2);
        Assert.Equal(512, two.Width);
        var maxDiff = 0;
        for (var y = 8; y < 256; y += 16)
            for (var x = 8; x < 256; x += 16)
            {
                var a = one.Pixel(x, y);
                var b = two.Pixel(2 * x + 1, 2 * y + 1); // close to the same spot
                maxDiff = Math.Max(maxDiff, Math.Abs(a.A - b.A));
            }
        Assert.InRange(maxDiff, 0, 40);
    }

    [Fact]
    public void Saturated_heatmap_pixels_take_the_last_ramp_colour()
    {
        var hot = Enumerable.Repeat(new HeatPoint(128, 128, 1), 1000).ToList();
        var last = Styles.Heatmap.Ramp.Stops[^1].Colour;
        var (r, g, b, a) = Heat(hot, 256, 256, 10).Pixel(128, 128);
        Assert.Equal(last.A, a);
        Assert.InRange(r, last.R - 1, last.R + 1);
        Assert.InRange(g, last.G - 1, last.G + 1);
        Assert.InRange(b, last.B - 1, last.B + 1);
    }

    [Fact]
    public void Polygons_are_filled_with_holes_and_scaled_from_the_tile_extent()
    {
        // Extent 4096: the square covers pixels 32..224 of a 256 px tile, the hole 96..160.
        var g = new WKTReader().Read("POLYGON((512 512, 3584 512, 3584 3584, 512 3584, 512 512),(1536 1536, 2560 1536, 2560 2560, 1536 2560, 1536 1536))");
        var fill = Styles.Areas.FillFor(95);
        using var canvas = new RasterCanvas(512, 512, pixelRatio: 2);
        canvas.DrawPolygons(g, fill, Styles.Areas.OutlineColour, Styles.Areas.OutlineWidth);
        var png = DecodedPng.Decode(canvas.ToPng());
        var (r, gr, b, a) = png.Pixel(2 * 60, 2 * 60);
        Assert.Equal(fill.A, a);
        Assert.InRange(r, fill.R - 1, fill.R + 1);
        Assert.InRange(gr, fill.G - 1, fill.G + 1);
        Assert.InRange(b, fill.B - 1, fill.B + 1);
        Assert.Equal(0, png.Pixel(2 * 128, 2 * 128).A); // hole
        Assert.Equal(0, png.Pixel(10, 10).A);            // outside
    }

    [Fact]
    public void Points_are_dots_of_the_style_radius()
    {
        using var canvas = new RasterCanvas(256, 256, 1);
        canvas.DrawPoints(new WKTReader().Read("MULTIPOINT((2048 2048))"), 4, Styles.Cameras.PointColour, default);
        var png = DecodedPng.Decode(canvas.ToPng());
        Assert.Equal(255, png.Pixel(128, 128).A);
        Assert.Equal(0, png.Pixel(128, 134).A);
    }
}
