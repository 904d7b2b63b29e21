using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>Signing in to the web map in a fresh browser page, and checks shared by the browser tests.</summary>
public static class WebMapSession
{
    /// <summary>Opens the map at <paramref name="hash"/> in a page of the given size and signs in with <paramref name="key"/>.</summary>
    public static async Task<(IPage Page, List<string> Errors)> OpenAsync(
        BrowserServerFixture server, string key, string hash, int width = 1400, int height = 900)
    {
        var page = await server.Browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ReducedMotion = ReducedMotion.Reduce,
        });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) errors.Add(m.Text); };
        await page.GotoAsync(new Uri(server.BaseAddress, "/" + hash).ToString());
        await Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await page.Locator("#apikey").FillAsync(key);
        await page.Locator("#signin-submit").ClickAsync();
        await Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        return (page, errors);
    }

    public static async Task WaitForMapIdleAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => georisk.map && georisk.map.loaded() && georisk.map.areTilesLoaded() && !georisk.map.isMoving()",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });

    /// <summary>Screen position of a lon/lat on the map, for a real mouse click.</summary>
    public static async Task<(float X, float Y)> ScreenPointAsync(IPage page, double lon, double lat)
    {
        var p = await page.EvaluateAsync<double[]>("([lon, lat]) => { const p = georisk.map.project([lon, lat]); return [p.x, p.y]; }", new[] { lon, lat });
        var box = (await page.Locator("#map canvas").BoundingBoxAsync())!;
        return ((float)(box.X + p[0]), (float)(box.Y + p[1]));
    }

    /// <summary>axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is: no serious or critical violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string screen)
    {
        var results = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var bad = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"axe on {screen}: " + string.Join("; ", bad.Select(v =>
            $"{v.Id} ({v.Impact}): {string.Join(" | ", v.Nodes.Take(3).Select(n => $"{n.Target} {n.Html}"))}")));
    }

    /// <summary>The nl and en dictionaries of the web map, as served.</summary>
    public static async Task<(Dictionary<string, string> Nl, Dictionary<string, string> En)> DictionariesAsync(IPage page)
    {
        var nl = await page.EvaluateAsync<JsonElement>("() => fetch('i18n/nl.json').then(r => r.json())");
        var en = await page.EvaluateAsync<JsonElement>("() => fetch('i18n/en.json').then(r => r.json())");
        static Dictionary<string, string> Read(JsonElement e) => e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        return (Read(nl), Read(en));
    }

    public static string Screenshot(string name) => Path.Combine(BrowserServerFixture.ResultsDirectory(), $"webmap-{name}.png");
}
