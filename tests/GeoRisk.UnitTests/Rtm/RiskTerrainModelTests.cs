using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GeoRisk.Core.Effects;
using GeoRisk.Core.Hexagons;
using GeoRisk.Core.Rtm;

namespace GeoRisk.UnitTests.Rtm;

public class RiskTerrainModelTests
{
    private static readonly PlantedWorld World = new();
    private static readonly RtmFit Fit = RiskTerrainModel.Fit(World.Counts, World.Factors, World.Settings);

    [Fact]
    public void The_planted_proximity_effect_of_A_is_kept_at_200_m_with_an_RRV_interval_containing_3()
    {
        var a = Assert.Single(Fit.Factors, f => f.Factor == "A");
        Assert.Equal("proximity-200", a.Operationalisation);
        Assert.InRange(PlantedWorld.EffectA, a.RrvLow, a.RrvHigh);
        Assert.True(a.RrvLow > 1, $"A's interval {a.RrvLow}–{a.RrvHigh} should exclude 1");
        Assert.Equal("proximity-200", Fit.Candidates.Single(c => c.Factor == "A").Best);
    }

    [Fact]
    public void B_has_no_effect_and_is_dropped()
    {
        Assert.DoesNotContain(Fit.Factors, f => f.Factor == "B");
        Assert.Equal(2, Fit.Factors.Count);
        Assert.True(Fit.Bic < Fit.NullBic);
    }

    [Fact]
    public void C_is_found_as_a_density_effect()
    {
        var c = Assert.Single(Fit.Factors, f => f.Factor == "C");
        Assert.Equal(InfluenceKind.Density, c.Influence);
        Assert.Equal("density-500", c.Operationalisation);
        Assert.InRange(PlantedWorld.EffectC, c.RrvLow, c.RrvHigh);
        Assert.NotNull(c.DensityThreshold);
    }

    [Fact]
    public void The_RRS_of_a_cell_is_the_product_of_the_RRVs_present()
    {
        var a = Fit.Factors.Single(f => f.Factor == "A");
        var c = Fit.Factors.Single(f => f.Factor == "C");
        var both = Enumerable.Range(0, Fit.Cells).First(i => Fit.Present[i].Length == 2);
        var onlyA = Enumerable.Range(0, Fit.Cells).First(i => Fit.Present[i] is ["A"]);
        var none = Enumerable.Range(0, Fit.Cells).First(i => Fit.Present[i].Length == 0);
        Assert.Equal(a.Rrv * c.Rrv, Fit.Rrs[both], 12);
        Assert.Equal(a.Rrv, Fit.Rrs[onlyA], 12);
        Assert.Equal(1.0, Fit.Rrs[none]);
        // By hand: A within 200 m of cell "both" and C dense (≥ threshold within 500 m) there.
        Assert.True(World.Factors[0].PerCell[both]![0] <= 200);
        Assert.True(World.Factors[2].PerCell[both]!.Count(d => d <= 500) >= c.DensityThreshold);
        Assert.Equal(Math.Exp(Fit.Intercept) * a.Rrv * c.Rrv, Fit.Expected[both], 9);
    }

    [Fact]
    public void The_model_beats_chance_and_a_hot_spot_map_on_the_next_period()
    {
        var model = RtmValidationMeasures.TopShare(Fit.Rrs, World.LaterCounts);
        var hotspot = RtmValidationMeasures.TopShare(RtmValidationMeasures.HotspotScores(World.Cells, World.Counts), World.LaterCounts);
        Assert.True(model.Pai > 2, $"PAI {model.Pai}");
        Assert.True(model.Pai > hotspot.Pai, $"model {model.Pai} vs hot spots {hotspot.Pai}");
    }

    [Fact]
    public void Settings_that_make_no_sense_are_refused_with_a_reason()
    {
        var e = Assert.Throws<RtmException>(() => RiskTerrainModel.Fit(World.Counts, World.Factors, new RtmSettings { Distances = [0, 100] }));
        Assert.Contains("metres", e.Message);
        Assert.Throws<RtmException>(() => RiskTerrainModel.Fit(new double[World.Counts.Length], World.Factors, World.Settings));
    }

