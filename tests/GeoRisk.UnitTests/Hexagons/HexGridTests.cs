using GeoRisk.Core.Hexagons;
using Xunit;

namespace GeoRisk.UnitTests.Hexagons;

public class HexGridTests
{
    [Theory]
    [InlineData(250, 121000.0, 487000.0, 323, 963)] // same answer as SELECT * FROM hex_qr(250, 121000, 487000)
    [InlineData(100, 0.0, 0.0, 0, 0)]
    [InlineData(100, 150.0, 86.60254037844386, 1, 0)] // centre of (1, 0)
    [InlineData(100, 0.0, 173.20508075688772, 0, 1)]  // centre of (0, 1)
    [InlineData(1000, -1500.0, -866.0254037844386, -1, 0)]
    public void CellAt_known_points(int size, double x, double y, int q, int r)
    {
        Assert.Equal(new HexCell(size, q, r), HexGrid.CellAt(size, x, y));
    }

    [Fact]
    public void Every_point_lies_in_the_cell_whose_centre_is_nearest()
    {
        var random = new Random(4);
        foreach (int size in HexGrid.Sizes)
        {
            for (int i = 0; i < 2000; i++)
            {
                double x = 10000 + random.NextDouble() * 270000, y = 300000 + random.NextDouble() * 330000;
                var cell = HexGrid.CellAt(size, x, y);
                var (cx, cy) = HexGrid.Centre(cell);
                double own = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                // A hexagon's points are within the circumradius of its centre ...
                Assert.True(own <= size + 1e-6, $"point {x},{y} is {own} m from the centre of {cell}");
                // ... and no neighbour's centre is nearer (Voronoi property of the hexagonal lattice).
                foreach (var n in HexGrid.Neighbourhood(cell, 1))
                {
                    var (nx, ny) = HexGrid.Centre(n);
                    Assert.True(own <= Math.Sqrt((x - nx) * (x - nx) + (y - ny) * (y - ny)) + 1e-6);
                }
            }
        }
    }

    [Fact]
    public void Centre_maps_back_to_its_cell_and_corners_are_size_away()
    {
        for (int q = -5; q <= 5; q++)
        {
            for (int r = -5; r <= 5; r++)
            {
                var cell = new HexCell(250, q + 480, r + 960);
                var (x, y) = HexGrid.Centre(cell);
                Assert.Equal(cell, HexGrid.CellAt(250, x, y));
                var corners = HexGrid.Corners(cell);
                Assert.Equal(7, corners.Count);
                Assert.Equal(corners[0], corners[6]);
                foreach (var (px, py) in corners)
                    Assert.Equal(250.0, Math.Sqrt((px - x) * (px - x) + (py - y) * (py - y)), 6);
            }
        }
    }

    [Fact]
    public void Neighbourhood_has_the_hexagonal_number_of_cells_within_distance()
    {
        var centre = new HexCell(500, 10, -4);
        for (int k = 0; k <= 4; k++)
        {
            var cells = HexGrid.Neighbourhood(centre, k).ToList();
            Assert.Equal(1 + 3 * k * (k + 1), cells.Count);
            Assert.Equal(cells.Count, cells.Distinct().Count());
            Assert.All(cells, c => Assert.True(HexGrid.Distance(centre, c) <= k));
        }
    }

    [Fact]
    public void Adjacent_cells_are_one_cell_width_apart()
    {
        var a = new HexCell(100, 3, 7);
        var (ax, ay) = HexGrid.Centre(a);
        foreach (var n in HexGrid.Neighbourhood(a, 1).Where(c => c != a))
        {
            var (nx, ny) = HexGrid.Centre(n);
            Assert.Equal(100 * Math.Sqrt(3), Math.Sqrt((ax - nx) * (ax - nx) + (ay - ny) * (ay - ny)), 6);
            Assert.Equal(1, HexGrid.Distance(a, n));
        }
    }

    [Fact]
    public void Area_of_a_250_m_cell()
    {
        Assert.Equal(162379.8, HexGrid.AreaM2(250), 1);
    }
}
