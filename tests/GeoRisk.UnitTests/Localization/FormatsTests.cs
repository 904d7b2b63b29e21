using GeoRisk.Core.Localization;

namespace GeoRisk.UnitTests.Localization;

public sealed class FormatsTests
{
    [Theory]
    [InlineData(1234.5, 1, "nl", "1.234,5")]
    [InlineData(1234.5, 1, "en", "1,234.5")]
    [InlineData(0.6, 2, "nl", "0,6")]
    [InlineData(2.375, 2, "nl", "2,38")]
    [InlineData(1234567, 0, "nl", "1.234.567")]
    [InlineData(87, 2, "en", "87")]
    [InlineData(-12.25, 1, "nl", "-12,3")]
    public void Numbers_follow_the_language(double value, int digits, string lang, string expected) =>
        Assert.Equal(expected, Formats.Number(value, digits, lang));

    [Theory]
    [InlineData(2026, 11, 15, "nl", "15 nov 2026")]
    [InlineData(2026, 3, 1, "nl", "1 mrt 2026")]
    [InlineData(2026, 3, 1, "en", "1 Mar 2026")]
    public void Dates_follow_the_language(int y, int m, int d, string lang, string expected) =>
        Assert.Equal(expected, Formats.Date(new DateOnly(y, m, d), lang));

    [Theory]
    [InlineData(1, "nl", "1 dag")]
    [InlineData(2, "nl", "2 dagen")]
    [InlineData(0, "nl", "0 dagen")]
    [InlineData(1, "en", "1 day")]
    [InlineData(1500, "en", "1,500 days")]
    public void Counts_use_the_singular_only_for_one(double n, string lang, string expected) =>
        Assert.Equal(expected, lang == "en" ? Formats.Count(n, "day", "days", lang) : Formats.Count(n, "dag", "dagen", lang));
}
