using GeoRisk.Rendering;
using GeoRisk.Tiles.Styles;

namespace GeoRisk.Tiles.Rendering;

/// <summary>A weighted point in CSS pixels of a 256 px tile, relative to the raster's top-left corner.</summary>
public readonly record struct HeatPoint(double X, double Y, double Weight);

/// <summary>
/// Kernel density heatmap. Each point adds <c>weight · (1 − (d/r)²)²</c> (quartic kernel) to the
/// pixels within radius r; the sum is divided by the saturation of the zoom — one value for the
/// whole zoom level, never the tile's own maximum — and coloured with the ramp. A pixel therefore
/// depends only on points within r of it: given the points within r outside its edges (the
/// caller's query widens the tile by r), a tile is exactly the matching part of one big
/// rendering, and neighbouring tiles meet without seams.
/// </summary>
public static class HeatmapRenderer
{
    public static void Render(CairoImageSurface target, IReadOnlyList<HeatPoint> points, HeatmapStyle style, int zoom, double pixelRatio)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(style);
        int w = target.Width, h = target.Height;
        var density = Accumulate(points, w, h, style.RadiusPx, pixelRatio);
        var saturation = style.SaturationAt(zoom);

        target.Flush();
        var data = target.Data;
        var stride = target.Stride;
        for (var y = 0; y < h; y++)
        {
            var row = data.Slice(y * stride, w * 4);
            for (var x = 0; x < w; x++)
            {
                var v = density[y * w + x];
                if (v <= 0) continue;
                var c = style.Ramp.ColourForFraction(Math.Min(1.0, v / saturation));
                if (c.A == 0) continue;
                // cairo ARGB32: premultiplied, B G R A in memory on little-endian.
                var i = x * 4;
                row[i] = (byte)((c.B * c.A + 127) / 255);
                row[i + 1] = (byte)((c.G * c.A + 127) / 255);
                row[i + 2] = (byte)((c.R * c.A + 127) / 255);
                row[i + 3] = c.A;
            }
        }
        target.MarkDirty();
    }

    /// <summary>Kernel sums per device pixel (row-major), in units of point weight.</summary>
    public static double[] Accumulate(IReadOnlyList<HeatPoint> points, int width, int height, double radiusPx, double pixelRatio)
    {
        ArgumentNullException.ThrowIfNull(points);
        var density = new double[width * height];
        var r = radiusPx * pixelRatio;   // device pixels
        var r2 = r * r;
        foreach (var p in points)
        {
            // Device-pixel centre of the point; pixel (i, j) has its centre at (i + 0.5, j + 0.5).
            var px = p.X * pixelRatio;
            var py = p.Y * pixelRatio;
            var x0 = Math.Max(0, (int)Math.Floor(px - r));
            var x1 = Math.Min(width - 1, (int)Math.Ceiling(px + r));
            var y0 = Math.Max(0, (int)Math.Floor(py - r));
            var y1 = Math.Min(height - 1, (int)Math.Ceiling(py + r));
            for (var j = y0; j <= y1; j++)
            {
                var dy = j + 0.5 - py;
                var dy2 = dy * dy;
                if (dy2 >= r2) continue;
                var rowOffset = j * width;
                for (var i = x0; i <= x1; i++)
                {
                    var dx = i + 0.5 - px;
                    var d2 = dx * dx + dy2;
                    if (d2 >= r2) continue;
                    var k = 1 - d2 / r2;
                    density[rowOffset + i] += p.Weight * k * k;
                }
            }
        }
        return density;
    }
}
