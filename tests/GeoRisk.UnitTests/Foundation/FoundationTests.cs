using GeoRisk.Core.Access;
using GeoRisk.Core.Areas;
using GeoRisk.Data.Demo;
using GeoRisk.Data.Migrations;

namespace GeoRisk.UnitTests.Foundation;

public sealed class MigrationSetTests
{
    [Fact]
    public void Migrations_are_numbered_uniquely_and_in_order_starting_with_the_schema()
    {
        var versions = MigrationRunner.Known.Select(m => m.Version).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Distinct().Count(), versions.Count);
        Assert.Equal("0001_schema", MigrationRunner.Known[0].Name);
        Assert.All(MigrationRunner.Known, m => Assert.Equal(64, m.Checksum.Length));
    }

    [Fact]
    public void The_checksum_ignores_line_endings_but_not_content()
    {
        var unix = new Migration(1, "x", "SELECT 1;\nSELECT 2;\n");
        var windows = new Migration(1, "x", "SELECT 1;\r\nSELECT 2;\r\n");
        var edited = new Migration(1, "x", "SELECT 1;\nSELECT 3;\n");
        Assert.Equal(unix.Checksum, windows.Checksum);
        Assert.NotEqual(unix.Checksum, edited.Checksum);
    }
}

public sealed class CallerScopeTests
{
    [Fact]
    public void Unrestricted_binds_null_so_SQL_filters_nothing()
    {
        Assert.Null(CallerScope.Unrestricted.SqlScope);
        Assert.Equal("all", CallerScope.Unrestricted.CacheKey);
    }

    [Fact]
    public void Cache_key_depends_on_the_reach_not_on_the_order_of_casustafels()
    {
        var a = new CallerScope("member", ["zuidoost", "1012"], false);
        var b = new CallerScope("member", ["1012", "zuidoost"], false);
        var viewer = new CallerScope("viewer", ["1012", "zuidoost"], true);
        Assert.Equal(a.CacheKey, b.CacheKey);
        Assert.NotEqual(a.CacheKey, viewer.CacheKey);
        Assert.NotEqual(a.CacheKey, new CallerScope("member", ["1012"], false).CacheKey);
    }
}

public sealed class AreaCodeTests
{
    [Theory]
    [InlineData("PC4-1012", true)]
    [InlineData("BU03620401", true)]
    [InlineData("MP-WESTHAVEN", true)]
    [InlineData("", false)]
    [InlineData("-leading-dash", false)]
    [InlineData("<script>", false)]
    [InlineData("with space", false)]
    public void Well_formed_codes(string code, bool expected) => Assert.Equal(expected, AreaCode.IsWellFormed(code));
}

public sealed class DemoGeneratorTests
{
    [Fact]
    public void Demo_signals_are_the_same_on_every_run_and_lie_in_the_region()
    {
        var areas = DemoAreas.Load();
        var first = DemoSignals.Generate(areas);
        var second = DemoSignals.Generate(areas);
        Assert.True(first.Count >= 50_000);
        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i += 997)
        {
            Assert.Equal(first[i].ExternalId, second[i].ExternalId);
            Assert.Equal(first[i].Location.Coordinate, second[i].Location.Coordinate);
            Assert.Equal(first[i].ObservedAt, second[i].ObservedAt);
        }
        Assert.All(first, s =>
        {
            Assert.InRange(s.Location.X, 100_000, 140_000);
            Assert.InRange(s.Location.Y, 460_000, 500_000);
            Assert.InRange(s.ObservedAt, DemoSeeder.PeriodStart, DemoSeeder.PeriodEnd);
        });
        Assert.Equal(first.Count, first.Select(s => s.ExternalId).Distinct().Count());
    }

    [Fact]
    public void Demo_areas_cover_every_kind_and_buurten_nest_in_wijken()
    {
        var areas = DemoAreas.Load();
        Assert.Equal(8, areas.Select(a => a.Kind).Distinct().Count());
        var wijken = areas.Where(a => a.Kind == "wijk").Select(a => a.Code).ToHashSet();
        Assert.All(areas.Where(a => a.Kind == "buurt"), b => Assert.Contains(b.ParentCode!, wijken));
        Assert.All(areas.Where(a => a.Wkt is not null), a => Assert.True(a.Geometry!.IsValid, a.Code));
    }
}
