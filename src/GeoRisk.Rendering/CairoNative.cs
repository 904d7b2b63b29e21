using System.Runtime.InteropServices;

namespace GeoRisk.Rendering;

/// <summary>
/// The slice of cairo (Debian <c>libcairo2</c>) that GeoRisk draws with: image and PDF
/// surfaces, paths, fill/stroke, toy text, PNG in and out. Declarations follow cairo.h and
/// cairo-pdf.h of cairo 1.16; wrapped by <see cref="CairoSurface"/> and <see cref="CairoContext"/>.
/// </summary>
internal static unsafe partial class CairoNative
{
    private const string Lib = "libcairo.so.2";

    // cairo_status_t values we name.
    internal const int StatusSuccess = 0;
    internal const int StatusReadError = 10;
    internal const int StatusWriteError = 11;

    // cairo_format_t
    internal const int FormatArgb32 = 0;

    [LibraryImport(Lib)] internal static partial nint cairo_image_surface_create(int format, int width, int height);
    [LibraryImport(Lib)] internal static partial byte* cairo_image_surface_get_data(CairoSurfaceHandle surface);
    [LibraryImport(Lib)] internal static partial int cairo_image_surface_get_width(CairoSurfaceHandle surface);
    [LibraryImport(Lib)] internal static partial int cairo_image_surface_get_height(CairoSurfaceHandle surface);
    [LibraryImport(Lib)] internal static partial int cairo_image_surface_get_stride(CairoSurfaceHandle surface);
    [LibraryImport(Lib)] internal static partial nint cairo_image_surface_create_from_png_stream(delegate* unmanaged<nint, byte*, uint, int> read, nint closure);
    [LibraryImport(Lib)] internal static partial int cairo_surface_write_to_png_stream(CairoSurfaceHandle surface, delegate* unmanaged<nint, byte*, uint, int> write, nint closure);
    [LibraryImport(Lib)] internal static partial nint cairo_pdf_surface_create_for_stream(delegate* unmanaged<nint, byte*, uint, int> write, nint closure, double widthPt, double heightPt);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial nint cairo_pdf_surface_create(string filename, double widthPt, double heightPt);
    [LibraryImport(Lib)] internal static partial void cairo_surface_flush(CairoSurfaceHandle surface);
    [LibraryImport(Lib)] internal static partial void cairo_surface_mark_dirty(CairoSurfaceHandle surface);
    [LibraryImport(Lib)] internal static partial void cairo_surface_finish(CairoSurfaceHandle surface);
    [LibraryImport(Lib)] internal static partial int cairo_surface_status(CairoSurfaceHandle surface);
    [LibraryImport(Lib)] internal static partial int cairo_surface_status(nint surface);
    [LibraryImport(Lib)] internal static partial void cairo_surface_destroy(nint surface);

