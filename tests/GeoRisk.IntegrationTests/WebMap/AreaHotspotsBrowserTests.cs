using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// An open area's hot spots on the web map are the hot-spot endpoint's Gi* (FDR-corrected), drawn
/// from the hotspots tiles: the classes of the rendered cells equal GET /api/areas/{code}/hotspots
/// for the map's period, the legend says what is drawn and names the area (by name, not code) in both
/// languages, and without an open area the grid's approximation comes back with its own legend.
/// </summary>
[Collection("browser")]
public sealed class AreaHotspotsBrowserTests(WebMapServerFixture server) : IClassFixture<WebMapServerFixture>
{
    /// <summary>Rendered cells of the area's hot spots as "q,r,gi_class,size_m" (a cell cut by tile edges is one cell).</summary>
    private const string DrawnCells = """
        () => {
          const map = georisk.map;
          const layers = map.getStyle().layers.filter(l => l.metadata?.group === 'hotspots' && l.id.endsWith('-fill')).map(l => l.id);
          const cells = {};
          for (const f of map.queryRenderedFeatures({ layers })) cells[`${f.properties.q},${f.properties.r}`] = `${f.properties.gi_class},${f.properties.size_m}`;
          return Object.entries(cells).map(([k, v]) => `${k},${v}`);
        }
        """;

    private const string Visibility = """
        (group) => georisk.map.getStyle().layers.filter(l => l.metadata?.group === group).map(l => georisk.map.getLayoutProperty(l.id, 'visibility') ?? 'visible')
        """;

    /// <summary>GET with the page's key; <paramref name="pick"/> (a JS function body of j) keeps what the test reads, not deep geometries.</summary>
    private static Task<JsonElement> FetchAsync(IPage page, string url, string pick) =>
        page.EvaluateAsync<JsonElement>($"(url) => fetch(url, {{ headers: {{ Authorization: 'Bearer ' + georisk.state.key }} }}).then(r => r.json()).then(j => {pick})", url);

    [Fact]
    public async Task An_open_area_draws_the_hot_spots_of_the_endpoint_and_the_legend_says_what_they_are()
    {
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.MemberKeyAsync("1012"),
            "#ct=1012&area=PC4-1012&w=12&end=2026-11-15&l=areas,hexbins", 2400, 1500);
        await using var context = page.Context;
        await Expect(page.Locator("#area-name")).ToContainTextAsync("1012", new() { Timeout = 20_000 });
        var bbox = (await FetchAsync(page, "/api/areas/PC4-1012", "j.bbox")).EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var name = (await FetchAsync(page, "/api/areas/PC4-1012", "j.properties.name")).GetString()!;
        Assert.NotEqual("PC4-1012", name);
        // Zoom 15 (100 m cells, where 1012 has hot spots) with the whole area in view: every cell of the endpoint can be rendered.
        await page.EvaluateAsync("(b) => { georisk.map.jumpTo({ center: [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2], zoom: 15.05 }); }", bbox);
        Assert.True(await page.EvaluateAsync<bool>(
            "(b) => { const v = georisk.map.getBounds(); return v.getWest() < b[0] && v.getSouth() < b[1] && v.getEast() > b[2] && v.getNorth() > b[3]; }", bbox),
            "the area does not fit in the map at zoom 15");
        await page.WaitForFunctionAsync("() => Boolean(georisk.map.getSource('hotspots'))", null, new() { Timeout = 20_000 });
        await WebMapSession.WaitForMapIdleAsync(page);

        // What is drawn: the area's cells from the hotspots tiles; the grid's cells are hidden.
        var drawn = (await page.EvaluateAsync<string[]>(DrawnCells)).Select(c => c.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToDictionary(c => FormattableString.Invariant($"{c[0]},{c[1]}"), c => (Class: c[2], Size: c[3]));
        Assert.NotEmpty(drawn);
        var size = drawn.Values.Select(c => c.Size).Distinct().Single();
        Assert.All(await page.EvaluateAsync<string[]>(Visibility, "hexbins"), v => Assert.Equal("none", v));
        Assert.All(await page.EvaluateAsync<string[]>(Visibility, "hotspots"), v => Assert.Equal("visible", v));

        // The endpoint for the map's period (12 months up to 2026-11-15; its 'to' is exclusive) and cell size.
        var endpoint = (await FetchAsync(page, FormattableString.Invariant($"/api/areas/PC4-1012/hotspots?cell={size}&from=2025-11-15&to=2026-11-16"),
                "j.features.map(f => `${f.properties.q},${f.properties.r},${f.properties.gi_bin}`)"))
            .EnumerateArray().Select(c => c.GetString()!.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToDictionary(c => FormattableString.Invariant($"{c[0]},{c[1]}"), c => c[2]);
        var significant = endpoint.Where(e => e.Value != 0).ToDictionary(e => e.Key, e => e.Value);
        Assert.Contains(significant.Values, bin => bin > 0);
        // Every significant cell of the endpoint is drawn with its class, and nothing else is drawn as significant.
        Assert.Equal(significant.OrderBy(e => e.Key, StringComparer.Ordinal),
            drawn.Where(d => d.Value.Class != 0).Select(d => KeyValuePair.Create(d.Key, d.Value.Class)).OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.All(drawn, d => Assert.Equal(endpoint[d.Key], d.Value.Class));

        // The legend says exactly what is drawn, naming the area as the panel does (not by its code).
        var legend = page.Locator("#legend-hotspots");
        await Expect(legend).ToContainTextAsync($"Hotspots van {name}:");
        await Expect(legend).Not.ToContainTextAsync("PC4-1012");
        await Expect(legend).ToContainTextAsync("FDR-correctie (Benjamini-Hochberg)");
        await Expect(page.Locator("#legend")).Not.ToContainTextAsync("Gi*-benadering");
        await Expect(page.Locator("#legend-cell-size")).ToContainTextAsync($"zeshoeken van {size.ToString(CultureInfo.InvariantCulture)} m");
        await page.ScreenshotAsync(new() { Path = WebMapSession.Screenshot("area-hotspots") });
        await WebMapSession.AssertAccessibleAsync(page, "area hot spots (nl)");

        await page.Locator("#lang").ClickAsync();
        await Expect(legend).ToContainTextAsync($"Hot spots of {name}:");
        await Expect(legend).Not.ToContainTextAsync("PC4-1012");
        await Expect(legend).ToContainTextAsync("FDR correction (Benjamini-Hochberg)");
        await WebMapSession.AssertAccessibleAsync(page, "area hot spots (en)");

        // Closing the area brings back the grid's approximation, with its own legend.
        await page.Locator("#panel-close").ClickAsync();
        await Expect(page.Locator("#legend")).ToContainTextAsync("Gi* approximation (no FDR correction)");
        await Expect(legend).ToHaveCountAsync(0);
        Assert.All(await page.EvaluateAsync<string[]>(Visibility, "hexbins"), v => Assert.Equal("visible", v));
        Assert.All(await page.EvaluateAsync<string[]>(Visibility, "hotspots"), v => Assert.Equal("none", v));
        Assert.Empty(errors);
    }
}
