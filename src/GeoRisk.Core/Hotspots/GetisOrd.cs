using GeoRisk.Core.Hexagons;

namespace GeoRisk.Core.Hotspots;

/// <summary>Hot/cold spot class after the false-discovery-rate correction, as ArcGIS's Gi_Bin: ±3 = 99 %, ±2 = 95 %, ±1 = 90 %.</summary>
public static class HotspotClass
{
    public static int Bin(double z, double pAdjusted) =>
        Math.Sign(z) * (pAdjusted <= 0.01 ? 3 : pAdjusted <= 0.05 ? 2 : pAdjusted <= 0.10 ? 1 : 0);

    public static string Name(int bin) => bin switch
    {
        3 => "hot-99", 2 => "hot-95", 1 => "hot-90",
        -3 => "cold-99", -2 => "cold-95", -1 => "cold-90",
        _ => "not-significant",
    };
}

public sealed record GiStarResult(HexCell Cell, double Value, double Z, double P, double PAdjusted, int Bin)
{
    public string Class => HotspotClass.Name(Bin);
}

/// <summary>
/// Getis-Ord Gi* over a set of hexagon cells (the study region, zeros included) with binary
/// weights: a cell's neighbourhood is itself plus every cell within <c>rings</c> steps that is in
/// the set. This is the brute-force reference (O(n²)); the SQL (sql/0402) must agree with it.
///   Gi* = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / (S √((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)))
/// with X̄ the mean and S the population standard deviation of x. p is two-sided from the normal
/// distribution, then Benjamini-Hochberg adjusted over all cells.
/// </summary>
public static class GetisOrd
{
    public static IReadOnlyList<GiStarResult> BruteForce(IReadOnlyList<(HexCell Cell, double Value)> cells, int rings)
    {
        int n = cells.Count;
        double sum = 0, sumSquares = 0;
        foreach (var (_, x) in cells) { sum += x; sumSquares += x * x; }
        double mean = sum / n;
        double s = Math.Sqrt(Math.Max(0, sumSquares / n - mean * mean));
        var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            double wx = 0, w = 0;
            for (int j = 0; j < n; j++)
            {
                if (HexGrid.Distance(cells[i].Cell, cells[j].Cell) > rings) continue;
                wx += cells[j].Value;
                w += 1;
            }
            // Binary weights: Σ w² = Σ w.
            double denominator = s * Math.Sqrt((n * w - w * w) / (n - 1));
            z[i] = n < 2 || denominator <= 0 ? 0 : (wx - mean * w) / denominator;
        }
        var p = z.Select(v => 2 * Normal.UpperTail(Math.Abs(v))).ToArray();
        var adjusted = BenjaminiHochberg(p);
        return Enumerable.Range(0, n)
            .Select(i => new GiStarResult(cells[i].Cell, cells[i].Value, z[i], p[i], adjusted[i], HotspotClass.Bin(z[i], adjusted[i])))
            .ToList();
    }

    /// <summary>Benjamini-Hochberg adjusted p-values: q_(k) = min over j ≥ k of m·p_(j)/j, at most 1. Ties get equal values.</summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> p)
    {
        int m = p.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => p[i]).ToArray();
        var adjusted = new double[m];
        double running = 1.0;
        for (int k = m; k >= 1; k--)
        {
            int i = order[k - 1];
            running = Math.Min(running, m * p[i] / k);
            adjusted[i] = running;
        }
        return adjusted;
    }
}

/// <summary>The standard normal distribution's tail, accurate to about 1e-15 (W. J. Cody via G. West, 2005).</summary>
public static class Normal
{
    /// <summary>P(Z ≥ x) for x ≥ 0; the SQL function normal_upper_tail is the same arithmetic.</summary>
    public static double UpperTail(double x)
    {
        double a = Math.Abs(x);
        double c;
        if (a > 37) c = 0;
        else
        {
            double e = Math.Exp(-a * a / 2);
            if (a < 7.07106781186547)
            {
                double num = 3.52624965998911E-02 * a + 0.700383064443688;
                num = num * a + 6.37396220353165;
                num = num * a + 33.912866078383;
                num = num * a + 112.079291497871;
                num = num * a + 221.213596169931;
                num = num * a + 220.206867912376;
                double den = 8.83883476483184E-02 * a + 1.75566716318264;
                den = den * a + 16.064177579207;
                den = den * a + 86.7807322029461;
                den = den * a + 296.564248779674;
                den = den * a + 637.333633378831;
                den = den * a + 793.826512519948;
                den = den * a + 440.413735824752;
                c = e * num / den;
            }
            else
            {
                double b = a + 0.65;
                b = a + 4 / b;
                b = a + 3 / b;
                b = a + 2 / b;
                b = a + 1 / b;
                c = e / b / 2.506628274631;
            }
        }
        return x >= 0 ? c : 1 - c;
    }
}
