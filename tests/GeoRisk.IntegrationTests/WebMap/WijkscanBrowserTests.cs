using GeoRisk.Core.Access;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>The wijkscan view in Debian's chromium against the demo's stored scans of Amstelveen.</summary>
[Collection("browser")]
public sealed class WijkscanBrowserTests(WebMapServerFixture server) : IClassFixture<WebMapServerFixture>
{
    [Fact]
    public async Task Select_the_buurt_level_sort_the_table_and_click_a_row_to_see_the_area()
    {
        var key = await server.KeyAsync(Role.Analyst);
        var page = await server.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await using var context = page.Context;
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        // The map page keeps the key in this tab's session storage; the wijkscan page reads it there.
        await page.AddInitScriptAsync($"sessionStorage.setItem('georisk.apiKey', '{key}')");
        await page.GotoAsync(new Uri(server.BaseAddress, "/wijkscan.html").ToString());
        await Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        // The demo has buurt scans only: the wijk level is empty, the buurt level fills 47 buurten.
        await page.Locator("#ws-level input[value='wijk']").CheckAsync();
        await Expect(page.Locator("#ws-table tbody tr")).ToHaveCountAsync(0);
        await page.Locator("#ws-level input[value='buurt']").CheckAsync();
        var rows = page.Locator("#ws-table tbody tr");
        await Expect(rows).ToHaveCountAsync(47, new() { Timeout = 20_000 });
        // The GeoJSON source is parsed in a worker after setData: wait until the map holds all 47.
        await page.WaitForFunctionAsync("() => new Set(wijkscan.map.querySourceFeatures('subareas').map(f => f.properties.code)).size === 47",
            null, new() { Timeout = 20_000 });

        // Sort by signals (descending first), then ascending.
        await page.Locator("#ws-table th[data-col='signals']").ClickAsync();
        await Expect(page.Locator("#ws-table th[data-col='signals']")).ToHaveAttributeAsync("aria-sort", "descending");
        var counts = await SignalCountsAsync(page);
        Assert.Equal(counts.OrderByDescending(c => c), counts);
        await page.Locator("#ws-table th[data-col='signals']").ClickAsync();
        counts = await SignalCountsAsync(page);
        Assert.Equal(counts.Order(), counts);

        // Click a row: the area is selected on the map and named above the table.
        var third = rows.Nth(2);
        var code = await third.GetAttributeAsync("data-code");
        var name = await third.Locator("td").Nth(1).InnerTextAsync();
        await third.ClickAsync();
        await Expect(page.Locator("#ws-selected")).ToContainTextAsync(name);
        await Expect(third).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("selected"));
        Assert.Equal(code, await page.EvaluateAsync<string>("() => wijkscan.state.selected"));
        Assert.Equal($"[\"==\",[\"get\",\"code\"],\"{code}\"]", await page.EvaluateAsync<string>("() => JSON.stringify(wijkscan.map.getFilter('subareas-selected'))"));

        // Change map against the nulmeting, and small multiples per category.
        await page.Locator("#ws-mode").SelectOptionAsync("change");
        Assert.True(await page.Locator("#ws-multiples figure").CountAsync() >= 5);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserServerFixture.ResultsDirectory(), "wijkscan-amstelveen.png") });
        Assert.Empty(errors);
    }

    private static async Task<List<int>> SignalCountsAsync(IPage page) =>
        (await page.Locator("#ws-table tbody tr td:nth-child(3)").AllInnerTextsAsync()).Select(int.Parse).ToList();
}
