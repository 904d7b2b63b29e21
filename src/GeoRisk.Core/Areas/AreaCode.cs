using System.Text.RegularExpressions;

namespace GeoRisk.Core.Areas;

/// <summary>Stable area codes such as <c>PC4-1012</c> or <c>BU03620401</c> (same rule as the database CHECK).</summary>
public static partial class AreaCode
{
    public static bool IsWellFormed(string? code) => code is not null && Pattern().IsMatch(code);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
