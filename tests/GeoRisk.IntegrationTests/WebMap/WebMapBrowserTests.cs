using System.Text.Json;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// The web map in a real browser against the real API and the demo data: sign in with a
/// key, the casustafel's view, the side panel with the signal list, the language toggle, tiles and
/// a click on the 1012 area.
/// </summary>
[Collection("browser")]
public sealed class WebMapBrowserTests(WebMapServerFixture server) : IClassFixture<WebMapServerFixture>
{
    private async Task<(IPage Page, List<string> Errors, Func<int> TileResponses)> SignInAsync(string hash)
    {
        var page = await server.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        var tiles = 0;
        page.Response += (_, r) =>
        {
            if (Regex.IsMatch(r.Url, @"/tiles/[a-z]+/\d+/\d+/\d+\.mvt") && r.Status is 200 or 204) Interlocked.Increment(ref tiles);
        };
        await page.GotoAsync(new Uri(server.BaseAddress, "/" + hash).ToString());

        var dialog = page.Locator("#signin");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(page.Locator("#signin h2")).ToHaveTextAsync("Aanmelden bij GeoRisk");
        var key = await server.MemberKeyAsync("1012");
        await page.Locator("#apikey").FillAsync(key);
        await page.Locator("#signin-submit").ClickAsync();
        await Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(dialog).ToBeHiddenAsync();
        // The key lives in this tab's session storage only.
        Assert.Equal(key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('georisk.apiKey')"));
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('georisk.apiKey')"));
        return (page, errors, () => Volatile.Read(ref tiles));
    }

    [Fact]
    public async Task The_map_loads_area_tiles_and_clicking_1012_shows_its_score()
    {
        var (page, errors, tileResponses) = await SignInAsync("#ct=1012");
        await using var context = page.Context;
        await WaitForMapIdleAsync(page);
        Assert.True(tileResponses() > 0, "no /tiles/{layer}/{z}/{x}/{y}.mvt response with status 200 or 204");
        // The areas came from GeoRisk's vector tiles, not from the GeoJSON fallback.
        Assert.False(await page.EvaluateAsync<bool>("() => Boolean(georisk.state.areasFromGeoJson)"));
        var bbox = await page.EvaluateAsync<double[]>("() => georisk.state.me.casustafels.find(c => c.id === '1012').bbox");
        var (x, y) = await ScreenPointAsync(page, (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2);
        await page.Mouse.ClickAsync(x, y);
        await Expect(page.Locator("#area-name")).ToContainTextAsync("1012", new() { Timeout = 20_000 });
        await Expect(page.Locator("#area-score")).ToHaveTextAsync(new Regex(@"^\d{1,3}$"), new() { Timeout = 20_000 });
        Assert.True(await page.Locator(".bar-row").CountAsync() >= 1);
        await Expect(page.Locator("#signal-list tbody tr").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserServerFixture.ResultsDirectory(), "webmap-1012-tiles.png") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_shared_link_to_1012_opens_its_signal_list_and_English_changes_the_labels()
    {
        var (page, errors, _) = await SignInAsync("#ct=1012&area=PC4-1012&w=12");
        await using var context = page.Context;

        await Expect(page.Locator("#casustafel")).ToHaveValueAsync("1012");
        await Expect(page.Locator("#area-name")).ToContainTextAsync("1012", new() { Timeout = 20_000 });
        var rows = page.Locator("#signal-list tbody tr");
        await Expect(rows.First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Assert.True(await rows.CountAsync() >= 1);
        // Each row: rank, category label (Dutch), location with precision, date, partners, status.
        var firstRow = await rows.First.Locator("td").AllInnerTextsAsync();
        Assert.Equal("1", firstRow[0]);
        Assert.Matches("^(object|pc6|street|area)$", await rows.First.Locator("td.loc").GetAttributeAsync("data-precision"));
        // The top of 1012's list lies in a hotspot that several partners report: the ranking
        // weighs corroboration, so its first signal has other partners nearby.
        Assert.True(int.TryParse(firstRow[4], NumberStyles.None, CultureInfo.InvariantCulture, out var partners) && partners >= 1,
            $"partners column of the first row: '{firstRow[4]}'");

        await Expect(page.Locator("h2[data-i18n='layers']")).ToHaveTextAsync("Lagen");
        await Expect(page.Locator("#signal-list h3")).ToHaveTextAsync("Signaallijst");
        await Expect(page.Locator("#signal-list th").Nth(1)).ToHaveTextAsync("Categorie");

        await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("h2[data-i18n='layers']")).ToHaveTextAsync("Layers");
        await Expect(page.Locator("h2[data-i18n='legend']")).ToHaveTextAsync("Legend");
        // The panel reloads its list in English (the server words the reasons): as patient as the first load.
        await Expect(page.Locator("#signal-list h3")).ToHaveTextAsync("Signal list", new() { Timeout = 20_000 });
        await Expect(page.Locator("#signal-list th").Nth(1)).ToHaveTextAsync("Category");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        // The view is in the URL, so the link can be shared within the casustafel.
        Assert.Contains("ct=1012", page.Url, StringComparison.Ordinal);
        Assert.Contains("area=PC4-1012", page.Url, StringComparison.Ordinal);
        Assert.Contains("lang=en", page.Url, StringComparison.Ordinal);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserServerFixture.ResultsDirectory(), "webmap-1012-signal-list.png") });
        Assert.Empty(errors);
    }

