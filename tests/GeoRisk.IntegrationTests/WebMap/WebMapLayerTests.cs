using GeoRisk.Core.Access;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// Over the demo data: a click popup for every overlay layer (camera, incident, signal, hot-spot
/// cell with z, p, class, count and cell size), the cell size in the legend, the area level
/// switch (one level filled, a click opens an area of that level), and what a viewer sees.
/// </summary>
[Collection("browser")]
public sealed class WebMapLayerTests(WebMapServerFixture server) : IClassFixture<WebMapServerFixture>
{
    /// <summary>A screen point (inside the canvas, away from the controls) on a rendered feature of
    /// <c>group</c> with the given geometry type, where that group's feature is what a click hits.</summary>
    private const string FindPoint = """
        ([group, type]) => {
          const map = georisk.map;
          const layers = map.getStyle().layers.filter(l => l.metadata?.group === group).map(l => l.id);
          const c = map.getCanvas(); const w = c.clientWidth, h = c.clientHeight;
          for (const f of map.queryRenderedFeatures({ layers })) {
            if (f.geometry.type !== type) continue;
            let pt;
            if (type === 'Point') pt = map.project(f.geometry.coordinates);
            else { const r = f.geometry.coordinates[0]; let x = 0, y = 0; for (let i = 0; i < r.length - 1; i++) { x += r[i][0]; y += r[i][1]; } pt = map.project([x / (r.length - 1), y / (r.length - 1)]); }
            if (pt.x < 60 || pt.x > w - 90 || pt.y < 60 || pt.y > h - 60) continue;
            const hits = map.queryRenderedFeatures([pt.x, pt.y], { layers });
            if (hits.some(x => x.geometry.type === type)) return [pt.x, pt.y];
          }
          return null;
        }
        """;

    private static async Task ShowOnlyAsync(IPage page, params string[] layers)
    {
        foreach (var name in new[] { "areas", "hexbins", "signals", "cameras", "incidents" })
        {
            var toggle = page.Locator($"#toggle-{name}");
            if (await toggle.CountAsync() == 0) continue;
            if (await toggle.IsCheckedAsync() != layers.Contains(name)) await toggle.ClickAsync();
        }
    }

    private static async Task<ILocator> ClickFeatureAsync(IPage page, string group, string type, double lon, double lat, double zoom)
    {
        await page.EvaluateAsync("([lon, lat, z]) => { georisk.map.jumpTo({ center: [lon, lat], zoom: z }); }", new[] { lon, lat, zoom });
        await WebMapSession.WaitForMapIdleAsync(page);
        var point = await page.EvaluateAsync<double[]?>(FindPoint, new[] { group, type });
        Assert.True(point is not null, $"no {type} of {group} rendered at {lon},{lat} z{zoom}");
        var box = (await page.Locator("#map canvas").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync((float)(box.X + point![0]), (float)(box.Y + point[1]));
        var popup = page.Locator($".maplibregl-popup .popup[data-layer='{group}']");
        await Expect(popup).ToBeVisibleAsync(new() { Timeout = 10_000 });
        return popup;
    }

    [Fact]
    public async Task Every_overlay_layer_answers_a_click_with_a_popup()
    {
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.KeyAsync(Role.Admin),
            "#w=36&end=2026-11-15&l=areas", 1400, 900);
        await using var context = page.Context;

        // Hot-spot cell in 1012: class, z, p, count and cell size.
        await ShowOnlyAsync(page, "hexbins");
        var cell = await ClickFeatureAsync(page, "hexbins", "Polygon", 4.8960, 52.3735, 13);
        var text = await cell.InnerTextAsync();
        foreach (var label in new[] { "Klasse", "z-score", "p-waarde", "Aantal signalen", "Celgrootte" }) Assert.Contains(label, text, StringComparison.Ordinal);
        Assert.Matches(@"zeshoek, [\d.]+ m straal", text);
        Assert.Matches(@"z-score\s*\n?\s*-?\d+,\d\d", text);
        // The legend states the grid size at this zoom.
        await Expect(page.Locator("#legend-cell-size")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"zeshoeken van [\d.]+ m"));
        await page.Keyboard.PressAsync("Escape");
        await Expect(cell).ToBeHiddenAsync();

