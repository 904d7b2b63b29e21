using GeoRisk.Rendering;
using GeoRisk.Tiles.Styles;
using Xunit;

namespace GeoRisk.UnitTests.Styles;

public class TileStylesTests
{
    private static readonly TileStyles Styles = TileStyles.Load();

    [Fact]
    public void Styles_are_read_from_the_files_copied_next_to_the_binaries()
    {
        Assert.True(File.Exists(Path.Combine(TileStyles.DefaultDirectory, "areas.json")));
        Assert.Equal(5, Styles.Areas.Ramp.Stops.Count);
        Assert.False(Styles.Areas.Ramp.Interpolate);
    }

    [Theory]
    [InlineData(0, "#ffffb2")]
    [InlineData(24.9, "#ffffb2")]
    [InlineData(25, "#fecc5c")]
    [InlineData(49.9, "#fecc5c")]
    [InlineData(50, "#fd8d3c")]
    [InlineData(75, "#f03b20")]
    [InlineData(89.9, "#f03b20")]
    [InlineData(90, "#bd0026")]
    [InlineData(95, "#bd0026")]
    [InlineData(100, "#bd0026")]
    public void Area_score_classes_follow_the_ramp_file(double score, string colour) =>
        Assert.Equal(Rgba.Parse(colour), Styles.Areas.Ramp.ColourFor(score));

    [Fact]
    public void The_factsheet_map_and_the_raster_tiles_colour_every_score_alike()
    {
        // The breaks sit on the fixed RR mapping: 25, 50, 75, 90 = RR ½, 1, 2, 4.
        Assert.Equal([0d, 25, 50, 75, 90], Styles.Areas.Ramp.Stops.Select(s => s.Value));
        foreach (var rr in new[] { 0.5, 1, 2, 4 })
        {
            var score = GeoRisk.Core.Scoring.ScoreScale.FromRelativeRisk(rr);
            Assert.Contains(Styles.Areas.Ramp.Stops, s => Math.Abs(s.Value - score) < 1e-9);
        }
        for (double score = 0; score <= 100; score += 0.25)
            Assert.Equal(Styles.Areas.Ramp.ColourFor(score), GeoRisk.Reports.Factsheets.FactsheetMap.ScoreColour(score));
    }

    [Fact]
    public void Area_fill_applies_the_opacity_and_unscored_areas_get_their_own_colour()
    {
        Assert.Equal(Rgba.Parse("#bd0026").WithAlpha(191), Styles.Areas.FillFor(90));
        Assert.Equal(Rgba.Parse("#bdbdbd80"), Styles.Areas.FillFor(null));
    }

    [Fact]
    public void Heatmap_saturation_is_listed_or_interpolated_per_zoom()
    {
        Assert.Equal(12, Styles.Heatmap.SaturationAt(12));
        Assert.Equal(Math.Sqrt(12 * 3), Styles.Heatmap.SaturationAt(13), 9);
        Assert.Equal(400, Styles.Heatmap.SaturationAt(3));
        Assert.Equal(0.8, Styles.Heatmap.SaturationAt(22));
    }

    [Theory]
    [InlineData(5, 2500)]
    [InlineData(11, 1000)]
    [InlineData(12, 1000)]
    [InlineData(13, 500)]
    [InlineData(14, 250)]
    [InlineData(18, 100)]
    public void Hexagon_size_follows_the_zoom(int z, int size) => Assert.Equal(size, Styles.Hexbins.CellSizeAt(z));

    [Fact]
    public void Interpolated_ramp_mixes_between_stops()
    {
        var ramp = new ColourRamp([new RampStop(0, new Rgba(0, 0, 0), null), new RampStop(10, new Rgba(200, 100, 0), null)], interpolate: true);
        Assert.Equal(new Rgba(100, 50, 0), ramp.ColourFor(5));
        Assert.Equal(new Rgba(100, 50, 0), ramp.ColourForFraction(0.5));
    }

    [Fact]
    public void Ramp_stops_must_increase() =>
        Assert.Throws<ArgumentException>(() => new ColourRamp([new RampStop(5, default, null), new RampStop(5, default, null)], false));

    [Theory]
    [InlineData("\"outline_colour\": \"#404040\"", "\"outline_colour\": \"grey\"", "areas.json': outline_colour must be #rrggbb")]
    [InlineData("\"fill_opacity\": 0.75", "\"fill_opacity\": 1.5", "areas.json': fill_opacity must be between 0 and 1")]
    [InlineData("{ \"value\": 25, \"colour\": \"#fecc5c\"", "{ \"value\": 0, \"colour\": \"#fecc5c\"", "areas.json': ramp.stops ramp stops must increase")]
    public void A_bad_style_file_stops_start_up_naming_file_and_field(string original, string replacement, string message)
    {
        var dir = Directory.CreateTempSubdirectory("georisk-styles-");
        try
        {
            foreach (var f in Directory.GetFiles(TileStyles.DefaultDirectory)) File.Copy(f, Path.Combine(dir.FullName, Path.GetFileName(f)));
            var areas = Path.Combine(dir.FullName, "areas.json");
            var text = File.ReadAllText(areas);
            Assert.Contains(original, text);
            File.WriteAllText(areas, text.Replace(original, replacement, StringComparison.Ordinal));
            var e = Assert.Throws<InvalidOperationException>(() => TileStyles.Load(dir.FullName));
            Assert.Contains(message, e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_missing_style_directory_is_named() =>
        Assert.Contains("/nonexistent/styles", Assert.Throws<InvalidOperationException>(() => TileStyles.Load("/nonexistent/styles")).Message);
}
