using GeoRisk.Core.Access;
using Xunit;

namespace GeoRisk.UnitTests.Access;

public class MvtFeatureCountTests
{
    // Minimal protobuf writer for hand-built tiles.
    private static byte[] Varint(ulong v)
    {
        var bytes = new List<byte>();
        do { var b = (byte)(v & 0x7F); v >>= 7; bytes.Add(v != 0 ? (byte)(b | 0x80) : b); } while (v != 0);
        return [.. bytes];
    }

    private static byte[] Field(int field, byte[] payload) => [.. Varint(((ulong)field << 3) | 2), .. Varint((ulong)payload.Length), .. payload];
    private static byte[] VarintField(int field, ulong value) => [.. Varint((ulong)field << 3), .. Varint(value)];

    private static byte[] Feature(ulong id) =>
        [.. VarintField(1, id), .. VarintField(3, 1), .. Field(2, [0, 0]), .. Field(4, [9, 2, 4])];

    private static byte[] Layer(string name, int features)
    {
        var body = new List<byte>();
        body.AddRange(VarintField(15, 2));
        body.AddRange(Field(1, System.Text.Encoding.UTF8.GetBytes(name)));
        for (var i = 0; i < features; i++) body.AddRange(Field(2, Feature((ulong)i + 1)));
        body.AddRange(Field(3, "count"u8.ToArray()));
        body.AddRange(Field(4, [.. VarintField(4, 300)]));
        body.AddRange(VarintField(5, 4096));
        return [.. body];
    }

    [Theory]
    [InlineData(new int[0], 0)]
    [InlineData(new[] { 0 }, 0)]
    [InlineData(new[] { 1 }, 1)]
    [InlineData(new[] { 3, 0, 200 }, 203)]
    public void Counts_features_over_all_layers(int[] perLayer, long expected)
    {
        var tile = perLayer.SelectMany((n, i) => Field(3, Layer($"layer{i}", n))).ToArray();

        Assert.Equal(expected, MvtFeatureCount.Count(tile));
    }

    [Fact]
    public void Truncated_or_garbage_bytes_are_a_format_error()
    {
        var tile = Field(3, Layer("signals", 5));

        Assert.Throws<FormatException>(() => MvtFeatureCount.Count(tile.AsSpan(0, tile.Length - 3)));
        Assert.Throws<FormatException>(() => MvtFeatureCount.Count(new byte[] { 0x1F, 0x00 }));
        Assert.Throws<FormatException>(() => MvtFeatureCount.Count(new byte[] { 0x1A, 0xFF, 0xFF, 0xFF, 0x0F }));
    }
}
