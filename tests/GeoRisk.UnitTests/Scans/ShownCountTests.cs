using GeoRisk.Reports.Scans;

namespace GeoRisk.UnitTests.Scans;

public sealed class ShownCountTests
{
    [Fact]
    public void A_ratio_moves_with_the_published_count()
    {
        // 23 signals published as 25: a rate ratio of 2.3 becomes 2.5, whatever the exact count was.
        Assert.Equal(2.5, new ShownCount(25, false).Rescale(2.3, 23)!.Value, 12);
        Assert.Equal(2.5, new ShownCount(25, false).Rescale(2.6, 26)!.Value, 12);
    }

    [Fact]
    public void A_baseline_ratio_moves_inversely()
    {
        // The ratio over a baseline count of 20 published as 25 shrinks by 20/25.
        Assert.Equal(1.6, new ShownCount(25, false).Rescale(2.0, 20, inverse: true)!.Value, 12);
        Assert.Null(new ShownCount(0, false).Rescale(2.0, 3, inverse: true));
    }

    [Fact]
    public void Withheld_counts_and_empty_units_give_no_ratio()
    {
        Assert.Null(new ShownCount(null, true).Rescale(1.7, 4));
        Assert.Null(new ShownCount(10, false).Rescale(null, 10));
        Assert.Null(new ShownCount(0, false).Rescale(1.0, 0));
    }
}
