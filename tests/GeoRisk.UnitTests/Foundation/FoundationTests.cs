using System.Text.RegularExpressions;
using GeoRisk.Core.Access;
using GeoRisk.Core.Areas;
using GeoRisk.Core.Intake;
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

    [Fact]
    public void Numbered_migrations_define_no_function_trigger_or_view_but_the_generated_columns_declaration()
    {
        // sql/functions/ holds the one definition of each; a numbered file that defined one again
        // would run before it on a new database and be replaced on every other.
        var definitions = MigrationRunner.Known
            .SelectMany(m => Regex.Matches(m.Sql, @"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|TRIGGER|(?:MATERIALIZED\s+)?VIEW|PROCEDURE|RULE)\s+(\w+)",
                                           RegexOptions.Multiline | RegexOptions.IgnoreCase)
                .Select(match => $"{m.Name}:{match.Groups[1].Value}"))
            .ToList();
        Assert.Equal(["0001_schema:camera_viewshed"], definitions);
        Assert.Contains(MigrationRunner.KnownRepeatables, r => r.Sql.Contains("CREATE OR REPLACE FUNCTION camera_viewshed(", StringComparison.Ordinal));
    }

    [Fact]
    public void Superseded_checksums_name_known_migrations_and_differ_from_their_current_files()
    {
        var known = MigrationRunner.Known.ToDictionary(m => m.Version);
        Assert.NotEmpty(SupersededChecksums.All);
        Assert.All(SupersededChecksums.All, e =>
        {
            Assert.True(known.ContainsKey(e.Version), $"no migration {e.Version}");
            Assert.Matches("^[0-9a-f]{64}$", e.Checksum);
            Assert.NotEqual(known[e.Version].Checksum, e.Checksum);
            Assert.True(SupersededChecksums.Accepts(e.Version, e.Checksum));
        });
        var (version, checksum) = SupersededChecksums.All[0];
        Assert.False(SupersededChecksums.Accepts(version + 1, checksum));
        Assert.False(SupersededChecksums.Accepts(version, checksum.ToUpperInvariant()));
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

public sealed class DemoAreaTests
{
    [Fact]
    public void Demo_areas_are_authored_or_built_from_real_buurten_of_the_embedded_files()
    {
        var files = DemoAreas.BoundaryFiles();
        var read = files.Select(f => BoundaryFileReader.Read(f.Stream, "auto", f.Gemeenten)).ToList();
        foreach (var f in files) f.Stream.Dispose();
        Assert.Equal(["amsterdam-buurt", "cbs-buurt", "cbs-gemeente"], read.Select(r => r.Format));
        Assert.All(read, r => Assert.Empty(r.Rejections));
        // Only the neighbours come from the CBS file; Amsterdam and Amstelveen are built from their buurten.
        Assert.Equal(DemoAreas.CbsGemeenten.Order(), read[2].Boundaries.Select(b => b.Area.Code).Order());
        var buurten = read.Take(2).SelectMany(r => r.Boundaries).Select(b => b.Area.Code).ToHashSet();

        var areas = DemoAreas.Load();
        // With buurt, wijk, stadsdeel and gemeente from the files, every kind of area is in the demo.
        Assert.Equal(["bedrijventerrein", "buitengebied", "custom", "mainport", "postcode"], areas.Select(a => a.Kind).Distinct().Order());
        Assert.All(areas, a => Assert.True((a.Wkt is null) != (a.Buurten.Count == 0), a.Code));
        Assert.All(areas.Where(a => a.Wkt is not null), a => Assert.True(a.Geometry!.IsValid, a.Code));
        Assert.All(areas.SelectMany(a => a.Buurten), code => Assert.Contains(code, buurten));
        // Postcode 1012 is the Burgwallen: the buurten of Amsterdam's wijken AD and AE.
        Assert.Equal(buurten.Where(c => c.StartsWith("BU0363AD", StringComparison.Ordinal) || c.StartsWith("BU0363AE", StringComparison.Ordinal)).Order(),
            areas.Single(a => a.Code == "PC4-1012").Buurten.Order());
    }
}
