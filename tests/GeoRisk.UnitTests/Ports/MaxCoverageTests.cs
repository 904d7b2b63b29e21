using GeoRisk.Core.Ports;

namespace GeoRisk.UnitTests.Ports;

/// <summary>Greedy max coverage against the exact optimum (brute force) on small instances.</summary>
public class MaxCoverageTests
{
    [Fact]
    public void Greedy_on_twelve_sites_is_within_its_bound_of_the_brute_force_optimum()
    {
        // 12 candidate sites over 40 demand points with uneven weights; every budget 1–5.
        var random = new Random(13);
        var weights = Enumerable.Range(0, 40).Select(_ => 1 + random.Next(0, 9) * 0.5).ToArray();
        var covers = Enumerable.Range(0, 12)
            .Select(_ => Enumerable.Range(0, 40).Where(_ => random.NextDouble() < 0.2).ToArray())
            .ToList();
        for (var budget = 1; budget <= 5; budget++)
        {
            var greedy = MaxCoverage.Greedy(covers, weights, budget);
            var (best, optimum) = MaxCoverage.BruteForce(covers, weights, budget);
            Assert.Equal(budget, best.Length);
            Assert.True(greedy.Covered <= optimum + 1e-9, $"greedy {greedy.Covered} above the optimum {optimum}");
            Assert.True(greedy.Covered >= MaxCoverage.GreedyBound * optimum - 1e-9, $"budget {budget}: greedy {greedy.Covered} < (1-1/e) × {optimum}");
            Assert.True(greedy.UpperBound >= optimum - 1e-9, $"upper bound {greedy.UpperBound} below the optimum {optimum}");
            // The picks' gains add up to the covered value, and the covered value is what the chosen sets cover.
            Assert.Equal(greedy.Covered, greedy.Picks.Sum(p => p.Gain), 9);
            Assert.Equal(greedy.Covered, MaxCoverage.Value(greedy.Picks.Select(p => covers[p.Candidate]), weights), 9);
        }
    }

    [Fact]
    public void Lazy_greedy_picks_what_plain_greedy_picks()
    {
        var random = new Random(7);
        var weights = Enumerable.Range(0, 300).Select(_ => random.NextDouble()).ToArray();
        var covers = Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, 300).Where(_ => random.NextDouble() < 0.05).ToArray()).ToList();
        var lazy = MaxCoverage.Greedy(covers, weights, 10);
        // Plain greedy: recompute every gain every round.
        var covered = new bool[weights.Length];
        var chosen = new List<int>();
        for (var round = 0; round < 10; round++)
        {
            var best = Enumerable.Range(0, covers.Count).Where(i => !chosen.Contains(i))
                .Select(i => (i, gain: covers[i].Where(d => !covered[d]).Sum(d => weights[d])))
                .OrderByDescending(t => t.gain).ThenBy(t => t.i).First();
            chosen.Add(best.i);
            foreach (var d in covers[best.i]) covered[d] = true;
        }
        Assert.Equal(chosen, lazy.Picks.Select(p => p.Candidate));
        Assert.True(lazy.Evaluations < covers.Count * 10, "lazy evaluation should recompute far fewer gains than plain greedy");
    }

    [Fact]
    public void Greedy_is_exact_when_the_best_sets_are_disjoint()
    {
        // Three disjoint heavy sets and overlapping light ones: greedy takes the heavy three, which is optimal.
        double[] weights = [5, 5, 4, 4, 3, 3, 1, 1, 1];
        List<int[]> covers = [[0, 1], [2, 3], [4, 5], [1, 2, 6], [3, 4, 7], [6, 7, 8]];
        var greedy = MaxCoverage.Greedy(covers, weights, 3);
        var (_, optimum) = MaxCoverage.BruteForce(covers, weights, 3);
        Assert.Equal(24, optimum);
        Assert.Equal(optimum, greedy.Covered);
        Assert.Equal([0, 1, 2], greedy.Picks.Select(p => p.Candidate).Order());
        Assert.Equal([10.0, 18.0, 24.0], greedy.Picks.Select(p => p.Cumulative));
    }

    [Fact]
    public void The_classic_trap_makes_greedy_suboptimal_but_within_the_bound()
    {
        // Greedy first takes the big middle set and then can only add little; two halves were better.
        double[] weights = [1, 1, 1, 1, 1, 1, 1, 1];
        List<int[]> covers = [[0, 1, 2, 3], [4, 5, 6, 7], [1, 2, 3, 4, 5]];
        var greedy = MaxCoverage.Greedy(covers, weights, 2);
        var (_, optimum) = MaxCoverage.BruteForce(covers, weights, 2);
        Assert.Equal(8, optimum);
        Assert.Equal(2, greedy.Picks[0].Candidate);
        Assert.True(greedy.Covered < optimum);
        Assert.True(greedy.Covered >= MaxCoverage.GreedyBound * optimum);
    }

    [Fact]
    public void Siting_instance_assigns_points_to_the_headings_that_see_them()
    {
        // One site at the origin, four headings of 90°: a point to the north-east (bearing 30°) lies in heading 0 only.
        var (candidates, covers) = SitingInstance.Build([new CandidateSite("A", 0, 0)],
            [new DemandPoint(50 * Math.Sin(Math.PI / 6), 50 * Math.Cos(Math.PI / 6), 1), new DemandPoint(0, -60, 2), new DemandPoint(500, 0, 3)], 4, 90, 100);
        Assert.Equal([0.0, 90.0, 180.0, 270.0], candidates.Select(c => c.HeadingDeg));
        Assert.Equal([0], covers[0]);
        Assert.Empty(covers[1]);
        Assert.Equal([1], covers[2]);
        Assert.Empty(covers[3]); // the point 500 m away is out of range for every heading
    }

    [Theory]
    [InlineData(90, 8)]
    [InlineData(45, 3)]
    [InlineData(360, 8)]
    public void Siting_instance_equals_SectorContains_over_every_point(double fov, int headings)
    {
        // The grid and the once-per-point bearing must not change which points a candidate sees:
        // the plain test of every site, heading and point gives the same lists in the same order.
        var random = new Random(13);
        var sites = Enumerable.Range(0, 60).Select(i => new CandidateSite($"S{i}", random.NextDouble() * 1000, random.NextDouble() * 1000)).ToList();
        sites.Add(new CandidateSite("on-a-point", 500, 500));
        var demand = Enumerable.Range(0, 3000).Select(_ => new DemandPoint(random.NextDouble() * 1000, random.NextDouble() * 1000, 1)).ToList();
        demand.Add(new DemandPoint(500, 500, 1));
        var (candidates, covers) = SitingInstance.Build(sites, demand, headings, fov, 120);
        var expectedHeadings = fov >= 360 ? 1 : headings;
        Assert.Equal(sites.Count * expectedHeadings, candidates.Count);
        for (var c = 0; c < candidates.Count; c++)
        {
            var site = sites[candidates[c].Site];
            var camera = new CameraSpec(site.X, site.Y, candidates[c].HeadingDeg, fov, 120);
            var expected = Enumerable.Range(0, demand.Count).Where(i => Viewshed.SectorContains(camera, demand[i].X, demand[i].Y)).ToHashSet();
            Assert.Equal(expected.Count, covers[c].Length);
            Assert.True(expected.SetEquals(covers[c]), $"candidate {c}");
        }
        Assert.Contains(covers, set => set.Length > 0);
    }
}
