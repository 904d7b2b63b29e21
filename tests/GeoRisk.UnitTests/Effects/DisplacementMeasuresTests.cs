using GeoRisk.Core.Effects;

namespace GeoRisk.UnitTests.Effects;

public class DisplacementMeasuresTests
{
    // Worked by hand: the control rose by 10 % (200 → 220), so the target was expected at
    // 100 · 1.1 = 110 and the buffer at 50 · 1.1 = 55; 60 and 66 were seen.
    private static readonly EffectCounts Worked = new(100, 60, 50, 66, 200, 220);

    [Fact]
    public void Success_measure_is_the_change_in_the_target_to_control_ratio()
        => Assert.Equal(60.0 / 220 - 100.0 / 200, DisplacementMeasures.SuccessMeasure(Worked), 12);

    [Fact]
    public void Buffer_displacement_measure_is_the_change_in_the_buffer_to_control_ratio()
        => Assert.Equal(0.05, DisplacementMeasures.BufferDisplacementMeasure(Worked), 12);

    [Fact]
    public void Wdq_of_the_worked_example_is_minus_0_22()
        => Assert.Equal(-0.22, DisplacementMeasures.Wdq(Worked), 9);

    [Fact]
    public void Total_net_effect_is_prevented_in_target_minus_displaced_to_buffer()
    {
        Assert.Equal(50, DisplacementMeasures.TargetNetEffect(Worked), 9);
        Assert.Equal(-11, DisplacementMeasures.BufferNetEffect(Worked), 9);
        Assert.Equal(39, DisplacementMeasures.TotalNetEffect(Worked), 9);
    }

    [Fact]
    public void Wdq_is_undefined_when_the_target_did_not_change_relative_to_control()
        => Assert.True(double.IsNaN(DisplacementMeasures.Wdq(new EffectCounts(100, 100, 10, 20, 50, 50))));

    [Fact]
    public void Everything_moved_from_target_to_buffer_gives_wdq_minus_one_and_no_net_effect()
    {
        var moved = new EffectCounts(200, 100, 100, 200, 400, 400);
        Assert.Equal(-1, DisplacementMeasures.Wdq(moved), 12);
        Assert.Equal(0, DisplacementMeasures.TotalNetEffect(moved), 12);
    }
}

public class EffectVerdictTests
{
    [Fact]
    public void Planted_displacement_is_classified_as_displacement()
    {
        var result = EffectAnalysis.Analyse(new EffectCounts(200, 100, 100, 200, 400, 400));
        Assert.Equal(TargetChange.Decrease, result.Target);
        Assert.Equal(BufferChange.Displacement, result.Buffer);
        Assert.Equal("decrease_with_displacement", result.Verdict);
    }

    [Fact]
    public void Displacement_larger_than_the_decrease_has_its_own_verdict()
    {
        var result = EffectAnalysis.Analyse(new EffectCounts(200, 150, 100, 250, 400, 400));
        Assert.True(result.Wdq < -1);
        Assert.Equal("displacement_exceeds_decrease", result.Verdict);
    }

    [Fact]
    public void Planted_diffusion_of_benefits_is_classified_as_diffusion()
    {
        var result = EffectAnalysis.Analyse(new EffectCounts(200, 100, 100, 50, 400, 400));
        Assert.Equal(BufferChange.Diffusion, result.Buffer);
        Assert.Equal("decrease_with_diffusion", result.Verdict);
        Assert.True(result.Wdq > 0);
    }

    [Fact]
    public void No_change_anywhere_is_no_effect()
    {
        var result = EffectAnalysis.Analyse(new EffectCounts(200, 204, 100, 97, 400, 398));
        Assert.Equal(TargetChange.NoChange, result.Target);
        Assert.Equal(BufferChange.NoChange, result.Buffer);
        Assert.Equal("no_effect", result.Verdict);
    }

    [Fact]
    public void Too_few_signals_are_not_judged()
    {
        var result = EffectAnalysis.Analyse(new EffectCounts(6, 2, 3, 9, 400, 400));
        Assert.Equal("too_few_signals", result.Verdict);
        Assert.Null(result.WdqInterval);
    }

