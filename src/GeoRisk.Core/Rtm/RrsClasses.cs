namespace GeoRisk.Core.Rtm;

/// <summary>One class of the gelegenheidskaart legend: RRS above <see cref="Above"/> up to <see cref="UpTo"/> (null = no upper bound).</summary>
public sealed record RrsClass(int Class, double Above, double? UpTo, string Colour, string LabelNl, string LabelEn);

/// <summary>
/// The legend of a gelegenheidskaart: fixed classes of the relative risk score, so that a map of
/// one study area reads the same as another's ("×2 to ×4 the base risk" is always orange).
/// SQL: rtm_rrs_class (sql/functions/2000_rtm.sql) uses the same bounds; a unit test pins both.
/// Class 0 (no risk-raising factor, RRS = 1) is not drawn.
/// </summary>
public static class RrsClasses
{
    public static IReadOnlyList<RrsClass> All { get; } =
    [
        new(1, 1, 2, "#fee8c8", "verhoogd (×1–2)", "raised (×1–2)"),
        new(2, 2, 4, "#fdbb84", "hoog (×2–4)", "high (×2–4)"),
        new(3, 4, 8, "#ef6548", "zeer hoog (×4–8)", "very high (×4–8)"),
        new(4, 8, null, "#b30000", "extreem (> ×8)", "extreme (> ×8)"),
    ];

    public static int Of(double rrs) => rrs <= 1 ? 0 : rrs <= 2 ? 1 : rrs <= 4 ? 2 : rrs <= 8 ? 3 : 4;
}
