namespace GeoRisk.Core.Effects;

/// <summary>
/// Signal counts of one intervention's three zones in the window before and the window after
/// the intervention (equal lengths): target area A, buffer ring B around it, control area C.
/// </summary>
public sealed record EffectCounts(
    double TargetBefore, double TargetAfter,
    double BufferBefore, double BufferAfter,
    double ControlBefore, double ControlAfter);

/// <summary>
/// Bowers &amp; Johnson (2003), "Measuring the geographical displacement and diffusion of benefit
/// effects of crime prevention activity", J. Quantitative Criminology 19(3). Every ratio is taken
/// against the control area, so a general rise or fall in the region is not read as an effect.
/// </summary>
public static class DisplacementMeasures
{
    /// <summary>A_a/C_a − A_b/C_b: negative when the target improved relative to the control.</summary>
    public static double SuccessMeasure(EffectCounts c) =>
        c.TargetAfter / c.ControlAfter - c.TargetBefore / c.ControlBefore;

    /// <summary>B_a/C_a − B_b/C_b: positive when the buffer got worse relative to the control.</summary>
    public static double BufferDisplacementMeasure(EffectCounts c) =>
        c.BufferAfter / c.ControlAfter - c.BufferBefore / c.ControlBefore;

    /// <summary>
    /// Weighted Displacement Quotient = buffer displacement measure / success measure. Read only
    /// when the target improved (success measure &lt; 0): &gt; 0 diffusion of benefits, &lt; 0
    /// displacement, &lt; −1 more displaced than prevented. NaN when the success measure is 0.
    /// </summary>
    public static double Wdq(EffectCounts c)
    {
        var success = SuccessMeasure(c);
        return success == 0 ? double.NaN : BufferDisplacementMeasure(c) / success;
    }

    /// <summary>
    /// Total net effect in signals: [A_b·(C_a/C_b) − A_a] + [B_b·(C_a/C_b) − B_a], the signals
    /// prevented in the target minus those displaced to the buffer (positive = net gain).
    /// </summary>
    public static double TotalNetEffect(EffectCounts c) => TargetNetEffect(c) + BufferNetEffect(c);

    /// <summary>A_b·(C_a/C_b) − A_a: signals expected in the target from the control's trend, minus those seen.</summary>
    public static double TargetNetEffect(EffectCounts c) => c.TargetBefore * (c.ControlAfter / c.ControlBefore) - c.TargetAfter;

    /// <summary>B_b·(C_a/C_b) − B_a: negative when the buffer received more than the control's trend predicts.</summary>
    public static double BufferNetEffect(EffectCounts c) => c.BufferBefore * (c.ControlAfter / c.ControlBefore) - c.BufferAfter;
}
