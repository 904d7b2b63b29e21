using MathNet.Numerics.Distributions;

namespace GeoRisk.Core.Effects;

/// <summary>What happened in the target relative to the control.</summary>
public enum TargetChange { Decrease, NoChange, Increase }

/// <summary>What happened in the buffer relative to the control.</summary>
public enum BufferChange { Displacement, NoChange, Diffusion, TooFew }

/// <summary>Thresholds of the verdict; the defaults are documented in docs/effects.md.</summary>
public sealed record VerdictRules(int MinTargetSignals = 20, int MinControlSignalsPerWindow = 5, int MinBufferSignals = 10, double Confidence = 0.95)
{
    public static VerdictRules Default { get; } = new();
}

/// <summary>An interval from resampling: the 2.5th and 97.5th percentiles (at 95 %).</summary>
public sealed record BootstrapInterval(double Lower, double Upper, int Replicates, string Method);

/// <summary>The full before/after reading of one intervention.</summary>
public sealed record EffectResult(
    EffectCounts Counts,
    double SuccessMeasure,
    double BufferDisplacementMeasure,
    double Wdq,
    BootstrapInterval? WdqInterval,
    double TotalNetEffect,
    BootstrapInterval? TotalNetEffectInterval,
    RatioEstimate TargetAfterBefore,
    RatioEstimate BufferAfterBefore,
    RatioEstimate ControlAfterBefore,
    RatioEstimate TargetVsControl,
    RatioEstimate BufferVsControl,
    TargetChange Target,
    BufferChange Buffer,
    string Verdict);

/// <summary>
/// Before/after with control and buffer (Bowers &amp; Johnson 2003) and a plain-language verdict:
/// <list type="number">
/// <item>too few signals (target &lt; MinTargetSignals over both windows, or the control below
///   MinControlSignalsPerWindow in a window): <c>too_few_signals</c>;</item>
/// <item>the target changed when the interval of its rate ratio against the control excludes 1
///   (upper &lt; 1: decrease; lower &gt; 1: increase);</item>
/// <item>the buffer shows displacement when its ratio against the control is significantly above 1,
///   diffusion of benefits when significantly below 1 (too few buffer signals: not judged);</item>
/// <item>verdicts: decrease + displacement with WDQ &lt; −1 → <c>displacement_exceeds_decrease</c>;
///   decrease + displacement → <c>decrease_with_displacement</c>; decrease + diffusion →
///   <c>decrease_with_diffusion</c>; decrease alone → <c>decrease_no_displacement</c>; an
///   increase in the target → <c>increase_in_target</c>; no change with displacement-like rise in
///   the buffer → <c>buffer_increase_without_decrease</c>; otherwise <c>no_effect</c>.</item>
/// </list>
/// </summary>
public static class EffectAnalysis
{
    public const int BootstrapReplicates = 2000;

    public static EffectResult Analyse(EffectCounts counts, VerdictRules? rules = null, int seed = 20030901)
    {
        rules ??= VerdictRules.Default;
        long ab = (long)counts.TargetBefore, aa = (long)counts.TargetAfter;
        long bb = (long)counts.BufferBefore, ba = (long)counts.BufferAfter;
        long cb = (long)counts.ControlBefore, ca = (long)counts.ControlAfter;
        var targetVsControl = RateRatio.RatioOfRatios(aa, ab, ca, cb, rules.Confidence);
        var bufferVsControl = RateRatio.RatioOfRatios(ba, bb, ca, cb, rules.Confidence);
        bool tooFew = ab + aa < rules.MinTargetSignals || cb < rules.MinControlSignalsPerWindow || ca < rules.MinControlSignalsPerWindow;
        var target = targetVsControl.Upper < 1 ? TargetChange.Decrease : targetVsControl.Lower > 1 ? TargetChange.Increase : TargetChange.NoChange;
        var buffer = bb + ba < rules.MinBufferSignals ? BufferChange.TooFew
            : bufferVsControl.Lower > 1 ? BufferChange.Displacement
            : bufferVsControl.Upper < 1 ? BufferChange.Diffusion : BufferChange.NoChange;
        bool controlled = cb > 0 && ca > 0;
        double wdq = controlled ? DisplacementMeasures.Wdq(counts) : double.NaN;
        string verdict = tooFew ? "too_few_signals" : (target, buffer) switch
        {
            (TargetChange.Decrease, BufferChange.Displacement) when wdq < -1 => "displacement_exceeds_decrease",
            (TargetChange.Decrease, BufferChange.Displacement) => "decrease_with_displacement",
            (TargetChange.Decrease, BufferChange.Diffusion) => "decrease_with_diffusion",
            (TargetChange.Decrease, _) => "decrease_no_displacement",
            (TargetChange.Increase, _) => "increase_in_target",
            (TargetChange.NoChange, BufferChange.Displacement) => "buffer_increase_without_decrease",
            _ => "no_effect",
        };
        return new EffectResult(
            counts,
            controlled ? DisplacementMeasures.SuccessMeasure(counts) : double.NaN,
            controlled ? DisplacementMeasures.BufferDisplacementMeasure(counts) : double.NaN,
            wdq,
            controlled && !tooFew ? Bootstrap(counts, DisplacementMeasures.Wdq, rules.Confidence, seed) : null,
            controlled ? DisplacementMeasures.TotalNetEffect(counts) : double.NaN,
            controlled && !tooFew ? Bootstrap(counts, DisplacementMeasures.TotalNetEffect, rules.Confidence, seed) : null,
            RateRatio.Exact(aa, ab, 1.0, rules.Confidence),
            RateRatio.Exact(ba, bb, 1.0, rules.Confidence),
            RateRatio.Exact(ca, cb, 1.0, rules.Confidence),
            targetVsControl, bufferVsControl, target, buffer, verdict);
    }

    /// <summary>
    /// Parametric bootstrap: each of the six counts redrawn from a Poisson with the observed count
    /// as its mean; the percentile interval of the measure over the replicates that are defined.
    /// The seed is fixed so that the same counts always give the same interval.
    /// </summary>
    public static BootstrapInterval? Bootstrap(EffectCounts counts, Func<EffectCounts, double> measure, double confidence, int seed)
    {
        var random = new Random(seed);
        var values = new List<double>(BootstrapReplicates);
        for (int i = 0; i < BootstrapReplicates; i++)
        {
            var draw = new EffectCounts(Draw(counts.TargetBefore), Draw(counts.TargetAfter), Draw(counts.BufferBefore),
                Draw(counts.BufferAfter), Draw(counts.ControlBefore), Draw(counts.ControlAfter));
            if (draw.ControlBefore == 0 || draw.ControlAfter == 0) continue;
            var value = measure(draw);
            if (double.IsFinite(value)) values.Add(value);
        }
        if (values.Count < BootstrapReplicates / 2) return null;
        values.Sort();
        double alpha = 1 - confidence;
        return new BootstrapInterval(Quantile(values, alpha / 2), Quantile(values, 1 - alpha / 2), values.Count, "parametric-poisson-bootstrap-percentile");

        double Draw(double mean) => mean <= 0 ? 0 : Poisson.Sample(random, mean);
    }

    private static double Quantile(List<double> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(sorted.Count - 1, lower + 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
