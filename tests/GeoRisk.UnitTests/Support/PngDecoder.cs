using System.Buffers.Binary;
using System.IO.Compression;

namespace GeoRisk.Tests.Support;

/// <summary>
/// A small, independent PNG reader for tests (8-bit RGB/RGBA, non-interlaced, all five row
/// filters, chunk CRCs checked), so PNG output is checked by decoding it rather than by bytes.
/// </summary>
public sealed class DecodedPng
{
    public required int Width { get; init; }
    public required int Height { get; init; }
    /// <summary>Straight RGBA, row-major.</summary>
    public required byte[] Rgba { get; init; }

    public (byte R, byte G, byte B, byte A) Pixel(int x, int y)
    {
        var i = (y * Width + x) * 4;
        return (Rgba[i], Rgba[i + 1], Rgba[i + 2], Rgba[i + 3]);
    }

    public static DecodedPng Decode(byte[] png)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (!png.AsSpan(0, 8).SequenceEqual(signature))
        {
            throw new InvalidDataException("not a PNG signature");
        }
        int width = 0, height = 0, colourType = -1;
        using var idat = new MemoryStream();
        var pos = 8;
        var sawEnd = false;
        while (pos < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            if (Crc32(png.AsSpan(pos + 4, length + 4)) != crc)
            {
                throw new InvalidDataException($"bad CRC in chunk {type}");
            }
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    if (data[8] != 8 || data[12] != 0) throw new InvalidDataException("only 8-bit non-interlaced PNGs");
                    colourType = data[9];
                    if (colourType is not (2 or 6)) throw new InvalidDataException($"colour type {colourType} not supported");
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
            }
            pos += 12 + length;
        }
        if (!sawEnd) throw new InvalidDataException("no IEND chunk");

        var bpp = colourType == 6 ? 4 : 3;
        var rowBytes = width * bpp;
        var raw = new byte[height * (rowBytes + 1)];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.ReadExactly(raw);
        }
        var pixels = new byte[height * rowBytes];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (rowBytes + 1)];
            var src = raw.AsSpan(y * (rowBytes + 1) + 1, rowBytes);
            var cur = pixels.AsSpan(y * rowBytes, rowBytes);
            var prev = y > 0 ? pixels.AsSpan((y - 1) * rowBytes, rowBytes) : new byte[rowBytes];
            for (var i = 0; i < rowBytes; i++)
            {
                int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                cur[i] = (byte)(src[i] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter {filter}"),
                });
            }
        }
        if (bpp == 4) return new DecodedPng { Width = width, Height = height, Rgba = pixels };
        var rgba = new byte[width * height * 4];
        for (int i = 0, j = 0; i < pixels.Length; i += 3, j += 4)
        {
            rgba[j] = pixels[i]; rgba[j + 1] = pixels[i + 1]; rgba[j + 2] = pixels[i + 2]; rgba[j + 3] = 255;
        }
        return new DecodedPng { Width = width, Height = height, Rgba = rgba };
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var x in data)
        {
            crc ^= x;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
