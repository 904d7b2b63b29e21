using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Scans;

/// <summary>
/// The demo's stored scans of Amstelveen (seed-demo: nulmeting a year before, wijkscan on the last
/// day) and the PDF report read back with poppler as a reader would: every buurt named, a methods
/// page, one map image per kandidaat plus the cover map.
/// </summary>
public sealed class ScanReportTests : IDisposable
{
    private readonly GeoRiskApiFactory _factory = new(DemoDatabase.ConnectionString);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task The_demo_has_two_scans_of_Amstelveen_and_the_first_is_the_nulmeting()
    {
        using var analyst = await _factory.CreateClientAsync(Role.Analyst);
        var scans = (await analyst.GetFromJsonAsync<JsonElement>("/api/scans")).GetProperty("scans").EnumerateArray()
            .Where(s => s.GetProperty("parent_code").GetString() == "GM0362").ToList();
        Assert.Equal(["gebiedsscore-2026", "nulmeting-2025", "wijkscan-2026"], scans.Select(s => s.GetProperty("name").GetString()).Order());
        Assert.True(scans.Single(s => s.GetProperty("name").GetString() == "nulmeting-2025").GetProperty("is_baseline").GetBoolean());
        Assert.All(scans, s => Assert.Equal(47, s.GetProperty("sub_areas").GetInt32()));
        var comparison = await analyst.GetFromJsonAsync<JsonElement>("/api/scans/wijkscan-2026/comparison");
        Assert.Equal("nulmeting-2025", comparison.GetProperty("baseline").GetProperty("name").GetString());
        Assert.Equal(47, comparison.GetProperty("changes").GetArrayLength());
        var areas = await analyst.GetFromJsonAsync<JsonElement>("/api/scans/wijkscan-2026/areas");
        Assert.Equal(47, areas.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task The_PDF_report_names_every_buurt_and_has_a_methods_page_and_map_images()
    {
        using var analyst = await _factory.CreateClientAsync(Role.Analyst);
        var scan = await analyst.GetFromJsonAsync<JsonElement>("/api/scans/wijkscan-2026");
        var rows = scan.GetProperty("rows").EnumerateArray().ToList();
        var kandidaten = rows.Count(r => r.GetProperty("kandidaat").GetBoolean());
        Assert.True(kandidaten >= 1, "the demo should have at least one kandidaat buurt");

        foreach (var (lang, methods) in new[] { ("nl", "Werkwijze"), ("en", "Methods") })
        {
            var response = await analyst.GetAsync($"/api/scans/wijkscan-2026/report.pdf?lang={lang}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
            var path = Path.Combine(Path.GetTempPath(), $"wijkscan-{lang}-{Guid.NewGuid():N}.pdf");
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
            try
            {
                var text = Run("pdftotext", "-layout", path, "-");
                foreach (var row in rows) Assert.Contains(row.GetProperty("name").GetString()!, text, StringComparison.Ordinal);
                Assert.Contains(methods, text, StringComparison.Ordinal);
                Assert.Contains("riec-standaard", text, StringComparison.Ordinal);
                Assert.Contains(lang == "nl" ? "bevat geen persoonsgegevens" : "contains no personal data", text, StringComparison.Ordinal);
                var pages = int.Parse(System.Text.RegularExpressions.Regex.Match(Run("pdfinfo", path), @"Pages:\s+(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                // Cover, the ranked table (47 rows fit one page), one page per kandidaat, methods.
                Assert.Equal(1 + 1 + kandidaten + 1, pages);
                // pdfimages -list: two header lines, then one line per image (cover map + one cut-out per kandidaat).
                var images = Run("pdfimages", "-list", path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
                Assert.Equal(1 + kandidaten, images.Count);
            }
            finally { File.Delete(path); }
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync("/api/scans/wijkscan-2026/report.pdf?lang=de")).StatusCode);
    }

    [Fact]
    public async Task The_PDF_trend_of_each_kandidaat_is_the_rate_ratio_test_against_the_window_before()
    {
        using var analyst = await _factory.CreateClientAsync(Role.Analyst);
        // The window before wijkscan-2026 is exactly the nulmeting's window (same profile, boundaries and imported data).
        var now = (await analyst.GetFromJsonAsync<JsonElement>("/api/scans/wijkscan-2026")).GetProperty("rows").EnumerateArray().ToList();
        var before = (await analyst.GetFromJsonAsync<JsonElement>("/api/scans/nulmeting-2025")).GetProperty("rows").EnumerateArray()
            .ToDictionary(r => r.GetProperty("code").GetString()!, r => r.GetProperty("signal_count").GetProperty("value").GetInt32());
        var response = await analyst.GetAsync("/api/scans/wijkscan-2026/report.pdf?lang=en");
        var path = Path.Combine(Path.GetTempPath(), $"wijkscan-trend-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        try
        {
            var text = Run("pdftotext", path, "-");
            var kandidaten = now.Where(r => r.GetProperty("kandidaat").GetBoolean()).ToList();
            Assert.NotEmpty(kandidaten);
            foreach (var k in kandidaten)
            {
                double o1 = k.GetProperty("signal_count").GetProperty("value").GetInt32(), o0 = before[k.GetProperty("code").GetString()!];
                if (o1 == 0 || o0 == 0) { o1 += 0.5; o0 += 0.5; }
                // The Wald test on the log of the rate ratio, with MathNet's normal distribution as the reference.
                var ratio = o1 / o0;
                var p = Math.Min(1, 2 * (1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, Math.Abs(Math.Log(ratio) / Math.Sqrt(1 / o1 + 1 / o0)))));
                var direction = p < 0.05 ? (ratio > 1 ? "up" : "down") : "no significant change";
                Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Rate ratio {ratio:0.00} (p = {p:0.000}): {direction}."), text, StringComparison.Ordinal);
            }
            Assert.Contains("Trend (candidate pages)", text, StringComparison.Ordinal);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task A_1012_member_cannot_run_or_read_a_scan_of_Amstelveen()
    {
        using var member = await _factory.CreateClientAsync(Role.Member, "1012");
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/api/scans/wijkscan-2026")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/api/scans/wijkscan-2026/report.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/api/scans/wijkscan-2026/areas")).StatusCode);
        var run = await member.PostAsJsonAsync("/api/scans", new { name = "from-1012", parent = "GM0362", level = "buurt" });
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
        var list = await member.GetFromJsonAsync<JsonElement>("/api/scans");
        Assert.DoesNotContain(list.GetProperty("scans").EnumerateArray(), s => s.GetProperty("parent_code").GetString() == "GM0362");
    }

    private static string Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} failed: {p.StandardError.ReadToEnd()}");
        return output;
    }
}
