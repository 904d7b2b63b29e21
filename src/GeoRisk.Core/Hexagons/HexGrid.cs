namespace GeoRisk.Core.Hexagons;

/// <summary>An axial hexagon cell of one grid size (metres, circumradius).</summary>
public readonly record struct HexCell(int SizeM, int Q, int R)
{
    /// <summary>Third cube coordinate: q + r + s = 0.</summary>
    public int S => -Q - R;
}

/// <summary>
/// The hexagon grids of sql/functions/0300_hexbins.sql, mirrored for C#: flat-topped hexagons over RD New
/// (EPSG:28992) with origin (0, 0), axial coordinates (q, r), and <c>size</c> = circumradius =
/// edge length (as ST_HexagonGrid's size). Centre of (q, r): (1.5·size·q, √3·size·(r + q/2)).
/// The arithmetic is the same as the SQL's, operation by operation, so both bin a point into the
/// same cell even on an edge (round half to even on both sides).
/// </summary>
public static class HexGrid
{
    /// <summary>The cell sizes kept in hex_count (table hex_size).</summary>
    public static IReadOnlyList<int> Sizes { get; } = [100, 250, 500, 1000, 2500];

    private static readonly double Sqrt3 = Math.Sqrt(3.0);

    /// <summary>The cell containing RD point (x, y); SQL: hex_qr(size_m, x, y).</summary>
    public static HexCell CellAt(int sizeM, double x, double y)
    {
        if (sizeM <= 0) throw new ArgumentOutOfRangeException(nameof(sizeM), sizeM, "cell size must be positive");
        double size = sizeM;
        double fq = x * (2.0 / 3.0) / size;
        double fr = (y * (Sqrt3 / 3.0) - x / 3.0) / size;
        double fs = -fq - fr;
        double rq = Math.Round(fq), rr = Math.Round(fr), rs = Math.Round(fs);
        double dq = Math.Abs(rq - fq), dr = Math.Abs(rr - fr), ds = Math.Abs(rs - fs);
        if (dq > dr && dq > ds) return new HexCell(sizeM, (int)(-rr - rs), (int)rr);
        if (dr > ds) return new HexCell(sizeM, (int)rq, (int)(-rq - rs));
        return new HexCell(sizeM, (int)rq, (int)rr);
    }

    /// <summary>Centre of a cell in RD metres.</summary>
    public static (double X, double Y) Centre(HexCell cell)
    {
        double size = cell.SizeM;
        return (1.5 * size * cell.Q, Sqrt3 * size * (cell.R + cell.Q / 2.0));
    }

    /// <summary>The six corners counter-clockwise from the east vertex, ring closed (7 points), as hex_polygon.</summary>
    public static IReadOnlyList<(double X, double Y)> Corners(HexCell cell)
    {
        var (x, y) = Centre(cell);
        double s = cell.SizeM, h = cell.SizeM * Sqrt3 / 2;
        return [(x + s, y), (x + s / 2, y + h), (x - s / 2, y + h), (x - s, y), (x - s / 2, y - h), (x + s / 2, y - h), (x + s, y)];
    }

    /// <summary>Number of steps between two cells of the same grid (0 = same cell, 1 = adjacent).</summary>
    public static int Distance(HexCell a, HexCell b)
    {
        if (a.SizeM != b.SizeM) throw new ArgumentException("cells of different grids have no distance");
        return (Math.Abs(a.Q - b.Q) + Math.Abs(a.R - b.R) + Math.Abs(a.S - b.S)) / 2;
    }

    /// <summary>The cells within <paramref name="rings"/> steps, the cell itself included (1 + 3k(k+1) cells).</summary>
    public static IEnumerable<HexCell> Neighbourhood(HexCell cell, int rings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rings);
        for (int dq = -rings; dq <= rings; dq++)
        {
            for (int dr = Math.Max(-rings, -dq - rings); dr <= Math.Min(rings, -dq + rings); dr++)
                yield return new HexCell(cell.SizeM, cell.Q + dq, cell.R + dr);
        }
    }

    /// <summary>Area of one cell in m²: (3√3/2)·size².</summary>
    /// <summary>At most this many cells in one Gi* analysis (the hot-spot endpoint and the hotspots tiles).</summary>
    public const int MaxHotspotCells = 60_000;

    public static double AreaM2(int sizeM) => 1.5 * Sqrt3 * sizeM * (double)sizeM;
}
