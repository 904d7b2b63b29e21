using GeoRisk.Tiles;
using Xunit;

namespace GeoRisk.UnitTests.Tiles;

public class TileFilterTests
{
    private static readonly string[] Categories = ["drugshandel", "witwassen", "vastgoed"];
    private static readonly string[] Profiles = ["riec-standaard"];

    private static (TileFilter? Filter, Dictionary<string, string>? Errors) Parse(string?[] categories, string? from = null, string? to = null, string? profile = null) =>
        TileFilter.Parse(categories, from, to, profile, Categories, Profiles);

    [Fact]
    public void Equivalent_queries_normalise_to_the_same_key()
    {
        var a = Parse(["witwassen", "drugshandel"], "2026-01-01").Filter!;
        var b = Parse(["drugshandel,witwassen", "witwassen"], "2026-01-01").Filter!;
        Assert.Equal(a.Normalised, b.Normalised);
        Assert.Equal(["drugshandel", "witwassen"], a.Categories);
        Assert.NotEqual(a.Normalised, Parse(["drugshandel"], "2026-01-01").Filter!.Normalised);
    }

    [Theory]
    [InlineData(new[] { "kaas" }, null, null, null, "category", "unknown category; valid categories: drugshandel, vastgoed, witwassen")]
    [InlineData(new string[0], "2026-02-30", null, null, "from", "yyyy-mm-dd")]
    [InlineData(new string[0], null, "yesterday", null, "to", "yyyy-mm-dd")]
    [InlineData(new string[0], "2026-05-01", "2026-04-30", null, "to", "before 'from'")]
    [InlineData(new string[0], null, null, "other", "profile", "valid profiles: riec-standaard")]
    public void Invalid_values_are_named_per_parameter(string[] categories, string? from, string? to, string? profile, string parameter, string message)
    {
        var (filter, errors) = Parse(categories, from, to, profile);
        Assert.Null(filter);
        Assert.Contains(message, errors![parameter]);
    }

    [Fact]
    public void An_area_keys_its_own_tiles_and_must_be_an_area_code()
    {
        var plain = Parse([], "2026-01-01").Filter!;
        var area = TileFilter.Parse([], "2026-01-01", null, null, Categories, Profiles, "PC4-1012").Filter!;
        Assert.Equal("PC4-1012", area.Area);
        Assert.NotEqual(plain.Normalised, area.Normalised);
        Assert.Equal("PC4-1012", area.WholeMonths().Area);
        var (filter, errors) = TileFilter.Parse([], null, null, null, Categories, Profiles, "1012' OR 1=1");
        Assert.Null(filter);
        Assert.Contains("area code", errors!["area"]);
    }

    [Fact]
    public void To_is_inclusive_in_dutch_local_time()
    {
        var f = Parse([], "2026-07-01", "2026-07-31").Filter!;
        Assert.Equal(new DateTimeOffset(2026, 6, 30, 22, 0, 0, TimeSpan.Zero), f.FromInstant);   // CEST
        Assert.Equal(new DateTimeOffset(2026, 7, 31, 22, 0, 0, TimeSpan.Zero), f.ToExclusiveInstant);
        var winter = Parse([], "2026-01-01").Filter!;
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero), winter.FromInstant); // CET
        Assert.Null(TileFilter.None.SqlCategories);
    }
}
