using System.Runtime.InteropServices;

namespace GeoRisk.Rendering;

/// <summary>A cairo drawing target. Dispose it; the native surface is freed at most once.</summary>
public abstract class CairoSurface : IDisposable
{
    internal CairoSurfaceHandle Handle { get; }

    private protected CairoSurface(nint native, string what)
    {
        Handle = new CairoSurfaceHandle(native);
        var status = CairoNative.cairo_surface_status(Handle);
        if (status != CairoNative.StatusSuccess)
        {
            Handle.Dispose();
            throw new CairoException($"while creating {what}: {CairoNative.StatusText(status)}");
        }
    }

    /// <summary>Completes pending drawing so that the pixels (or the PDF bytes) are final.</summary>
    public void Flush() => CairoNative.cairo_surface_flush(Handle);

    /// <summary>Ends the surface: a PDF surface writes its trailer. No drawing afterwards.</summary>
    public void Finish()
    {
        CairoNative.cairo_surface_finish(Handle);
        ThrowOnError("finishing the surface");
    }

    internal void ThrowOnError(string doing)
    {
        var status = CairoNative.cairo_surface_status(Handle);
        if (status != CairoNative.StatusSuccess)
        {
            throw new CairoException($"while {doing}: {CairoNative.StatusText(status)}");
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Handle.Dispose();
        }
    }
}

/// <summary>
/// An in-memory ARGB32 image: 32-bit native-endian pixels with premultiplied alpha
/// (bytes B, G, R, A on little-endian machines), rows <see cref="Stride"/> bytes apart.
/// </summary>
public sealed unsafe class CairoImageSurface : CairoSurface
{
    private CairoImageSurface(nint native, string what) : base(native, what)
    {
        Width = CairoNative.cairo_image_surface_get_width(Handle);
        Height = CairoNative.cairo_image_surface_get_height(Handle);
        Stride = CairoNative.cairo_image_surface_get_stride(Handle);
    }

    public int Width { get; }
    public int Height { get; }
    public int Stride { get; }

    /// <summary>A transparent ARGB32 image.</summary>
    public static CairoImageSurface Create(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        return new CairoImageSurface(
            CairoNative.cairo_image_surface_create(CairoNative.FormatArgb32, width, height), $"a {width}x{height} image");
    }

    /// <summary>Reads a PNG with cairo's decoder (e.g. a map cut-out to place in a PDF).</summary>
    public static CairoImageSurface FromPng(Stream png)
    {
        ArgumentNullException.ThrowIfNull(png);
        var gc = GCHandle.Alloc(png);
        try
        {
            var native = CairoNative.cairo_image_surface_create_from_png_stream(&CairoNative.ReadFromStream, GCHandle.ToIntPtr(gc));
            return new CairoImageSurface(native, "an image from PNG");
        }
        finally
        {
            gc.Free();
        }
    }

    /// <summary>
    /// The pixel bytes, valid while this surface lives. Call <see cref="CairoSurface.Flush"/>
    /// before reading after drawing, and <see cref="MarkDirty"/> after writing directly.
    /// </summary>
    public Span<byte> Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
            return new Span<byte>(CairoNative.cairo_image_surface_get_data(Handle), Stride * Height);
        }
    }

    /// <summary>Tells cairo that <see cref="Data"/> was written directly.</summary>
    public void MarkDirty() => CairoNative.cairo_surface_mark_dirty(Handle);

    /// <summary>The un-premultiplied colour of one pixel (for tests and legends).</summary>
    public Rgba GetPixel(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Width);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        Flush();
        var p = Data.Slice(y * Stride + x * 4, 4);
        return Rgba.FromPremultipliedBgra(p[0], p[1], p[2], p[3]);
    }

    /// <summary>PNG with the encoder that measured faster here (see <see cref="PngEncoder"/>).</summary>
    public byte[] ToPng()
    {
        Flush();
        return PngEncoder.Encode(Data, Width, Height, Stride);
    }

    /// <summary>PNG through cairo's own encoder (libpng, default compression).</summary>
    public void WritePngWithCairo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var gc = GCHandle.Alloc(output);
        try
        {
            var status = CairoNative.cairo_surface_write_to_png_stream(Handle, &CairoNative.WriteToStream, GCHandle.ToIntPtr(gc));
            if (status != CairoNative.StatusSuccess)
            {
                throw new CairoException($"while writing PNG: {CairoNative.StatusText(status)}");
            }
        }
        finally
        {
            gc.Free();
        }
    }
}

/// <summary>
/// A PDF document written to a stream; sizes in points (1/72 inch; A4 is 595 x 842).
/// Each <see cref="CairoContext.ShowPage"/> ends a page; dispose (or <see cref="CairoSurface.Finish"/>)
/// writes the rest of the file.
/// </summary>
public sealed unsafe class CairoPdfSurface : CairoSurface
{
    private GCHandle _stream;

    private CairoPdfSurface(nint native, GCHandle stream) : base(native, "a PDF surface") => _stream = stream;

    public static CairoPdfSurface Create(Stream output, double widthPt, double heightPt)
    {
        ArgumentNullException.ThrowIfNull(output);
        var gc = GCHandle.Alloc(output);
        try
        {
            var native = CairoNative.cairo_pdf_surface_create_for_stream(&CairoNative.WriteToStream, GCHandle.ToIntPtr(gc), widthPt, heightPt);
            return new CairoPdfSurface(native, gc);
        }
        catch
        {
            gc.Free();
            throw;
        }
    }

    /// <summary>A PDF written to a file (cairo_pdf_surface_create).</summary>
    public static CairoPdfSurface Create(string path, double widthPt, double heightPt)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new CairoPdfSurface(CairoNative.cairo_pdf_surface_create(path, widthPt, heightPt), default);
    }

    protected override void Dispose(bool disposing)
    {
        // Destroying the surface flushes the PDF through the write callback: the stream's
        // handle must stay alive until after that.
        base.Dispose(disposing);
        if (_stream.IsAllocated)
        {
            _stream.Free();
        }
    }
}