    [Fact]
    public void Grouped_fit_agrees_with_statsmodels_on_the_ungrouped_cells_to_1e_6()
    {
        // The reference: statsmodels' GLM(Poisson) on one row per cell with the kept factors' columns.
        var columns = Fit.Factors.Select(f =>
        {
            var factor = World.Factors.Single(w => w.Factor == f.Factor);
            Assert.True(Operationalisation.TryParse(f.Operationalisation, out var op));
            return RiskTerrainModel.Column(factor, op!, World.Settings.DensitySds).Column;
        }).ToList();
        var input = new StringBuilder();
        for (int i = 0; i < Fit.Cells; i++)
            input.Append(World.Counts[i].ToString(CultureInfo.InvariantCulture)).Append(',')
                 .AppendJoin(',', columns.Select(c => c[i] ? "1" : "0")).Append('\n');
        var reference = JsonDocument.Parse(Python.Run("""
            import sys, json, numpy as np, statsmodels.api as sm
            rows = np.array([[float(v) for v in line.split(',')] for line in sys.stdin.read().strip().split('\n')])
            y, x = rows[:, 0], sm.add_constant(rows[:, 1:], has_constant='add')
            fit = sm.GLM(y, x, family=sm.families.Poisson()).fit(tol=1e-14, maxiter=200)
            phi = fit.pearson_chi2 / fit.df_resid
            print(json.dumps({"params": list(fit.params), "bse": list(fit.bse), "llf": fit.llf, "phi": phi,
                              "bic": -2 * fit.llf + len(fit.params) * np.log(len(y))}))
            """, input.ToString())).RootElement;
        double scale = Math.Sqrt(Math.Max(1, reference.GetProperty("phi").GetDouble()));
        Assert.Equal(reference.GetProperty("params")[0].GetDouble(), Fit.Intercept, 1e-6);
        for (int j = 0; j < Fit.Factors.Count; j++)
        {
            Assert.Equal(reference.GetProperty("params")[j + 1].GetDouble(), Fit.Factors[j].Coefficient, 1e-6);
            Assert.Equal(reference.GetProperty("bse")[j + 1].GetDouble() * scale, Fit.Factors[j].StandardError, 1e-6);
        }
        Assert.Equal(reference.GetProperty("llf").GetDouble(), Fit.LogLikelihood, 1e-6);
        Assert.Equal(reference.GetProperty("bic").GetDouble(), Fit.Bic, 1e-6);
        Assert.Equal(reference.GetProperty("phi").GetDouble(), Fit.Dispersion, 1e-6);
    }

