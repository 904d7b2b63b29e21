using GeoRisk.Core.Hexagons;
using GeoRisk.Core.Hotspots;
using Xunit;

namespace GeoRisk.UnitTests.Scoring;

public class GetisOrdTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.15865525393145707)]
    [InlineData(1.959963984540054, 0.025)]
    [InlineData(3.0, 0.0013498980316301)]
    [InlineData(8.0, 6.220960574271785e-16)]
    public void Normal_upper_tail(double x, double expected)
    {
        Assert.Equal(expected, Normal.UpperTail(x), expected * 1e-12 + 1e-15);
    }

    [Fact]
    public void Benjamini_Hochberg_matches_a_worked_example()
    {
        // p sorted 0.01, 0.02, 0.03, 0.04, 0.20 (m = 5): m·p/k = 0.05, 0.05, 0.05, 0.05, 0.20.
        var adjusted = GetisOrd.BenjaminiHochberg([0.04, 0.01, 0.20, 0.03, 0.02]);
        Assert.Equal([0.05, 0.05, 0.20, 0.05, 0.05], adjusted.Select(a => Math.Round(a, 12)));
        // Ties get the same adjusted value.
        var tied = GetisOrd.BenjaminiHochberg([0.02, 0.02, 0.5]);
        Assert.Equal(tied[0], tied[1]);
    }

    [Fact]
    public void A_cluster_of_high_values_is_a_hot_spot_and_the_rest_is_not()
    {
        var cells = new List<(HexCell, double)>();
        var random = new Random(11);
        for (int q = 0; q < 20; q++)
            for (int r = 0; r < 20; r++)
            {
                var cell = new HexCell(250, q, r);
                bool inCluster = HexGrid.Distance(cell, new HexCell(250, 10, 10)) <= 1;
                cells.Add((cell, inCluster ? 40 + random.Next(5) : random.Next(3)));
            }
        var results = GetisOrd.BruteForce(cells, 1).ToDictionary(r => r.Cell);
        var centre = results[new HexCell(250, 10, 10)];
        Assert.True(centre.Z > 10);
        Assert.Equal("hot-99", centre.Class);
        Assert.Equal("not-significant", results[new HexCell(250, 1, 1)].Class);
        Assert.All(results.Values, r => Assert.InRange(r.PAdjusted, r.P, 1));
    }

    [Fact]
    public void Gi_star_by_hand_on_a_line_of_three_cells()
    {
        // Cells (0,0), (1,0), (2,0) with x = 1, 2, 6; n = 3, mean 3, S = √(41/3 − 9) = √(14/3).
        // Cell (0,0): neighbours {(0,0),(1,0)}: Σwx = 3, Σw = 2 → (3 − 6) / (S·√((3·2 − 4)/2)) = −3 / S.
        var results = GetisOrd.BruteForce([(new HexCell(100, 0, 0), 1), (new HexCell(100, 1, 0), 2), (new HexCell(100, 2, 0), 6)], 1);
        double s = Math.Sqrt(14.0 / 3);
        Assert.Equal(-3 / s, results[0].Z, 12);
        Assert.Equal(0, results[1].Z, 12); // all three: n·Σw − (Σw)² = 0 → defined as 0
        Assert.Equal((8 - 6) / s, results[2].Z, 12);
    }
}
