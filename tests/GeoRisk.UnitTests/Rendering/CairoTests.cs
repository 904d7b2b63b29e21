using Xunit;
using System.Text;
using GeoRisk.Tests.Support;
using GeoRisk.Rendering;

namespace GeoRisk.UnitTests.Rendering;

public class CairoTests
{
    private static readonly Rgba Red = new(220, 20, 30);

    private static CairoImageSurface RedSquareOnTransparent()
    {
        var surface = CairoImageSurface.Create(64, 48);
        using var cr = new CairoContext(surface);
        cr.SetSource(Red);
        cr.Rectangle(8, 8, 16, 16);
        cr.Fill();
        cr.SetSource(new Rgba(0, 0, 255, 128));
        cr.Rectangle(40, 8, 16, 16);
        cr.Fill();
        return surface;
    }

    [Fact]
    public void Image_surface_has_the_requested_size_and_is_transparent()
    {
        using var surface = CairoImageSurface.Create(300, 200);
        Assert.Equal(300, surface.Width);
        Assert.Equal(200, surface.Height);
        Assert.True(surface.Stride >= 300 * 4);
        Assert.Equal(new Rgba(0, 0, 0, 0), surface.GetPixel(150, 100));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    public void Image_surface_rejects_empty_sizes(int w, int h) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CairoImageSurface.Create(w, h));

    [Fact]
    public void Too_large_a_surface_is_a_cairo_error_not_a_crash() =>
        Assert.Throws<CairoException>(() => CairoImageSurface.Create(100_000, 100_000));

    [Fact]
    public void Managed_png_decodes_to_the_drawn_pixels()
    {
        using var surface = RedSquareOnTransparent();
        var png = DecodedPng.Decode(surface.ToPng());
        Assert.Equal(64, png.Width);
        Assert.Equal(48, png.Height);
        Assert.Equal((Red.R, Red.G, Red.B, (byte)255), png.Pixel(16, 16));
        Assert.Equal(((byte)0, (byte)0, (byte)0, (byte)0), png.Pixel(2, 40));
        // Semi-transparent blue comes out un-premultiplied.
        var (r, g, b, a) = png.Pixel(48, 16);
        Assert.Equal(128, a);
        Assert.Equal(0, r);
        Assert.Equal(0, g);
        Assert.InRange(b, 253, 255);
    }

    [Fact]
    public void Cairo_png_encoder_and_managed_encoder_give_the_same_pixels()
    {
        using var surface = RedSquareOnTransparent();
        using var cairoPng = new MemoryStream();
        surface.WritePngWithCairo(cairoPng);
        var viaCairo = DecodedPng.Decode(cairoPng.ToArray());
        var viaManaged = DecodedPng.Decode(surface.ToPng());
        Assert.Equal(viaCairo.Width, viaManaged.Width);
        Assert.Equal(viaCairo.Rgba, viaManaged.Rgba);
    }

    [Fact]
    public void Cairo_reads_back_the_managed_png()
    {
        using var surface = RedSquareOnTransparent();
        using var back = CairoImageSurface.FromPng(new MemoryStream(surface.ToPng()));
        Assert.Equal(64, back.Width);
        Assert.Equal(Red, back.GetPixel(16, 16));
        Assert.Equal(0, back.GetPixel(2, 40).A);
    }

    [Fact]
    public void Reading_something_that_is_not_a_png_is_a_cairo_error() =>
        Assert.Throws<CairoException>(() => CairoImageSurface.FromPng(new MemoryStream(Encoding.ASCII.GetBytes("not a png at all"))));

    [Fact]
    public void Antialiasing_gives_partial_coverage_at_edges_and_none_gives_hard_edges()
    {
        static HashSet<byte> Alphas(Antialias mode)
        {
            using var surface = CairoImageSurface.Create(40, 40);
            using (var cr = new CairoContext(surface))
            {
                cr.Antialias = mode;
                cr.SetSource(new Rgba(0, 0, 0));
                cr.Circle(20, 20, 13.3);
                cr.Fill();
            }
            var alphas = new HashSet<byte>();
            for (var y = 0; y < 40; y++)
                for (var x = 0; x < 40; x++)
                    alphas.Add(surface.GetPixel(x, y).A);
            return alphas;
        }

        Assert.Contains(Alphas(Antialias.Default), a => a is > 0 and < 255);
        Assert.All(Alphas(Antialias.None), a => Assert.True(a is 0 or 255));
    }

    [Fact]
    public void Stroke_uses_the_line_width()
    {
        using var surface = CairoImageSurface.Create(40, 40);
        using (var cr = new CairoContext(surface))
        {
            cr.Antialias = Antialias.None;
            cr.SetSource(new Rgba(0, 128, 0));
            cr.LineWidth = 6;
            cr.MoveTo(0, 20);
            cr.LineTo(40, 20);
            cr.Stroke();
        }
        Assert.Equal(255, surface.GetPixel(20, 17).A);
        Assert.Equal(255, surface.GetPixel(20, 22).A);
        Assert.Equal(0, surface.GetPixel(20, 15).A);
        Assert.Equal(0, surface.GetPixel(20, 24).A);
    }