    /// <summary>Screen position of a lon/lat on the map, for a real mouse click.</summary>
    private static async Task<(float X, float Y)> ScreenPointAsync(IPage page, double lon, double lat)
    {
        var p = await page.EvaluateAsync<double[]>("([lon, lat]) => { const p = georisk.map.project([lon, lat]); return [p.x, p.y]; }", new[] { lon, lat });
        var box = (await page.Locator("#map canvas").BoundingBoxAsync())!;
        return ((float)(box.X + p[0]), (float)(box.Y + p[1]));
    }

    private static async Task WaitForMapIdleAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => georisk.map && georisk.map.loaded() && georisk.map.areTilesLoaded() && !georisk.map.isMoving()",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });

    [Fact]
    public async Task An_unknown_profile_in_the_address_is_reported_and_the_list_offers_the_stored_ones()
    {
        var (page, errors, _) = await SignInAsync("#ct=1012&p=bestaat-niet");
        await using var context = page.Context;
        await Expect(page.Locator("#profile-message")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.Locator("#profile-message")).ToContainTextAsync("Onbekend scoringsprofiel: bestaat-niet");
        await Expect(page.Locator("#profile")).ToHaveValueAsync("riec-standaard");
        Assert.Equal("SELECT", await page.Locator("#profile").EvaluateAsync<string>("e => e.tagName"));
        Assert.Contains("riec-standaard (v2)", await page.Locator("#profile option").AllInnerTextsAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Clicking_the_1012_area_on_the_map_shows_its_score_and_signals()
    {
        var (page, errors, _) = await SignInAsync("#ct=1012");
        await using var context = page.Context;
        await Expect(page.Locator("#casustafel")).ToHaveValueAsync("1012");
        await WaitForMapIdleAsync(page);
        Assert.False(await page.Locator("#panel").IsVisibleAsync());

        // The map zoomed to the casustafel; click the middle of 1012's bounding box (inside the area).
        var bbox = await page.EvaluateAsync<double[]>("() => georisk.state.me.casustafels.find(c => c.id === '1012').bbox");
        var (x, y) = await ScreenPointAsync(page, (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2);
        await page.Mouse.ClickAsync(x, y);

        await Expect(page.Locator("#panel")).ToBeVisibleAsync();
        await Expect(page.Locator("#area-name")).ToContainTextAsync("1012", new() { Timeout = 20_000 });
        await Expect(page.Locator("#signal-list tbody tr").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        // The score of the demo's default scoring run: 0-100, with components as bars.
        await Expect(page.Locator("#area-score")).ToHaveTextAsync(new Regex(@"^\d{1,3}$"), new() { Timeout = 20_000 });
        Assert.InRange(int.Parse(await page.Locator("#area-score").InnerTextAsync(), CultureInfo.InvariantCulture), 0, 100);
        Assert.True(await page.Locator(".bar-row").CountAsync() >= 1);
        // The panel shows the API's score and trend, worded as the factsheet words it.
        var api = (await page.EvaluateAsync<JsonElement>(
            "async () => (await fetch('/api/areas/PC4-1012/score', { headers: { Authorization: 'Bearer ' + georisk.state.key } })).json()"))
            .Deserialize<GeoRisk.Core.Scoring.RiskScore>(GeoRisk.Core.Scoring.RiskScoreJson.Options)!;
        Assert.Equal(Math.Round(api.Score).ToString(CultureInfo.InvariantCulture), await page.Locator("#area-score").InnerTextAsync());
        Assert.Equal(GeoRisk.Reports.Factsheets.TrendText.Format(api.Trend, "nl"), await page.Locator("#area-trend").InnerTextAsync());
        Assert.Equal("1 van 1", await page.Locator("#area-rank").InnerTextAsync());
        // It says that filters do not change the stored score.
        await Expect(page.Locator("#score-basis")).ToContainTextAsync("veranderen deze score niet");
        Assert.Contains("area=PC4-1012", page.Url, StringComparison.Ordinal);
        // The area is drawn as selected (feature state on the areas source).
        Assert.True(await page.EvaluateAsync<bool>("() => georisk.map.queryRenderedFeatures().some(f => f.source === 'areas' && f.state.selected)"));

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserServerFixture.ResultsDirectory(), "webmap-1012-click.png") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_category_filter_gives_a_live_score_in_the_panel_and_the_legend_says_the_colours_stay()
    {
        var (page, errors, _) = await SignInAsync("#ct=1012&area=PC4-1012&cat=drugshandel&end=2026-11-15");
        await using var context = page.Context;
        await Expect(page.Locator("#area-name")).ToContainTextAsync("1012", new() { Timeout = 20_000 });
        await Expect(page.Locator("#score-basis")).ToContainTextAsync("Live berekend", new() { Timeout = 20_000 });
        await Expect(page.Locator("#score-basis")).ToContainTextAsync("Drugshandel");
        // The panel shows the API's live score of the same selection, not the stored one.
        var live = (await page.EvaluateAsync<JsonElement>(
            "async () => (await fetch('/api/areas/PC4-1012/score?categories=drugshandel&date=2026-11-15', { headers: { Authorization: 'Bearer ' + georisk.state.key } })).json()"))
            .Deserialize<GeoRisk.Core.Scoring.RiskScore>(GeoRisk.Core.Scoring.RiskScoreJson.Options)!;
        var stored = (await page.EvaluateAsync<JsonElement>(
            "async () => (await fetch('/api/areas/PC4-1012/score', { headers: { Authorization: 'Bearer ' + georisk.state.key } })).json()"))
            .Deserialize<GeoRisk.Core.Scoring.RiskScore>(GeoRisk.Core.Scoring.RiskScoreJson.Options)!;
        Assert.Equal("live", live.Basis);
        Assert.NotEqual(stored.RelativeRisk.Mean, live.RelativeRisk.Mean);
        Assert.Equal(live.RelativeRisk.Mean.ToString("0.##", CultureInfo.InvariantCulture).Replace('.', ','), await page.Locator("#area-rr").InnerTextAsync());
        Assert.Equal(GeoRisk.Reports.Factsheets.TrendText.Format(live.Trend, "nl"), await page.Locator("#area-trend").InnerTextAsync());
        // The map's colours are the stored score: the legend says so while the filter is set.
        await Expect(page.Locator("#legend-score-filter")).ToContainTextAsync("veranderen ze niet");

        // The factsheet exported from the panel and the ranking CSV of the same selection carry the same live score.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-pdf").ClickAsync());
        var pdfPath = Path.Combine(BrowserServerFixture.ResultsDirectory(), "webmap-1012-drugshandel.pdf");
        await download.SaveAsAsync(pdfPath);
        var pdfText = await PdfTextAsync(pdfPath);
        Assert.Contains(GeoRisk.Reports.Factsheets.TrendText.RelativeRisk(live, "nl"), pdfText, StringComparison.Ordinal);
        Assert.Contains(GeoRisk.Reports.Factsheets.TrendText.Format(live.Trend, "nl"), pdfText, StringComparison.Ordinal);
        Assert.Contains("Live berekend voor categorieën Drugshandel", pdfText, StringComparison.Ordinal);
        var csv = await page.EvaluateAsync<string>(
            "async () => (await fetch('/api/scores?kind=postcode&format=csv&categories=drugshandel&date=2026-11-15', { headers: { Authorization: 'Bearer ' + georisk.state.key } })).text()");
        using (var reader = new CsvHelper.CsvReader(new StringReader(csv), CultureInfo.InvariantCulture))
        {
            reader.Read(); reader.ReadHeader();
            Assert.True(reader.Read());
            Assert.Equal("PC4-1012", reader.GetField("code"));
            Assert.Equal(live.Score, double.Parse(reader.GetField("score")!, CultureInfo.InvariantCulture));
            Assert.Equal(live.RelativeRisk.Mean, double.Parse(reader.GetField("relative_risk")!, CultureInfo.InvariantCulture));
            Assert.Equal(await page.Locator("#area-score").InnerTextAsync(), Math.Round(double.Parse(reader.GetField("score")!, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture));
            Assert.Equal("live", reader.GetField("basis"));
        }
        Assert.Empty(errors);
    }

    private static async Task<string> PdfTextAsync(string path)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("pdftotext") { RedirectStandardOutput = true };
        foreach (var a in new[] { "-layout", path, "-" }) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text;
    }
}

[CollectionDefinition("browser", DisableParallelization = true)]
public sealed class BrowserCollection;
