using System.Buffers.Binary;
using System.IO.Compression;

namespace GeoRisk.Rendering;

/// <summary>
/// Managed PNG encoder for cairo ARGB32 pixels: RGBA 8-bit, filter None, zlib at
/// <see cref="CompressionLevel.Fastest"/>. Chosen over cairo's libpng encoder because it
/// measured faster here for map tiles: a 256 px tile of 300 translucent polygons took 1.5 ms
/// (114 kB) against 16.6 ms (84 kB) through cairo_surface_write_to_png_stream; 512 px 8.1 ms
/// vs 37.7 ms. Tiles are cached, so speed beats the 30% size. Any PNG decoder reads the output.
/// </summary>
public static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes premultiplied native-endian ARGB32 rows (cairo's layout) as an RGBA PNG.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> argb32, int width, int height, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, width * 4);
        if (argb32.Length < stride * (height - 1) + width * 4)
        {
            throw new ArgumentException("pixel buffer is smaller than width, height and stride say", nameof(argb32));
        }
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("PngEncoder reads cairo's ARGB32 as little-endian BGRA");
        }

        using var output = new MemoryStream(capacity: 1024 + width * height / 2);
        output.Write(Signature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 6;  // colour type RGBA
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering (each row says its filter)
        ihdr[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, ihdr);

        var idat = new MemoryStream(capacity: 512 + width * height);
        using (var zlib = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + width * 4]; // filter byte 0 (None) + RGBA
            for (var y = 0; y < height; y++)
            {
                ConvertRow(argb32.Slice(y * stride, width * 4), row.AsSpan(1));
                zlib.Write(row);
            }
        }
        WriteChunk(output, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    /// <summary>Premultiplied BGRA → straight RGBA.</summary>
    private static void ConvertRow(ReadOnlySpan<byte> bgra, Span<byte> rgba)
    {
        for (var i = 0; i < bgra.Length; i += 4)
        {
            byte b = bgra[i], g = bgra[i + 1], r = bgra[i + 2], a = bgra[i + 3];
            if (a == 255)
            {
                rgba[i] = r; rgba[i + 1] = g; rgba[i + 2] = b; rgba[i + 3] = 255;
            }
            else if (a == 0)
            {
                rgba[i] = 0; rgba[i + 1] = 0; rgba[i + 2] = 0; rgba[i + 3] = 0;
            }
            else
            {
                rgba[i] = Rgba.Unpremultiply(r, a);
                rgba[i + 1] = Rgba.Unpremultiply(g, a);
                rgba[i + 2] = Rgba.Unpremultiply(b, a);
                rgba[i + 3] = a;
            }
        }
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> buf = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buf, data.Length);
        output.Write(buf);
        output.Write(type);
        output.Write(data);
        var crc = Crc(Crc(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(buf, crc);
        output.Write(buf);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        var table = CrcTable;
        foreach (var b in data)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