    [Fact]
    public void A_general_fall_in_the_region_is_not_read_as_an_effect()
    {
        // Target and control both halve: the target's own before/after ratio is significant, the effect is not.
        var result = EffectAnalysis.Analyse(new EffectCounts(200, 100, 100, 50, 400, 200));
        Assert.True(result.TargetAfterBefore.Upper < 1);
        Assert.Equal("no_effect", result.Verdict);
    }

    [Fact]
    public void Bootstrap_intervals_contain_the_estimate_and_are_reproducible()
    {
        var counts = new EffectCounts(300, 180, 150, 170, 600, 620);
        var first = EffectAnalysis.Analyse(counts);
        var second = EffectAnalysis.Analyse(counts);
        Assert.NotNull(first.WdqInterval);
        Assert.InRange(first.Wdq, first.WdqInterval!.Lower, first.WdqInterval.Upper);
        Assert.InRange(first.TotalNetEffect, first.TotalNetEffectInterval!.Lower, first.TotalNetEffectInterval.Upper);
        Assert.Equal(first.WdqInterval, second.WdqInterval);
        Assert.True(first.WdqInterval.Upper > first.WdqInterval.Lower);
    }
}

public class RateRatioTests
{
    // Reference values: SciPy 1.10 scipy.stats.binomtest(after, after + before, t/(1+t)) with
    // proportion_ci(0.95, 'exact') mapped to θ = p/(1−p)/t — the computation of R's poisson.test.
    [Theory]
    [InlineData(12, 30, 0.007915897334896727, 0.18650910683416938, 0.8045290900361235)]
    [InlineData(45, 40, 0.6646454904132135, 0.7183791472104845, 1.7674678640248525)]
    [InlineData(0, 7, 0.015625, 0.0, 0.6938139800965825)]
    [InlineData(3, 20, 0.00048828125, 0.0285436363590859, 0.5057726902575632)]
    [InlineData(150, 210, 0.001834007417096482, 0.5753514578109259, 0.8849943098099934)]
    public void Exact_interval_and_p_value_match_the_reference(int after, int before, double p, double lower, double upper)
    {
        var ratio = RateRatio.Exact(after, before);
        Assert.Equal((double)after / before, ratio.Estimate, 12);
        Assert.Equal(p, ratio.PValue, 9);
        Assert.Equal(lower, ratio.Lower, 9);
        Assert.Equal(upper, ratio.Upper, 9);
    }

    [Fact]
    public void Exact_interval_with_no_before_signals_is_open_above()
    {
        var ratio = RateRatio.Exact(7, 0);
        Assert.Equal(1.4413085188349697, ratio.Lower, 9);
        Assert.True(double.IsPositiveInfinity(ratio.Upper));
        Assert.Equal(0.015625, ratio.PValue, 12);
    }

    [Fact]
    public void Windows_of_unequal_length_scale_the_ratio()
    {
        var ratio = RateRatio.Exact(20, 15, lengthRatio: 2);
        Assert.Equal(20.0 / 15 / 2, ratio.Estimate, 12);
        Assert.Equal(0.2813417246105362, ratio.PValue, 9);
        Assert.Equal(0.3244443696158993, ratio.Lower, 9);
        Assert.Equal(1.3994994901367126, ratio.Upper, 9);
    }

    [Fact]
    public void Ratio_of_ratios_uses_the_log_wald_interval()
    {
        var rr = RateRatio.RatioOfRatios(60, 100, 220, 200);
        double log = Math.Log(60.0 / 100 / (220.0 / 200));
        double se = Math.Sqrt(1 / 60.0 + 1 / 100.0 + 1 / 220.0 + 1 / 200.0);
        Assert.Equal(Math.Exp(log), rr.Estimate, 12);
        Assert.Equal(Math.Exp(log - 1.959963984540054 * se), rr.Lower, 9);
        Assert.Equal(Math.Exp(log + 1.959963984540054 * se), rr.Upper, 9);
    }
}
