using FsCheck.Xunit;
using GeoRisk.Core.Access;
using Xunit;

namespace GeoRisk.UnitTests.Access;

public class SuppressionTests
{
    [Theory]
    // n, k, expected value (null = suppressed)
    [InlineData(0, 5, null)]
    [InlineData(1, 5, null)]
    [InlineData(4, 5, null)]
    [InlineData(5, 5, 5L)]
    [InlineData(6, 5, 5L)]
    [InlineData(7, 5, 5L)]
    [InlineData(8, 5, 10L)]
    [InlineData(12, 5, 10L)]
    [InlineData(13, 5, 15L)]
    [InlineData(1234, 5, 1235L)]
    [InlineData(1232, 5, 1230L)]
    [InlineData(6, 7, null)]
    [InlineData(7, 7, 10L)]   // nearest multiple of 5 is 5 < k: rounded up to 10
    [InlineData(12, 7, 10L)]
    [InlineData(9, 10, null)]
    [InlineData(10, 10, 10L)]
    [InlineData(11, 10, 10L)]
    [InlineData(1, 1, 5L)]    // k = 1: only zero is suppressed
    [InlineData(0, 1, null)]
    public void Table_of_cases(long n, int k, long? expected)
    {
        var result = Suppression.Apply(n, k);

        Assert.Equal(expected, result.Value);
        Assert.Equal(expected is null, result.Suppressed);
    }

    [Fact]
    public void Display_shows_less_than_k()
    {
        Assert.Equal("<5", Suppression.Apply(3, 5).Display(5));
        Assert.Equal("10", Suppression.Apply(9, 5).Display(5));
    }

    [Property]
    public bool A_shown_value_is_never_below_k_and_is_a_multiple_of_5(uint n, byte kByte)
    {
        var k = Math.Max(1, (int)kByte);
        var result = Suppression.Apply(n, k);
        return result.Suppressed
            ? n < k && result.Value is null
            // Nearest multiple of 5 is at most 2 away; rounding up to reach k at most 4.
            : n >= k && result.Value >= k && result.Value % 5 == 0 && Math.Abs(result.Value.Value - n) <= 4;
    }

    [Property]
    public bool Rounding_is_monotone(uint a, uint b, byte kByte)
    {
        var k = Math.Max(1, (int)kByte);
        var (lo, hi) = a <= b ? (a, b) : (b, a);
        var rl = Suppression.Apply(lo, k);
        var rh = Suppression.Apply(hi, k);
        return rl.Suppressed || (!rh.Suppressed && rh.Value >= rl.Value);
    }

    [Fact]
    public void Unsuppressed_scopes_get_exact_counts()
    {
        var member = new CallerScope("member", ["1012"], false);
        var viewer = new CallerScope("viewer", null, true, 5);

        Assert.Equal(new SuppressedCount(3, false), Suppression.Count(3, member));
        Assert.Equal(new SuppressedCount(null, true), Suppression.Count(3, viewer));
        Assert.Equal(new SuppressedCount(5, false), Suppression.Count(7, viewer));
    }

    [Fact]
    public void Cells_below_k_are_dropped()
    {
        Assert.False(Suppression.KeepCell(4, 5));
        Assert.True(Suppression.KeepCell(5, 5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Invalid_k_is_refused(int k)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Suppression.Apply(10, k));
    }

    [Fact]
    public void Negative_counts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Suppression.Apply(-1, 5));
    }
}
