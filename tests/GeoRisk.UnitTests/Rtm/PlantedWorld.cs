using GeoRisk.Core.Hexagons;
using GeoRisk.Core.Rtm;
using MathNet.Numerics.Distributions;

namespace GeoRisk.UnitTests.Rtm;

/// <summary>
/// A synthetic study area with a planted effect, fully known: 100 m hexagons over a 15 × 15 km
/// square; risk ×3 within 200 m of a factor A feature, no effect of B, ×2.5 where factor C is
/// dense within 500 m (clusters of six, plus lone C features that do nothing). Signals per cell
/// are Poisson draws from those rates (fixed seed).
/// </summary>
public sealed class PlantedWorld
{
    public const double BaseRate = 0.4;
    public const double EffectA = 3.0;
    public const double EffectC = 2.5;

    public IReadOnlyList<HexCell> Cells { get; }
    public IReadOnlyList<FactorDistances> Factors { get; }
    public double[] Counts { get; }
    public double[] LaterCounts { get; }
    public double[] Rate { get; }
    public RtmSettings Settings { get; } = new();

    public PlantedWorld(int seed = 20)
    {
        var random = new Random(seed);
        const double x0 = 150_000, y0 = 450_000, side = 15_000;
        var cells = new List<HexCell>();
        var q0 = (int)Math.Ceiling(x0 / 150.0);
        var q1 = (int)Math.Floor((x0 + side) / 150.0);
        for (int q = q0; q <= q1; q++)
        {
            int r0 = (int)Math.Ceiling(y0 / (Math.Sqrt(3) * 100) - q / 2.0);
            int r1 = (int)Math.Floor((y0 + side) / (Math.Sqrt(3) * 100) - q / 2.0);
            for (int r = r0; r <= r1; r++) cells.Add(new HexCell(100, q, r));
        }
        Cells = cells;
        (double X, double Y) Anywhere() => (x0 + random.NextDouble() * side, y0 + random.NextDouble() * side);
        var a = Enumerable.Range(0, 70).Select(_ => Anywhere()).ToList();
        var b = Enumerable.Range(0, 70).Select(_ => Anywhere()).ToList();
        var c = new List<(double X, double Y)>();
        for (int k = 0; k < 10; k++)
        {
            var (cx, cy) = Anywhere();
            for (int m = 0; m < 6; m++) c.Add((cx + (random.NextDouble() - 0.5) * 200, cy + (random.NextDouble() - 0.5) * 200));
        }
        for (int k = 0; k < 40; k++) c.Add(Anywhere());
        Factors = [Distances("A", a), Distances("B", b), Distances("C", c)];
        var nearA = RiskTerrainModel.Column(Factors[0], new Operationalisation(InfluenceKind.Proximity, 200), Settings.DensitySds).Column;
        var denseC = RiskTerrainModel.Column(Factors[2], new Operationalisation(InfluenceKind.Density, 500), Settings.DensitySds).Column;
        Rate = Enumerable.Range(0, cells.Count).Select(i => BaseRate * (nearA[i] ? EffectA : 1) * (denseC[i] ? EffectC : 1)).ToArray();
        Counts = Rate.Select(rate => (double)Poisson.Sample(random, rate)).ToArray();
        LaterCounts = Rate.Select(rate => (double)Poisson.Sample(random, rate)).ToArray();
    }

    private FactorDistances Distances(string name, List<(double X, double Y)> features)
    {
        var reach = Settings.ReachMetres;
        var perCell = Cells.Select(cell =>
        {
            var (x, y) = HexGrid.Centre(cell);
            var near = features.Select(f => Math.Sqrt((f.X - x) * (f.X - x) + (f.Y - y) * (f.Y - y))).Where(d => d <= reach).Order().ToArray();
            return near.Length == 0 ? null : near;
        }).ToArray();
        return new FactorDistances(name, perCell);
    }
}
