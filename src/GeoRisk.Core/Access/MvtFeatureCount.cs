namespace GeoRisk.Core.Access;

/// <summary>
/// Counts the features of a Mapbox Vector Tile without decoding geometry, so a tile endpoint
/// can write "rows returned" to the audit log, also for tiles served from the cache.
/// Walks the protobuf wire format: Tile.layers = field 3, Layer.features = field 2 (MVT 2.1).
/// </summary>
public static class MvtFeatureCount
{
    private const ulong TileLayers = 3;
    private const ulong LayerFeatures = 2;

    /// <summary>Features over all layers; 0 for an empty tile. Throws <see cref="FormatException"/> for bytes that are not a tile.</summary>
    public static long Count(ReadOnlySpan<byte> tile)
    {
        long features = 0;
        var position = 0;
        while (position < tile.Length)
        {
            var (field, wireType) = ReadKey(tile, ref position);
            if (field == TileLayers && wireType == 2)
            {
                var length = ReadLength(tile, ref position);
                features += CountFields(tile.Slice(position, length), LayerFeatures);
                position += length;
            }
            else
            {
                Skip(tile, wireType, ref position);
            }
        }
        return features;
    }

    private static long CountFields(ReadOnlySpan<byte> message, ulong wanted)
    {
        long count = 0;
        var position = 0;
        while (position < message.Length)
        {
            var (field, wireType) = ReadKey(message, ref position);
            if (field == wanted && wireType == 2)
            {
                count++;
            }
            Skip(message, wireType, ref position);
        }
        return count;
    }

    private static (ulong Field, int WireType) ReadKey(ReadOnlySpan<byte> data, ref int position)
    {
        var key = ReadVarint(data, ref position);
        return (key >> 3, (int)(key & 7));
    }

    private static void Skip(ReadOnlySpan<byte> data, int wireType, ref int position)
    {
        switch (wireType)
        {
            case 0: ReadVarint(data, ref position); break;
            case 1: Advance(data, 8, ref position); break;
            case 2: var length = ReadLength(data, ref position); Advance(data, length, ref position); break;
            case 5: Advance(data, 4, ref position); break;
            default: throw new FormatException($"not a vector tile: wire type {wireType}");
        }
    }

    private static int ReadLength(ReadOnlySpan<byte> data, ref int position)
    {
        var length = ReadVarint(data, ref position);
        if (length > (ulong)(data.Length - position))
        {
            throw new FormatException("not a vector tile: a length runs past the end");
        }
        return (int)length;
    }

    private static void Advance(ReadOnlySpan<byte> data, int count, ref int position)
    {
        if (count > data.Length - position)
        {
            throw new FormatException("not a vector tile: a field runs past the end");
        }
        position += count;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new FormatException("not a vector tile: truncated varint");
            }
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new FormatException("not a vector tile: varint too long");
    }
}