    [Fact]
    public void Poisson_regression_with_an_offset_agrees_with_statsmodels_to_1e_6()
    {
        // A continuous design with exposure, the general case of the IRLS (R: glm(y ~ x1 + x2 + offset(log(e)), poisson)).
        var random = new Random(7);
        var rows = Enumerable.Range(0, 300).Select(_ =>
        {
            double x1 = random.NextDouble() * 2 - 1, x2 = random.Next(2), exposure = 0.5 + random.NextDouble() * 4;
            double mu = exposure * Math.Exp(0.3 + 0.8 * x1 - 0.5 * x2);
            return (X: new[] { 1, x1, x2 }, Y: (double)MathNet.Numerics.Distributions.Poisson.Sample(random, mu), Offset: Math.Log(exposure));
        }).ToList();
        var fit = PoissonRegression.Fit(rows.Select(r => r.X).ToArray(), rows.Select(r => r.Y).ToArray(), quasi: false,
            offset: rows.Select(r => r.Offset).ToArray());
        var input = string.Join('\n', rows.Select(r => string.Join(',', new[] { r.Y, r.X[1], r.X[2], r.Offset }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
        var reference = JsonDocument.Parse(Python.Run("""
            import sys, json, numpy as np, statsmodels.api as sm
            rows = np.array([[float(v) for v in line.split(',')] for line in sys.stdin.read().strip().split('\n')])
            fit = sm.GLM(rows[:, 0], sm.add_constant(rows[:, 1:3]), family=sm.families.Poisson(), offset=rows[:, 3]).fit(tol=1e-14, maxiter=200)
            print(json.dumps({"params": list(fit.params), "bse": list(fit.bse)}))
            """, input)).RootElement;
        Assert.True(fit.Converged);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(reference.GetProperty("params")[j].GetDouble(), fit.Coefficients[j], 1e-6);
            Assert.Equal(reference.GetProperty("bse")[j].GetDouble(), fit.StandardErrors[j], 1e-6);
        }
    }
}

public class RtmValidationTests
{
    [Fact]
    public void Hit_rate_and_PAI_of_the_top_cells_by_hand()
    {
        // 20 cells, top 5 % = 1 cell: the one with score 9 holds 3 of the 12 later signals.
        var score = Enumerable.Range(0, 20).Select(i => i == 4 ? 9.0 : 1.0 + i * 0.01).ToArray();
        var counts = new double[20];
        counts[4] = 3; counts[0] = 5; counts[19] = 4;
        var r = RtmValidationMeasures.TopShare(score, counts);
        Assert.Equal(1.0, r.CellsSelected, 12);
        Assert.Equal(3.0, r.Hits);
        Assert.Equal(3.0 / 12, r.HitRate!.Value, 12);
        Assert.Equal(3.0 / 12 / 0.05, r.Pai!.Value, 12);
    }

    [Fact]
    public void A_tie_at_the_cut_counts_with_the_fraction_that_fits()
    {
        // 10 cells, top 20 % = 2 cells: one with RRS 4 (2 signals), then four tied at RRS 2 holding 1+0+3+0 signals.
        double[] rrs = [4, 2, 2, 2, 2, 1, 1, 1, 1, 1];
        double[] later = [2, 1, 0, 3, 0, 1, 1, 0, 0, 2];
        var r = RtmValidationMeasures.TopShare(rrs, later, 0.2);
        Assert.Equal(2 + 4.0 / 4, r.Hits, 12);
        Assert.Equal(3.0 / 10, r.HitRate!.Value, 12);
        Assert.Equal(0.3 / 0.2, r.Pai!.Value, 12);
        Assert.Null(RtmValidationMeasures.TopShare(rrs, new double[10], 0.2).Pai);
    }

    [Fact]
    public void The_hot_spot_score_of_a_cell_sums_it_and_its_neighbours_in_the_area()
    {
        HexCell[] cells = [new(100, 0, 0), new(100, 1, 0), new(100, 0, 1), new(100, 5, 5)];
        var scores = RtmValidationMeasures.HotspotScores(cells, [1, 2, 4, 8]);
        Assert.Equal([7.0, 7.0, 7.0, 8.0], scores);
    }

    [Fact]
    public void Blind_spots_are_high_RRS_cells_without_signals()
    {
        double[] rrs = [6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        double[] observed = [0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        // Top 20 % = 4 cells (RRS ≥ 3); cell 1 has signals.
        Assert.Equal([0, 2, 3], RtmValidationMeasures.BlindSpots(rrs, observed, 0.2));
        Assert.Equal([0, 1, 2, 3], RtmValidationMeasures.BlindSpots(rrs, observed, 0.2, maxSignals: 2));
    }
}

internal static class Python
{
    /// <summary>Debian's python3 with python3-statsmodels (scripts/test.sh installs it): the reference GLM.</summary>
    public static string Run(string script, string input)
    {
        var path = Path.Combine(Path.GetTempPath(), $"georisk-rtm-{Guid.NewGuid():N}.py");
        File.WriteAllText(path, script);
        try
        {
            var start = new ProcessStartInfo("/usr/bin/python3", [path])
                { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(input);
            process.StandardInput.Close();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "python3 failed: " + error.Result);
            return output.Result;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
