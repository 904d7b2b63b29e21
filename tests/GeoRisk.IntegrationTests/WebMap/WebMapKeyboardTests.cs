using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// Keyboard only, from sign-in to a changed follow-up status, over the hand-built world (a
/// database of its own), with axe-core checking every screen on the way (WCAG 2.1 AA: no
/// serious or critical violation).
/// </summary>
[Collection("browser")]
public sealed class WebMapKeyboardTests(WorldBrowserFixture server) : IClassFixture<WorldBrowserFixture>
{
    [Fact]
    public async Task A_member_signs_in_finds_the_area_and_moves_a_signal_with_the_keyboard_only()
    {
        var page = await server.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await using var context = page.Context;
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(server.BaseAddress, "/#ct=proef&w=10&end=2026-10-31&p=proef-profiel").ToString());
        var s2 = server.World.Ids["s2"];

        // Sign-in dialog: the key field has the focus; type and press Enter.
        await Expect(page.Locator("#apikey")).ToBeFocusedAsync();
        await WebMapSession.AssertAccessibleAsync(page, "sign-in");
        await page.Keyboard.TypeAsync(await server.MemberKeyAsync("proef"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(page.Locator("#area-results button").First).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await WebMapSession.AssertAccessibleAsync(page, "map");

        // Tab reaches the skip link first; it leads to "zoek gebied".
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(".skip-link")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#area-search")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("9999");
        await Expect(page.Locator("#area-results button")).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#area-name")).ToHaveTextAsync("Proefgebied Wallen", new() { Timeout = 20_000 });
        await Expect(page.Locator("#area-name")).ToBeFocusedAsync();
        await Expect(page.Locator("#signal-list tbody tr")).ToHaveCountAsync(5, new() { Timeout = 20_000 });
        await WebMapSession.AssertAccessibleAsync(page, "area panel");

        // Tab on to the follow-up select of s2, with a visible focus indicator on the way.
        var select = page.Locator($"#signal-list tr[data-signal='{s2}'] select");
        for (var i = 0; i < 60 && !await select.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
            Assert.NotEqual("none", outline);
        }
        await Expect(select).ToBeFocusedAsync();
        // ArrowDown picks the first next step (verkennen); Tab to the note, type, Enter saves.
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(select).ToHaveValueAsync("verkennen");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator($"#signal-list tr[data-signal='{s2}'] input[type=text]")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Besproken aan tafel; gemeente verkent het pand");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator($"#signal-list tr[data-signal='{s2}'] select option").First).ToHaveTextAsync("Verkennen", new() { Timeout = 20_000 });
        await Expect(page.Locator($"#signal-list tr[data-signal='{s2}']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("focused"));

        // Escape closes the panel and gives the focus back to where it came from.
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#panel")).ToBeHiddenAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Every_screen_passes_axe_on_a_phone_too()
    {
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.MemberKeyAsync("proef"),
            "#ct=proef&area=PC4-9999&w=10&end=2026-10-31&p=proef-profiel", 390, 844);
        await using var context = page.Context;
        await Expect(page.Locator("#signal-list tbody tr")).ToHaveCountAsync(5, new() { Timeout = 20_000 });
        await WebMapSession.AssertAccessibleAsync(page, "phone with panel");
        await page.Locator("#menu-toggle").ClickAsync();
        await Expect(page.Locator("#controls")).ToBeVisibleAsync();
        await WebMapSession.AssertAccessibleAsync(page, "phone with drawer");
        await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("h2[data-i18n='layers']")).ToHaveTextAsync("Layers");
        await WebMapSession.AssertAccessibleAsync(page, "phone in English");
        Assert.Empty(errors);
    }
}
