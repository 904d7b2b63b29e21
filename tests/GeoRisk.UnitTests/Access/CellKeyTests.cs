using FsCheck.Xunit;
using GeoRisk.Core.Access;
using Xunit;

namespace GeoRisk.UnitTests.Access;

/// <summary>The cell-key method of <see cref="Suppression.Publish"/> (docs/access.md, "Suppression").</summary>
public class CellKeyTests
{
    [Fact]
    public void The_perturbation_table_covers_every_cell_key_once_with_zero_mean()
    {
        var table = Suppression.PerturbationTable;
        Assert.Equal(Suppression.CellKeyModulus, table[^1].UpperCellKey);
        int previous = 0;
        double mean = 0, variance = 0;
        foreach (var (upper, noise) in table)
        {
            Assert.True(upper > previous, "cell-key ranges must increase");
            double p = (upper - previous) / (double)Suppression.CellKeyModulus;
            mean += p * noise;
            variance += p * noise * noise;
            Assert.InRange(Math.Abs(noise), 0, Suppression.MaxNoise);
            previous = upper;
        }
        Assert.Equal(0, mean, 12);
        Assert.Equal(2.7, variance, 12);
        // Symmetric: the noise of cell key c and of M-1-c are opposite.
        for (int c = 0; c < Suppression.CellKeyModulus; c++)
        {
            Assert.Equal(-Suppression.CellKeyNoise(c), Suppression.CellKeyNoise(Suppression.CellKeyModulus - 1 - c));
        }
    }

    [Theory]
    // n, key sum, k, expected (null = withheld). Noise by cell key: 0-19 -4, 20-69 -3, 70-169 -2,
    // 170-349 -1, 350-649 0, 650-829 +1, 830-929 +2, 930-979 +3, 980-999 +4.
    [InlineData(0, 500, 5, null)]     // a true zero stays withheld whatever the noise
    [InlineData(4, 999, 5, null)]     // below k is withheld before any noise
    [InlineData(5, 500, 5, 5L)]
    [InlineData(5, 10, 5, null)]      // 5 - 4 = 1 < k: withheld
    [InlineData(20, 500, 5, 20L)]
    [InlineData(20, 1010, 5, 15L)]    // cell key 10: 16 rounds to 15
    [InlineData(20, 2985, 5, 25L)]    // cell key 985: 24 rounds to 25
    [InlineData(22, 700, 5, 25L)]     // cell key 700: 23 rounds to 25
    [InlineData(22, 300, 5, 20L)]     // cell key 300: 21 rounds to 20
    [InlineData(7, 900, 7, 10L)]      // 9 rounds to 10
    [InlineData(7, 500, 7, 10L)]      // 7 rounds to 5 < k: the first multiple of 5 >= k
    public void Table_of_cases(long n, long keySum, int k, long? expected)
    {
        var published = Suppression.Publish(n, keySum, k);
        Assert.Equal(expected, published.Value);
        Assert.Equal(expected is null, published.Suppressed);
    }

    [Property]
    public bool A_published_count_is_withheld_below_k_else_a_multiple_of_5_at_least_k_within_the_bound(uint n, uint keySum, byte kByte)
    {
        var k = Math.Max(1, (int)kByte);
        var published = Suppression.Publish(n, keySum, k);
        if (n < k) return published.Suppressed;
        return published.Suppressed
            ? n + Suppression.CellKeyNoise(keySum) < k
            : published.Value >= k && published.Value % 5 == 0 && Math.Abs(published.Value!.Value - n) <= Suppression.Bound(k);
    }

    [Fact]
    public void The_same_count_of_different_sets_gets_different_published_values()
    {
        // Rounding alone publishes every n in 18..22 as 20; with the cell key the set decides.
        var values = Enumerable.Range(0, Suppression.CellKeyModulus).Select(key => Suppression.Publish(20, key, 5).Value).ToHashSet();
        Assert.Equal(new HashSet<long?> { 15, 20, 25 }, values);
        // The same set (the same key sum) always gets the same answer.
        Assert.Equal(Suppression.Publish(37, 123_456, 5), Suppression.Publish(37, 123_456, 5));
    }

    [Fact]
    public void Only_suppressed_scopes_get_noise()
    {
        var member = new CallerScope("member", ["1012"], false);
        var viewer = new CallerScope("viewer", null, true, 5);
        Assert.Equal(new SuppressedCount(20, false), Suppression.Count(20, 1010, member));
        Assert.Equal(new SuppressedCount(15, false), Suppression.Count(20, 1010, viewer));
    }
}
