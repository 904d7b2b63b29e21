using GeoRisk.Tests.Support;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// Compares a browser screenshot with a reference PNG kept in git
/// (tests/GeoRisk.IntegrationTests/WebMap/screenshots/). A pixel differs when one channel is off by
/// more than <see cref="ChannelTolerance"/>; the layout matches when at most
/// <see cref="MaxDifferentShare"/> of the pixels differ (anti-aliasing and WebGL rasterisation
/// noise stay below it; a moved panel, a wrapped top bar or a missing map do not).
/// GEORISK_UPDATE_SCREENSHOTS=1 writes the current screenshots as the new references.
/// </summary>
public static class ScreenshotReference
{
    public const int ChannelTolerance = 40;
    public const double MaxDifferentShare = 0.02;

    public static string Directory() =>
        Path.Combine(BrowserServerFixture.RepositoryRoot(), "tests", "GeoRisk.IntegrationTests", "WebMap", "screenshots");

    public static void AssertMatches(string name, byte[] actualPng)
    {
        var reference = Path.Combine(Directory(), $"{name}.png");
        var actualPath = Path.Combine(BrowserServerFixture.ResultsDirectory(), $"webmap-{name}.actual.png");
        File.WriteAllBytes(actualPath, actualPng);
        if (Environment.GetEnvironmentVariable("GEORISK_UPDATE_SCREENSHOTS") == "1")
        {
            System.IO.Directory.CreateDirectory(Directory());
            File.WriteAllBytes(reference, actualPng);
            return;
        }
        Assert.True(File.Exists(reference), $"no reference screenshot {reference}; the current one is {actualPath} (GEORISK_UPDATE_SCREENSHOTS=1 accepts it)");
        var expected = DecodedPng.Decode(File.ReadAllBytes(reference));
        var actual = DecodedPng.Decode(actualPng);
        Assert.True(expected.Width == actual.Width && expected.Height == actual.Height,
            $"{name}: screenshot is {actual.Width}×{actual.Height}, reference {expected.Width}×{expected.Height}");
        var (different, diff) = Difference(expected, actual);
        var share = (double)different / (expected.Width * expected.Height);
        if (share > MaxDifferentShare)
        {
            File.WriteAllBytes(Path.Combine(BrowserServerFixture.ResultsDirectory(), $"webmap-{name}.diff.ppm"), diff);
        }
        Assert.True(share <= MaxDifferentShare,
            $"{name}: {share:P2} of the pixels differ from the reference (at most {MaxDifferentShare:P0}); see {actualPath}");
    }

    /// <summary>Number of differing pixels, and a PPM image with them in red (for looking at a failure).</summary>
    private static (int Different, byte[] Diff) Difference(DecodedPng a, DecodedPng b)
    {
        var header = System.Text.Encoding.ASCII.GetBytes($"P6\n{a.Width} {a.Height}\n255\n");
        var ppm = new byte[header.Length + a.Width * a.Height * 3];
        header.CopyTo(ppm, 0);
        var different = 0;
        for (var i = 0; i < a.Width * a.Height; i++)
        {
            var off = false;
            for (var c = 0; c < 3; c++) off |= Math.Abs(a.Rgba[i * 4 + c] - b.Rgba[i * 4 + c]) > ChannelTolerance;
            var o = header.Length + i * 3;
            if (off) { different++; ppm[o] = 255; }
            else { var g = (byte)(b.Rgba[i * 4] / 3 + 150); ppm[o] = g; ppm[o + 1] = g; ppm[o + 2] = g; }
        }
        return (different, ppm);
    }
}