    [LibraryImport(Lib)] internal static partial nint cairo_create(CairoSurfaceHandle target);
    [LibraryImport(Lib)] internal static partial void cairo_destroy(nint cr);
    [LibraryImport(Lib)] internal static partial int cairo_status(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial nint cairo_status_to_string(int status);
    [LibraryImport(Lib)] internal static partial void cairo_save(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial void cairo_restore(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial void cairo_show_page(CairoContextHandle cr);

    [LibraryImport(Lib)] internal static partial void cairo_set_source_rgba(CairoContextHandle cr, double r, double g, double b, double a);
    [LibraryImport(Lib)] internal static partial nint cairo_get_source(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial void cairo_pattern_set_extend(nint pattern, int extend);
    [LibraryImport(Lib)] internal static partial void cairo_set_source_surface(CairoContextHandle cr, CairoSurfaceHandle surface, double x, double y);
    [LibraryImport(Lib)] internal static partial void cairo_set_line_width(CairoContextHandle cr, double width);
    [LibraryImport(Lib)] internal static partial void cairo_set_line_join(CairoContextHandle cr, int join);
    [LibraryImport(Lib)] internal static partial void cairo_set_line_cap(CairoContextHandle cr, int cap);
    [LibraryImport(Lib)] internal static partial void cairo_set_antialias(CairoContextHandle cr, int antialias);
    [LibraryImport(Lib)] internal static partial void cairo_set_fill_rule(CairoContextHandle cr, int rule);
    [LibraryImport(Lib)] internal static partial void cairo_set_operator(CairoContextHandle cr, int op);
    [LibraryImport(Lib)] internal static partial void cairo_translate(CairoContextHandle cr, double tx, double ty);
    [LibraryImport(Lib)] internal static partial void cairo_scale(CairoContextHandle cr, double sx, double sy);
    [LibraryImport(Lib)] internal static partial void cairo_transform(CairoContextHandle cr, in CairoMatrix matrix);

    [LibraryImport(Lib)] internal static partial void cairo_new_path(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial void cairo_new_sub_path(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial void cairo_move_to(CairoContextHandle cr, double x, double y);
    [LibraryImport(Lib)] internal static partial void cairo_line_to(CairoContextHandle cr, double x, double y);
    [LibraryImport(Lib)] internal static partial void cairo_close_path(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial void cairo_rectangle(CairoContextHandle cr, double x, double y, double width, double height);
    [LibraryImport(Lib)] internal static partial void cairo_arc(CairoContextHandle cr, double xc, double yc, double radius, double angle1, double angle2);

    [LibraryImport(Lib)] internal static partial void cairo_fill(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial void cairo_fill_preserve(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial void cairo_stroke(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial void cairo_stroke_preserve(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial void cairo_paint(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial void cairo_paint_with_alpha(CairoContextHandle cr, double alpha);
    [LibraryImport(Lib)] internal static partial void cairo_clip(CairoContextHandle cr);
    [LibraryImport(Lib)] internal static partial void cairo_reset_clip(CairoContextHandle cr);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial void cairo_select_font_face(CairoContextHandle cr, string family, int slant, int weight);
    [LibraryImport(Lib)] internal static partial void cairo_set_font_size(CairoContextHandle cr, double size);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial void cairo_show_text(CairoContextHandle cr, string utf8);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial void cairo_text_extents(CairoContextHandle cr, string utf8, out TextExtents extents);

    internal static string StatusText(int status) =>
        Marshal.PtrToStringUTF8(cairo_status_to_string(status)) ?? $"cairo status {status}";

    /// <summary>cairo's write callback: closure is a GCHandle to a <see cref="Stream"/>.</summary>
    [UnmanagedCallersOnly]
    internal static int WriteToStream(nint closure, byte* data, uint length)
    {
        try
        {
            var stream = (Stream)GCHandle.FromIntPtr(closure).Target!;
            stream.Write(new ReadOnlySpan<byte>(data, checked((int)length)));
            return StatusSuccess;
        }
        catch (Exception)
        {
            // An exception must not cross into native code: cairo reports the write error.
            return StatusWriteError;
        }
    }

    /// <summary>cairo's read callback: closure is a GCHandle to a <see cref="Stream"/>.</summary>
    [UnmanagedCallersOnly]
    internal static int ReadFromStream(nint closure, byte* data, uint length)
    {
        try
        {
            var stream = (Stream)GCHandle.FromIntPtr(closure).Target!;
            stream.ReadExactly(new Span<byte>(data, checked((int)length)));
            return StatusSuccess;
        }
        catch (Exception)
        {
            return StatusReadError;
        }
    }
}

/// <summary>cairo_text_extents_t.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct TextExtents(double XBearing, double YBearing, double Width, double Height, double XAdvance, double YAdvance);

/// <summary>Owns a <c>cairo_surface_t*</c>; destroyed exactly once, also when a caller forgets Dispose.</summary>
public sealed class CairoSurfaceHandle : SafeHandle
{
    public CairoSurfaceHandle() : base(nint.Zero, ownsHandle: true) { }

    internal CairoSurfaceHandle(nint handle) : base(nint.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        CairoNative.cairo_surface_destroy(handle);
        return true;
    }
}

/// <summary>Owns a <c>cairo_t*</c>.</summary>
public sealed class CairoContextHandle : SafeHandle
{
    public CairoContextHandle() : base(nint.Zero, ownsHandle: true) { }

    internal CairoContextHandle(nint handle) : base(nint.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        CairoNative.cairo_destroy(handle);
        return true;
    }
}

/// <summary>A cairo call failed (out of memory, invalid size, write error, ...).</summary>
public sealed class CairoException(string message) : Exception(message);
