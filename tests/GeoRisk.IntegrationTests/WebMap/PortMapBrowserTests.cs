using System.Text;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// The port view in a real browser on the demo data, signed in as a member of the Westelijk
/// Havengebied programme: pick the port, filter incidents by kind (the counts in the picker
/// match what is drawn), click a camera and read its popup, read the coverage with active
/// cameras per month, run a siting and see the sectors on the map and the gains in the list,
/// and the waterbed chart; axe finds nothing serious.
/// </summary>
[Collection("browser")]
public sealed class PortMapBrowserTests(WebMapServerFixture server) : IClassFixture<WebMapServerFixture>
{
    // Generous: under a loaded machine the software-rendered map and a whole port's coverage take long.
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 120_000 };

    [Fact]
    public async Task A_member_picks_the_port_filters_incidents_clicks_a_camera_and_runs_a_siting()
    {
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.MemberKeyAsync("westelijk-havengebied"), "#ct=westelijk-havengebied");
        await using var context = page.Context;

        // The picker is filled from the caller's casustafels when the map is ready: no wait for another request.
        await Expect(page.Locator("#port-area option[value='MP-WESTHAVEN']")).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator("#port-area option[value='MP-BLOEMENVEILING']").CountAsync());
        await page.Locator("#port-area").SelectOptionAsync("MP-WESTHAVEN");
        await page.WaitForFunctionAsync("() => georisk.ports.cameras?.features?.length > 0 && georisk.ports.incidents !== null", null, new() { Timeout = 120_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => georisk.ports.cameras.features.every(f => f.properties.programme === 'westelijk-havengebied')"));
        Assert.True(await page.EvaluateAsync<bool>("() => georisk.map.getSource('port-cameras').serialize().data.features.length === georisk.ports.cameras.features.length"));

        // Kind filter: the option's count is the number of incidents drawn after choosing it.
        var kinds = await page.EvaluateAsync<Dictionary<string, int>>("() => georisk.ports.counts");
        Assert.NotEmpty(kinds);
        var (kind, n) = kinds.OrderByDescending(k => k.Value).First();
        await Expect(page.Locator($"#port-kind option[value='{kind}']")).ToContainTextAsync($"({n})");
        // Kinds read as words, not as codes: the demo's kinds have Dutch names, and no option shows a code.
        await Expect(page.Locator("#port-kind option[value='onbevoegde_toegang']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Onbevoegde toegang \(\d+\)$"));
        await Expect(page.Locator("#port-kind option[value='verdachte_lading']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Verdachte lading \(\d+\)$"));
        Assert.DoesNotContain(await page.Locator("#port-kind option").AllTextContentsAsync(), o => o.Contains('_', StringComparison.Ordinal));
        await page.Locator("#port-kind").SelectOptionAsync(kind);
        await page.WaitForFunctionAsync("k => georisk.ports.incidents.features.length > 0 && georisk.ports.incidents.features.every(f => f.properties.kind === k)", kind, new() { Timeout = 60_000 });
        Assert.Equal(n, await page.EvaluateAsync<int>("() => georisk.map.getSource('port-incidents').serialize().data.features.length"));

        // Coverage: the three rows and one month row per month of the period, each with its active cameras.
        var coverage = page.Locator("[data-testid='port-coverage']");
        await Expect(coverage).ToBeVisibleAsync(Slow);
        await Expect(coverage.Locator("tbody tr").First).ToContainTextAsync("incidenten");
        var months = await page.EvaluateAsync<int>("() => georisk.ports.coverage.monthly.length");
        Assert.True(months >= 12, $"{months} months");
        await Expect(page.Locator("#port-monthly tbody tr")).ToHaveCountAsync(months);
        await Expect(page.Locator("svg.port-bars rect")).ToHaveCountAsync(months);
        var lastCameras = await page.EvaluateAsync<int>("() => georisk.ports.coverage.monthly.at(-1).active_cameras");
        Assert.True(lastCameras > 0);

        // A camera popup: centre an active camera, then click it with the mouse.
        var lonLat = await page.EvaluateAsync<double[]>("() => georisk.ports.cameras.features.find(f => f.properties.status === 'active').geometry.coordinates");
        await page.EvaluateAsync("([lon, lat]) => new Promise(r => { georisk.map.once('idle', () => r(true)); georisk.map.jumpTo({ center: [lon, lat], zoom: 17 }); })", lonLat);
        var (x, y) = await WebMapSession.ScreenPointAsync(page, lonLat[0], lonLat[1]);
        await page.Mouse.ClickAsync(x, y);
        var popup = page.Locator("[data-testid='port-popup']");
        await Expect(popup).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(popup).ToContainTextAsync("havenbedrijf");
        await Expect(popup).ToContainTextAsync("250 m");
        await Expect(popup).ToContainTextAsync("actief");
        // The click answered with the camera, not with the area underneath.
        Assert.True(await page.Locator("#panel").IsHiddenAsync());

        // Siting: three cameras on a 250 m grid, drawn on the map, gains never growing.
        var form = page.Locator("#port-siting-form");
        await form.Locator("input[name='budget']").FillAsync("3");
        await form.Locator("input[name='spacing']").FillAsync("250");
        await page.Locator("#port-siting-run").ClickAsync();
        var result = page.Locator("[data-testid='port-siting-result']");
        await Expect(result).ToBeVisibleAsync(Slow);
        await Expect(result.Locator("li")).ToHaveCountAsync(3);
        Assert.Equal(3, await page.EvaluateAsync<int>("() => georisk.map.getSource('port-siting').serialize().data.features.length"));
        var gains = await page.EvaluateAsync<double[]>("() => georisk.ports.siting.picks.map(p => p.gain)");
        Assert.True(gains[0] >= gains[1] && gains[1] >= gains[2], string.Join(", ", gains));
        var firstGain = await page.EvaluateAsync<string>("() => georisk.ports.siting.picks[0].gain.toLocaleString('nl-NL', { maximumFractionDigits: 1 })");
        await Expect(result.Locator("li").First).ToContainTextAsync($"+{firstGain}");

        // Waterbed chart: one line per mainport the member may see (its own only).
        await Expect(page.Locator("svg.port-series polyline")).ToHaveCountAsync(1);
        await Expect(page.Locator("svg.port-series polyline[data-port='MP-WESTHAVEN']")).ToHaveCountAsync(1);

        // English: the view's texts follow the language toggle.
        await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("#port-view h2")).ToHaveTextAsync("Port view");
        await Expect(page.Locator("[data-testid='port-coverage'] h3")).ToHaveTextAsync("Camera coverage");
        await Expect(page.Locator("#port-kind option[value='verdachte_lading']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Suspicious cargo \(\d+\)$"));
        await Expect(page.Locator($"#port-kind-coverage li[data-kind='{kind}']")).Not.ToContainTextAsync(kind);

        await WebMapSession.AssertAccessibleAsync(page, "port view");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WebMapSession.Screenshot("port-siting") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task On_a_phone_the_port_view_sits_in_the_controls_drawer_and_its_result_shows_on_the_map()
    {
        const int width = 390;
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.MemberKeyAsync("westelijk-havengebied"), "#ct=westelijk-havengebied", width, 844);
        await using var context = page.Context;

        // Like the other views, the port view is part of the controls column: hidden with the closed drawer.
        await Expect(page.Locator("#controls #port-view")).ToHaveCountAsync(1);
        await Expect(page.Locator("#port-view")).ToBeHiddenAsync();
        await page.Locator("#menu-toggle").ClickAsync();
        await Expect(page.Locator("#port-view")).ToBeVisibleAsync();
        await page.Locator("#port-area").SelectOptionAsync("MP-WESTHAVEN");
        await page.WaitForFunctionAsync("() => georisk.ports.cameras?.features?.length > 0 && georisk.ports.incidents !== null", null, new() { Timeout = 120_000 });
        await Expect(page.Locator("[data-testid='port-coverage']")).ToBeVisibleAsync(Slow);

        // Everything of the view fits inside the drawer: no control sticks out, nothing scrolls sideways.
        var drawer = (await page.Locator("#controls").BoundingBoxAsync())!;
        Assert.True(drawer.X >= 0 && drawer.X + drawer.Width <= width, $"the drawer is at {drawer.X}+{drawer.Width}");
        foreach (var control in await page.Locator("#port-view select, #port-view input, #port-view button, #port-view table, #port-view svg").AllAsync())
        {
            if (!await control.IsVisibleAsync()) continue;
            var box = (await control.BoundingBoxAsync())!;
            Assert.True(box.X >= drawer.X - 0.5 && box.X + box.Width <= drawer.X + drawer.Width + 0.5,
                $"{await control.EvaluateAsync<string>("e => e.id || e.tagName")} lies at {box.X}+{box.Width}, outside the drawer {drawer.X}+{drawer.Width}");
        }
        Assert.True(await page.EvaluateAsync<bool>("() => { const c = document.getElementById('controls'); return c.scrollWidth <= c.clientWidth; }"),
            "the controls drawer scrolls sideways");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= width);

        // A siting run from the drawer: the result is listed there, and with the drawer closed its sectors are on the map.
        var form = page.Locator("#port-siting-form");
        await form.Locator("input[name='budget']").FillAsync("2");
        await form.Locator("input[name='spacing']").FillAsync("250");
        await page.Locator("#port-siting-run").ClickAsync();
        await Expect(page.Locator("[data-testid='port-siting-result'] li")).ToHaveCountAsync(2, new() { Timeout = 120_000 });
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#controls")).ToBeHiddenAsync();
        Assert.Equal(2, await page.EvaluateAsync<int>("() => georisk.map.getSource('port-siting').serialize().data.features.length"));
        Assert.True(await page.EvaluateAsync<bool>("() => georisk.map.getLayer('port-siting-fill') !== undefined"));
        Assert.True((await page.Locator("#map").BoundingBoxAsync())!.Width >= width - 1);

        await page.Locator("#menu-toggle").ClickAsync();
        await WebMapSession.AssertAccessibleAsync(page, "port view on a phone");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = WebMapSession.Screenshot("phone-port-view") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_viewer_sees_coverage_shares_but_no_points_and_no_siting()
    {
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.KeyAsync(Role.Viewer, "westelijk-havengebied"), "#ct=westelijk-havengebied");
        await using var context = page.Context;
        await page.Locator("#port-area").SelectOptionAsync("MP-WESTHAVEN");
        await Expect(page.Locator("[data-testid='port-coverage']")).ToBeVisibleAsync(Slow);
        Assert.Equal(0, await page.Locator("#port-siting-form").CountAsync());
        Assert.Equal(0, await page.Locator("#port-kind").CountAsync());
        Assert.Equal(0, await page.Locator("#port-upload").CountAsync());
        Assert.Equal(0, await page.EvaluateAsync<int>("() => georisk.map.getSource('port-cameras').serialize().data.features.length"));
        Assert.Empty(errors);
    }
}