        await ShowOnlyAsync(page, "signals");
        var signal = await ClickFeatureAsync(page, "signals", "Point", 4.8960, 52.3735, 15.5);
        Assert.Contains("Betrouwbaarheid", await signal.InnerTextAsync(), StringComparison.Ordinal);

        await ShowOnlyAsync(page, "cameras");
        var camera = await ClickFeatureAsync(page, "cameras", "Point", 4.8960, 52.3735, 15.5);
        Assert.Contains("Kijkhoek", await camera.InnerTextAsync(), StringComparison.Ordinal);

        var harbour = await page.EvaluateAsync<double[]>("() => fetch('/api/areas/MP-WESTHAVEN', { headers: { Authorization: 'Bearer ' + georisk.state.key } }).then(r => r.json()).then(f => f.bbox)");
        await ShowOnlyAsync(page, "incidents");
        var incident = await ClickFeatureAsync(page, "incidents", "Point", (harbour[0] + harbour[2]) / 2, (harbour[1] + harbour[3]) / 2, 12.5);
        Assert.Contains("Soort", await incident.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = WebMapSession.Screenshot("popup-incident") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task One_level_is_filled_at_a_time_and_a_click_opens_an_area_of_that_level()
    {
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.KeyAsync(Role.Admin),
            "#w=12&end=2026-11-15&l=areas&z=13.5&c=4.86000,52.30300", 1400, 900);
        await using var context = page.Context;
        foreach (var (level, prefix) in new[] { ("buurt", "BU"), ("wijk", "WK"), ("gemeente", "GM") })
        {
            await page.Locator("#level").SelectOptionAsync(level);
            await WebMapSession.WaitForMapIdleAsync(page);
            var kinds = await page.EvaluateAsync<string[]>(
                "() => [...new Set(georisk.map.queryRenderedFeatures({ layers: georisk.map.getStyle().layers.filter(l => l.metadata?.group === 'areas' && l.id.endsWith('-fill')).map(l => l.id) }).map(f => f.properties.kind))]");
            Assert.Equal([level], kinds);
            // The other levels are still drawn as outlines.
            var outlined = await page.EvaluateAsync<string[]>(
                "() => [...new Set(georisk.map.queryRenderedFeatures({ layers: georisk.map.getStyle().layers.filter(l => l.metadata?.group === 'areas' && l.id.endsWith('-line')).map(l => l.id) }).map(f => f.properties.kind))]");
            Assert.Contains("buurt", outlined);
            Assert.Contains("gemeente", outlined);
            var (x, y) = await WebMapSession.ScreenPointAsync(page, 4.8600, 52.3030);
            await page.Mouse.ClickAsync(x, y);
            await Expect(page.Locator("#panel .muted.small").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^{prefix}"), new() { Timeout = 20_000 });
            Assert.Contains($"lv={level}", page.Url, StringComparison.Ordinal);
        }
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_viewer_sees_no_export_or_signal_buttons_and_suppressed_counts_read_below_k()
    {
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.KeyAsync(Role.Viewer),
            "#w=12&end=2026-11-15&l=areas&area=BU03620902&lv=buurt", 1400, 900);
        await using var context = page.Context;
        await Expect(page.Locator("#area-score")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{1,3}$"), new() { Timeout = 20_000 });
        // No signal list, no CSV/PDF buttons, no follow-up: those would only answer 403.
        await Expect(page.Locator("#export-csv")).ToHaveCountAsync(0);
        await Expect(page.Locator("#export-pdf")).ToHaveCountAsync(0);
        await Expect(page.Locator("#signal-list")).ToHaveCountAsync(0);
        await Expect(page.Locator("#toggle-signals")).ToHaveCountAsync(0);
        // The buurt has fewer signals than k: the count reads "< 5" with a tooltip saying why.
        var count = page.Locator("#area-signals");
        await Expect(count).ToHaveTextAsync("< 5");
        Assert.Contains("Minder dan 5", await count.GetAttributeAsync("title"), StringComparison.Ordinal);
        Assert.Contains("✘ aantal signalen < 5", await page.Locator(".reasons").InnerTextAsync(), StringComparison.Ordinal);
        await WebMapSession.AssertAccessibleAsync(page, "viewer");
        Assert.Empty(errors);
    }
}
