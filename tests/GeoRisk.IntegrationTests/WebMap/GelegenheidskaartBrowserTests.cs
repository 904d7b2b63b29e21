using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// The gelegenheidskaart in the web map against the demo data: an analyst opens the buitengebied
/// Amstelland and sees the model card (kept factors with RRV, PAI of the model and of the hot-spot
/// map); the tile layer can be switched on and its legend shows the four RRS classes, in Dutch and English.
/// </summary>
[Collection("browser")]
public sealed class GelegenheidskaartBrowserTests(WebMapServerFixture server) : IClassFixture<WebMapServerFixture>
{
    [Fact]
    public async Task An_analyst_sees_the_model_card_and_the_layer_with_its_legend()
    {
        var page = await server.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await using var context = page.Context;
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(server.BaseAddress, "/#area=BG-AMSTELLAND").ToString());
        await page.Locator("#apikey").FillAsync(await server.KeyAsync(GeoRisk.Core.Access.Role.Analyst));
        await page.Locator("#signin-submit").ClickAsync();
        await Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1, new() { Timeout = 120_000 });

        var card = page.Locator("#gelegenheidskaart .rtm-card");
        await Expect(card).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("#gelegenheidskaart .rtm-factor[data-factor='agrarische-schuur']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#gelegenheidskaart .rtm-pai-model")).ToContainTextAsync("PAI");
        await Expect(page.Locator("#gelegenheidskaart .rtm-pai-hotspot")).ToContainTextAsync("Hotspots uit eerdere signalen");

        var toggle = page.Locator("#toggle-gelegenheidskaart");
        await Expect(toggle).ToBeEnabledAsync(new() { Timeout = 60_000 });
        await toggle.CheckAsync();
        await Expect(page.Locator("#legend .rrs-class")).ToHaveCountAsync(4);
        await Expect(page.Locator("#legend")).ToContainTextAsync("Gelegenheidskaart");
        Assert.True(await page.EvaluateAsync<bool>(
            "() => georisk.map.getStyle().layers.some(l => l.metadata?.group === 'gelegenheidskaart' && l.type === 'fill')"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserServerFixture.ResultsDirectory(), "webmap-gelegenheidskaart.png") });
        Assert.Empty(errors);
    }
}