/// <summary>
/// Upload in the web map: an analyst sends a camera registry with a row that holds an e-mail
/// address to the port intake. Atomic: the per-row report names the row and field and nothing
/// is stored; partial: the valid rows are stored and show on the map.
/// </summary>
[Collection("browser")]
public sealed class PortUploadBrowserTests(PortBrowserFixture server) : IClassFixture<PortBrowserFixture>
{
    private const string Registry = """
        external_id,owner,description,x,y,heading,fov,range,status
        cam-1,havenbedrijf,kade noord,116200,490200,45,90,150,active
        cam-2,havenbedrijf,contact jan.jansen@example.nl,116500,490500,90,90,150,active
        cam-3,gemeente,kade zuid,116800,490800,180,120,200,planned
        """;

    [Fact]
    public async Task An_analyst_uploads_a_camera_registry_and_sees_the_rejected_row_then_the_cameras()
    {
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.KeyAsync(Role.Analyst), "#ct=haven-a");
        await using var context = page.Context;
        await page.Locator("#port-upload summary").ClickAsync();
        await page.Locator("#port-upload-what").SelectOptionAsync("cameras");
        await page.Locator("#port-upload-programme").SelectOptionAsync("haven-a");
        await page.Locator("#port-upload-file").SetInputFilesAsync(new FilePayload { Name = "cameras.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Registry) });

        // Atomic (default): refused, the row and field named, the value itself never shown.
        await page.Locator("#port-upload-run").ClickAsync();
        var rejections = page.Locator("#port-upload-rejections tbody tr");
        await Expect(rejections).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Expect(rejections.First.Locator("td").Nth(0)).ToHaveTextAsync("2");
        await Expect(rejections.First.Locator("td").Nth(1)).ToHaveTextAsync("description");
        await Expect(rejections.First).ToContainTextAsync("persoonsgegeven");
        await Expect(page.Locator("#port-upload-summary")).ToContainTextAsync("Niets opgeslagen");
        Assert.DoesNotContain("jansen", await page.Locator("#port-upload-report").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0L, await server.ScalarAsync("SELECT count(*) FROM camera WHERE programme = 'haven-a'"));

        // Partial: the two valid rows are written and reported.
        await page.Locator("#port-upload-mode").SelectOptionAsync("partial");
        await page.Locator("#port-upload-file").SetInputFilesAsync(new FilePayload { Name = "cameras.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Registry) });
        await page.Locator("#port-upload-run").ClickAsync();
        await Expect(page.Locator("#port-upload-summary")).ToContainTextAsync("2 nieuw", new() { Timeout = 60_000 });
        await Expect(page.Locator("#port-upload-summary")).ToContainTextAsync("Opgeslagen");
        await Expect(page.Locator("#port-upload-rejections tbody tr")).ToHaveCountAsync(1);
        Assert.Equal(2L, await server.ScalarAsync("SELECT count(*) FROM camera WHERE programme = 'haven-a'"));

        // The port view shows them.
        await page.Locator("#port-area").SelectOptionAsync("MP-A");
        await page.WaitForFunctionAsync("() => georisk.ports.cameras?.features?.length === 2", null, new() { Timeout = 60_000 });
        await WebMapSession.AssertAccessibleAsync(page, "port upload");
        Assert.Empty(errors);
    }
}

/// <summary>A database of its own with one mainport MP-A of programme haven-a (the upload test writes to it).</summary>
public sealed class PortBrowserFixture : BrowserServerFixture
{
    private TestDatabase? _database;

    protected override async Task<string> ConnectionStringAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using var command = _database.DataSource.CreateCommand("""
            INSERT INTO area (code, name, kind, geom) VALUES
              ('MP-A', 'Haven A', 'mainport', ST_Multi(ST_MakeEnvelope(116000, 490000, 117000, 491000, 28992)));
            INSERT INTO casustafel (id, name) VALUES ('haven-a', 'Haven A');
            INSERT INTO casustafel_area (casustafel_id, area_code) VALUES ('haven-a', 'MP-A');
            """);
        await command.ExecuteNonQueryAsync();
        return _database.ConnectionString;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = _database!.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
