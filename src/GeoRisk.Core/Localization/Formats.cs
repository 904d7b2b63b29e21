using System.Globalization;

namespace GeoRisk.Core.Localization;

/// <summary>
/// Numbers, dates and plurals in the reader's language for texts the server writes (reasons,
/// PDF factsheets, CSV headers). The service runs with invariant globalization, so nl-NL is
/// spelled out here: decimal comma and thousands dot (1.234,5); English uses 1,234.5.
/// </summary>
public static class Formats
{
    private static readonly NumberFormatInfo Dutch = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = ".", };
    private static readonly NumberFormatInfo English = new() { NumberDecimalSeparator = ".", NumberGroupSeparator = ",", };
    private static readonly string[] DutchMonths = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
    private static readonly string[] EnglishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>"en" for English, everything else Dutch (the default language of GeoRisk).</summary>
    public static bool IsEnglish(string? lang) => string.Equals(lang, "en", StringComparison.OrdinalIgnoreCase);

    public static NumberFormatInfo NumberFormat(string? lang) => IsEnglish(lang) ? English : Dutch;

    /// <summary>At most <paramref name="digits"/> decimals, with thousands separators: 1.234,5 / 1,234.5.</summary>
    public static string Number(double value, int digits, string? lang) =>
        value.ToString(digits <= 0 ? "#,0" : "#,0." + new string('#', digits), NumberFormat(lang));

    /// <summary>A date as "15 nov 2026" (nl) or "15 Nov 2026" (en).</summary>
    public static string Date(DateOnly date, string? lang) =>
        $"{date.Day} {(IsEnglish(lang) ? EnglishMonths : DutchMonths)[date.Month - 1]} {date.Year}";

    public static string Date(DateTimeOffset moment, string? lang) => Date(DateOnly.FromDateTime(moment.UtcDateTime), lang);

    /// <summary>"1 dag" / "2 dagen": the singular only for exactly one.</summary>
    public static string Count(double n, string one, string other, string? lang) =>
        $"{Number(n, 0, lang)} {(Math.Abs(n - 1) < 1e-9 ? one : other)}";
}
