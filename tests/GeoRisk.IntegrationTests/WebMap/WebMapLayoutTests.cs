using GeoRisk.Core.Access;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// The responsive layout over the demo data: a phone (390×844) keeps most of the screen for the
/// map with the area panel open (bottom sheet) and the controls in a drawer; phone, tablet
/// (768×1024) and desktop (1440×900) are compared with reference screenshots so that a layout
/// regression fails the build.
/// </summary>
[Collection("browser")]
public sealed class WebMapLayoutTests(WebMapServerFixture server) : IClassFixture<WebMapServerFixture>
{
    // A fixed view and window end, so that the same pixels come back every day.
    private const string View = "#ct=1012&area=PC4-1012&z=14.30&c=4.89600,52.37350&w=12&end=2026-11-15&l=areas,hexbins";

    [Fact]
    public async Task On_a_phone_the_map_keeps_more_than_half_the_screen_with_the_panel_open()
    {
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.MemberKeyAsync("1012"), View, 390, 844);
        await using var context = page.Context;
        await Expect(page.Locator("#area-name")).ToContainTextAsync("1012", new() { Timeout = 20_000 });
        await Expect(page.Locator("#signal-list tbody tr").First).ToBeVisibleAsync(new() { Timeout = 20_000 });

        var map = (await page.Locator("#map").BoundingBoxAsync())!;
        Assert.True(map.Height > 0.5 * 844, $"map is {map.Height} px high on an 844 px screen");
        Assert.True(map.Width >= 389, $"map is {map.Width} px wide on a 390 px screen");
        // The panel is a bottom sheet under the map, not a column beside it.
        var panel = (await page.Locator("#panel").BoundingBoxAsync())!;
        Assert.True(panel.Y >= map.Y + map.Height - 1, "the panel is not below the map");
        // Nothing sticks out to the right: the page is as wide as the screen, the buttons are on it.
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);
        foreach (var id in new[] { "#lang", "#signout", "#menu-toggle", "#casustafel" })
        {
            var box = (await page.Locator(id).BoundingBoxAsync())!;
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"{id} is off-screen ({box.X}+{box.Width})");
        }

        await page.ScreenshotAsync(new() { Path = WebMapSession.Screenshot("phone-panel") });
        // The controls are a drawer: closed at first, opened by the menu button, closed by Escape.
        var controls = page.Locator("#controls");
        await Expect(controls).ToBeHiddenAsync();
        Assert.True((await controls.BoundingBoxAsync()) is not { } closed || closed.X + closed.Width <= 0, "the closed drawer is on the screen");
        await page.Locator("#menu-toggle").ClickAsync();
        await Expect(controls).ToBeVisibleAsync();
        await Expect(page.Locator("#menu-toggle")).ToHaveAttributeAsync("aria-expanded", "true");
        var open = (await controls.BoundingBoxAsync())!;
        Assert.True(open.X >= 0 && open.X + open.Width <= 390, $"the open drawer is at {open.X}+{open.Width}");
        await page.Keyboard.PressAsync("Escape");
        await Expect(controls).ToBeHiddenAsync();
        await Expect(page.Locator("#menu-toggle")).ToBeFocusedAsync();
        // Escape again closes the panel, and the map takes the whole height.
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#panel")).ToBeHiddenAsync();
        Assert.True((await page.Locator("#map").BoundingBoxAsync())!.Height > 0.85 * 844);
        await page.ScreenshotAsync(new() { Path = WebMapSession.Screenshot("phone-closed") });
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("phone", 390, 844)]
    [InlineData("tablet", 768, 1024)]
    [InlineData("desktop", 1440, 900)]
    public async Task The_layout_matches_its_reference_screenshot(string name, int width, int height)
    {
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.KeyAsync(Role.Member, "1012"), View, width, height);
        await using var context = page.Context;
        await Expect(page.Locator("#signal-list tbody tr").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await WebMapSession.WaitForMapIdleAsync(page);
        // The signal list is rendered after the map settled: let layout and fonts settle too.
        await page.EvaluateAsync("() => document.fonts.ready");
        await page.WaitForTimeoutAsync(300);
        var png = await page.ScreenshotAsync(new() { Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        ScreenshotReference.AssertMatches(name, png);
        Assert.Empty(errors);
    }
}