    [Fact]
    public void Even_odd_fill_leaves_a_hole()
    {
        using var surface = CairoImageSurface.Create(40, 40);
        using (var cr = new CairoContext(surface))
        {
            cr.FillRule = FillRule.EvenOdd;
            cr.SetSource(new Rgba(10, 10, 10));
            cr.Rectangle(0, 0, 40, 40);
            cr.Rectangle(10, 10, 20, 20);
            cr.Fill();
        }
        Assert.Equal(255, surface.GetPixel(5, 5).A);
        Assert.Equal(0, surface.GetPixel(20, 20).A);
    }

    [Fact]
    public void Text_is_drawn_with_dejavu_sans()
    {
        using var surface = CairoImageSurface.Create(120, 40);
        using (var cr = new CairoContext(surface))
        {
            cr.SetSource(new Rgba(0, 0, 0));
            cr.FontSize = 20;
            var extents = cr.MeasureText("GeoRisk");
            Assert.InRange(extents.Width, 40, 110);
            Assert.True(extents.Height > 10);
            cr.MoveTo(4, 28);
            cr.ShowText("GeoRisk");
            cr.ThrowOnError("drawing text");
        }
        var inked = 0;
        for (var y = 0; y < 40; y++)
            for (var x = 0; x < 120; x++)
                if (surface.GetPixel(x, y).A > 128) inked++;
        Assert.InRange(inked, 50, 2000);
    }

    [Fact]
    public void Image_surface_is_drawn_scaled_onto_another()
    {
        using var small = CairoImageSurface.Create(2, 2);
        using (var cr = new CairoContext(small))
        {
            cr.SetSource(new Rgba(0, 200, 0));
            cr.Paint();
        }
        using var big = CairoImageSurface.Create(40, 40);
        using (var cr = new CairoContext(big))
        {
            cr.DrawImage(small, 10, 10, 20, 20);
        }
        Assert.Equal(new Rgba(0, 200, 0), big.GetPixel(20, 20));
        Assert.Equal(0, big.GetPixel(5, 5).A);
        Assert.Equal(0, big.GetPixel(35, 35).A);
    }

    [Fact]
    public void Data_written_directly_is_seen_by_cairo_after_mark_dirty()
    {
        using var surface = CairoImageSurface.Create(4, 4);
        surface.Flush();
        var data = surface.Data;
        // Premultiplied BGRA: opaque blue at (1, 2).
        var i = 2 * surface.Stride + 1 * 4;
        data[i] = 255; data[i + 1] = 0; data[i + 2] = 0; data[i + 3] = 255;
        surface.MarkDirty();
        var png = DecodedPng.Decode(surface.ToPng());
        Assert.Equal(((byte)0, (byte)0, (byte)255, (byte)255), png.Pixel(1, 2));
    }

    [Fact]
    public void Pdf_surface_writes_a_two_page_document_with_an_embedded_image()
    {
        using var output = new MemoryStream();
        using (var map = RedSquareOnTransparent())
        using (var pdf = CairoPdfSurface.Create(output, 595, 842))
        using (var cr = new CairoContext(pdf))
        {
            cr.MoveTo(72, 72);
            cr.FontSize = 14;
            cr.ShowText("Factsheet");
            cr.DrawImage(map, 72, 100, 320, 240);
            cr.ShowPage();
            cr.Rectangle(72, 72, 100, 100);
            cr.Fill();
            cr.ShowPage();
        }
        var text = Encoding.Latin1.GetString(output.ToArray());
        Assert.StartsWith("%PDF-", text);
        Assert.Contains("%%EOF", text);
        Assert.Contains("/Count 2", text);
        Assert.Contains("/Subtype /Image", text);
    }

    [Fact]
    public void Pdf_surface_writes_to_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"georisk-cairo-{Guid.NewGuid():N}.pdf");
        try
        {
            using (var pdf = CairoPdfSurface.Create(path, 200, 100))
            using (var cr = new CairoContext(pdf))
            {
                cr.Rectangle(10, 10, 50, 50);
                cr.Fill();
                cr.ShowPage();
            }
            Assert.StartsWith("%PDF-", File.ReadAllText(path, Encoding.Latin1));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Disposed_surface_refuses_access_and_disposing_twice_is_harmless()
    {
        var surface = CairoImageSurface.Create(4, 4);
        surface.Dispose();
        surface.Dispose();
        Assert.Throws<ObjectDisposedException>(() => surface.Data.Length);
    }

    [Theory]
    [InlineData("#ff0000", 255, 0, 0, 255)]
    [InlineData("#00ff0080", 0, 255, 0, 128)]
    [InlineData("#1A2b3C", 26, 43, 60, 255)]
    public void Colours_parse_from_hex(string hex, byte r, byte g, byte b, byte a) =>
        Assert.Equal(new Rgba(r, g, b, a), Rgba.Parse(hex));

    [Theory]
    [InlineData("ff0000")]
    [InlineData("#ff00")]
    [InlineData("#gg0000")]
    [InlineData("")]
    public void Bad_colours_are_rejected(string hex) => Assert.Throws<FormatException>(() => Rgba.Parse(hex));
}
