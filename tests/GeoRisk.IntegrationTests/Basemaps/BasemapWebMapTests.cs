using GeoRisk.IntegrationTests.Infrastructure;
using GeoRisk.IntegrationTests.WebMap;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.Basemaps;

/// <summary>The demo database with a basemap from the fixture tile server on another origin.</summary>
public sealed class BasemapBrowserFixture : BrowserServerFixture
{
    public TileServerFixture Tiles { get; private set; } = null!;

    protected override Task<string> ConnectionStringAsync() => Task.FromResult(DemoDatabase.ConnectionString);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["WebMap:Basemap:Url"] = Tiles.Template,
        ["WebMap:Basemap:Attribution"] = "Kaartgegevens © Testkadaster",
        ["WebMap:Basemap:AllowedHosts:0"] = "127.0.0.1",
    };

    public override async Task InitializeAsync()
    {
        Tiles = await TileServerFixture.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Tiles.DisposeAsync();
    }
}

/// <summary>
/// The web map draws the configured basemap in Debian's chromium: the page's CSP lets it load the
/// tiles from the basemap's origin (and only there the key is never sent), and the attribution shows.
/// </summary>
public sealed class BasemapWebMapTests(BasemapBrowserFixture server) : IClassFixture<BasemapBrowserFixture>
{
    [Fact]
    public async Task The_map_loads_the_basemap_tiles_through_its_CSP_without_the_key_and_shows_the_attribution()
    {
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.MemberKeyAsync("1012"), "#ct=1012");
        try
        {
            await WebMapSession.WaitForMapIdleAsync(page);
            Assert.NotEmpty(server.Tiles.Requests);
            Assert.Equal(0, server.Tiles.RequestsWithCredentials);
            await Expect(page.Locator(".maplibregl-ctrl-attrib")).ToContainTextAsync("Testkadaster");
            await Expect(page.Locator("#basemap-note")).ToContainTextAsync("Testkadaster");
            var csp = await page.EvaluateAsync<string>("() => fetch('/').then(r => r.headers.get('content-security-policy'))");
            Assert.Contains(server.Tiles.BaseAddress.GetLeftPart(UriPartial.Authority), csp, StringComparison.Ordinal);
            Assert.DoesNotContain(errors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
            // The basemap was drawn, not only fetched: the fixture's colours are on screen.
            var bytes = await page.Locator("#map").ScreenshotAsync();
            var shot = GeoRisk.Tests.Support.DecodedPng.Decode(bytes);
            var fixturePixels = 0;
            for (var y = 0; y < shot.Height; y += 4)
                for (var x = 0; x < shot.Width; x += 4)
                {
                    var p = shot.Pixel(x, y);
                    foreach (var c in new[] { TileServerFixture.Even, TileServerFixture.Odd })
                        if (Math.Abs(p.R - c.R) < 12 && Math.Abs(p.G - c.G) < 12 && Math.Abs(p.B - c.B) < 12) fixturePixels++;
                }
            Assert.True(fixturePixels > 500, $"only {fixturePixels} sampled pixels show the basemap");
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
