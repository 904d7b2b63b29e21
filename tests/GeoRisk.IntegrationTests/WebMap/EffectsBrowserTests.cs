using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// Effect monitoring in the web map against the demo data: a 1012 member opens the area, opens
/// the seeded intervention and sees its verdict, the counts per zone, the chart with the start
/// marked, and target/buffer/control drawn on the map.
/// </summary>
[Collection("browser")]
public sealed class EffectsBrowserTests(WebMapServerFixture server) : IClassFixture<WebMapServerFixture>
{
    [Fact]
    public async Task A_member_opens_an_intervention_and_sees_the_chart_and_verdict()
    {
        var page = await server.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await using var context = page.Context;
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(server.BaseAddress, "/#ct=1012&area=PC4-1012").ToString());
        await page.Locator("#apikey").FillAsync(await server.MemberKeyAsync("1012"));
        await page.Locator("#signin-submit").ClickAsync();
        // Generous: under a loaded machine the software-rendered map takes long to start.
        await Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1, new() { Timeout = 120_000 });

        var open = page.Locator("#interventions .intervention-open[data-code='sluiting-wallen-2026']");
        await Expect(open).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await open.ClickAsync();
        var verdict = page.Locator("#intervention-verdict");
        await Expect(verdict).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(verdict).ToContainTextAsync("Oordeel");
        // Three zones with counts, three lines and the start of the intervention marked.
        await Expect(page.Locator("table.effect-counts tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("svg.effect-chart polyline")).ToHaveCountAsync(3);
        await Expect(page.Locator("svg.effect-chart .start-marker")).ToHaveCountAsync(1);
        var drawn = await page.EvaluateAsync<string[]>(
            "() => georisk.map.getSource('effect-zones').serialize().data.features.map(f => f.properties.zone).sort()");
        Assert.Equal(["buffer", "control", "target"], drawn);
        Assert.True(await page.EvaluateAsync<bool>("() => Boolean(georisk.map.getLayer('effect-zones-fill'))"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelectorAll('#intervention-detail td').length >= 9"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserServerFixture.ResultsDirectory(), "webmap-intervention.png") });
        Assert.Empty(errors);
    }
}
