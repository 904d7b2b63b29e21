using System.Diagnostics;
using GeoRisk.Reports.Factsheets;
using GeoRisk.Reports.Signaallijst;
using NetTopologySuite.Geometries;
using Xunit;

namespace GeoRisk.UnitTests.Factsheets;

/// <summary>The factsheet drawn with cairo, read back with poppler (pdftotext, pdfimages) as a reader would.</summary>
public class FactsheetPdfTests
{
    private static readonly GeometryFactory Rd = new(new PrecisionModel(), 28992);

    internal static FactsheetData Sample(string lang = "nl")
    {
        var area = Rd.CreateMultiPolygon([Rd.CreatePolygon([
            new(121000, 487000), new(122400, 487000), new(122400, 488200), new(121600, 488600), new(121000, 488200), new(121000, 487000)])]);
        var neighbour = Rd.CreatePolygon([new(122400, 487000), new(123400, 487000), new(123400, 488200), new(122400, 488200), new(122400, 487000)]);
        var to = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        SignaallijstRow Row(int rank, string cat, double? x, double? y, string precision) => new(
            rank, 100 + rank, cat, to.AddDays(-10 * rank), new SignalLocation(precision, x, y, 4.9, 52.37, "PC4-1012", "Burgwallen"),
            rank % 3, "nieuw", ["verkennen", "afgesloten"], 1.0 / rank, new RankingFactors(1, 0.8, 0.9, 1.5, 10 * rank), "reden");
        return new FactsheetData(
            "Casustafel 1012", "PC4-1012", "Postcode 1012 Burgwallen", "postcode", to.AddYears(-1), to, to,
            new FactsheetScore(87, 12.34, 2, 9, "riec-standaard", 1, new DateOnly(2026, 11, 1), 412, 5,
                [new("drugshandel", 6.1), new("witwassen", 3.2), new("mensenhandel", 1.0)], true,
                ["score 87 ≥ 80", "412 signalen ≥ 25", "5 bronnen ≥ 3"]),
            380, 300,
            [Row(1, "drugshandel", 121500, 487600, "object"), Row(2, "witwassen", 121850, 487950, "pc6"), Row(3, "vastgoed", null, null, "area")],
            area, [neighbour], lang,
            new Dictionary<string, string> { ["drugshandel"] = "Drugshandel", ["witwassen"] = "Witwassen" },
            new Dictionary<string, string> { ["nieuw"] = "Nieuw" });
    }

    internal static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} exited with {p.ExitCode}: {p.StandardError.ReadToEnd()}");
        return output;
    }

    [Fact]
    public void The_factsheet_names_the_area_shows_score_and_signals_and_embeds_the_map_image()
    {
        var path = Path.Combine(Path.GetTempPath(), $"factsheet-{Guid.NewGuid():N}.pdf");
        try
        {
            using (var file = File.Create(path)) FactsheetPdf.Render(Sample(), file);
            var text = Run("pdftotext", "-layout", path, "-");
            Assert.Contains("Postcode 1012 Burgwallen", text);
            Assert.Contains("Kandidaat-handhavingsknelpunt: ja", text);
            Assert.Contains("Rang 2 van 9".ToLowerInvariant(), text.ToLowerInvariant());
            Assert.Contains("Drugshandel", text);
            Assert.Contains("Belangrijkste signalen (3)", text);
            Assert.Contains("380 signalen", text);

            // pdfimages -list: two header lines, then one line per image; the map is 1030×640 px.
            var images = Run("pdfimages", "-list", path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
            var map = Assert.Single(images);
            var cols = map.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("image", cols[2]);
            Assert.Equal("1030", cols[3]);
            Assert.Equal("640", cols[4]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_map_fills_the_area_in_its_score_colour()
    {
        var data = Sample();
        using var image = FactsheetMap.Render(data, 600, 400);
        // A point inside the area, away from the signal dots: fill = ramp colour for 87 at alpha 190 over the paper.
        var px = image.GetPixel(300, 200 + 60);
        var ramp = FactsheetMap.ScoreColour(87);
        // 190/255 of #800026 over #f4f1ea
        static byte Over(byte c, byte bg) => (byte)Math.Round(c * 190 / 255.0 + bg * (1 - 190 / 255.0));
        Assert.InRange(px.R, Over(ramp.R, 0xf4) - 3, Over(ramp.R, 0xf4) + 3);
        Assert.InRange(px.G, Over(ramp.G, 0xf1) - 3, Over(ramp.G, 0xf1) + 3);
        Assert.InRange(px.B, Over(ramp.B, 0xea) - 3, Over(ramp.B, 0xea) + 3);
    }
}
