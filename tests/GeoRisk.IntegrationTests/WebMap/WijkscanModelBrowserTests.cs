using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using GeoRisk.IntegrationTests.Scans;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>The hand-built gemeente of the scan tests with one stored count scan, in a database of its own (the test stores scans).</summary>
public sealed class ScanWorldBrowserFixture : BrowserServerFixture
{
    public TestDatabase Database { get; private set; } = null!;

    protected override async Task<string> ConnectionStringAsync()
    {
        Database = await TestDatabase.CreateAsync();
        await ScanWorld.CreateAsync(Database);
        await ScanWorld.AddSignalsAsync(Database, "BU1", 23, ScanWorld.WindowTo);
        await ScanWorld.AddSignalsAsync(Database, "BU1", 9, ScanWorld.WindowTo, source: "gemeente", category: "witwassen");
        await ScanWorld.AddSignalsAsync(Database, "BU2", 3, ScanWorld.WindowTo);
        await ScanWorld.AddSignalsAsync(Database, "BU3", 12, ScanWorld.WindowTo, source: "gemeente");
        await ScanWorld.ExecAsync(Database, """
            SELECT scan_run('tellen', 'GM9999', 'buurt', DATE '2026-06-30', 365, now(), 'riec-standaard', 2, 250, 'rr-poisson-1')
            """);
        return Database.ConnectionString;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}

/// <summary>The wijkscan view shows the shown scan's model and runs a new scan with the model the user picks, in Dutch and English.</summary>
[Collection("browser")]
public sealed class WijkscanModelBrowserTests(ScanWorldBrowserFixture server) : IClassFixture<ScanWorldBrowserFixture>
{
    [Fact]
    public async Task The_user_picks_the_area_score_model_for_a_new_scan_and_sees_which_model_is_shown()
    {
        var key = await server.KeyAsync(Role.Analyst);
        var page = await server.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await using var context = page.Context;
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.AddInitScriptAsync($"sessionStorage.setItem('georisk.apiKey', '{key}')");
        await page.GotoAsync(new Uri(server.BaseAddress, "/wijkscan.html").ToString());
        await Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(page.Locator("#ws-table tbody tr")).ToHaveCountAsync(4, new() { Timeout = 20_000 });

        // The stored scan counts signals; the panel says so in Dutch.
        await Expect(page.Locator("#ws-model")).ToHaveTextAsync("Model: aantallen, waargenomen / verwacht (Byar-interval)");

        await page.Locator("#ws-new summary").ClickAsync();
        await page.Locator("#ws-new-name").FillAsync("gebiedsscore");
        await page.Locator("#ws-new-model").SelectOptionAsync("rr-score-3");
        await page.Locator("#ws-new-run").ClickAsync();
        await Expect(page.Locator("#ws-scan")).ToHaveValueAsync("gebiedsscore", new() { Timeout = 60_000 });
        await Expect(page.Locator("#ws-model")).ToHaveTextAsync(
            "Model: gebiedsscore v2 (gewicht × betrouwbaarheid × verval, bevestiging door bronnen)", new() { Timeout = 20_000 });
        await Expect(page.Locator("#ws-table tbody tr")).ToHaveCountAsync(4);
        await Expect(page.Locator("#status")).ToHaveTextAsync("Scan gebiedsscore opgeslagen.");

        // What the page shows is the stored scan of that model: same relative risks as the API gives.
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var stored = await client.GetFromJsonAsync<JsonElement>("/api/scans/gebiedsscore");
        Assert.Equal("rr-score-3", stored.GetProperty("scan").GetProperty("model").GetString());
        var shown = await page.EvaluateAsync<JsonElement>("() => wijkscan.state.scan.rows.map(r => [r.code, r.rr_parent, r.observed?.observed ?? null])");
        Assert.Equal(
            stored.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("code").GetString(), r.GetProperty("rr_parent").GetDouble())),
            shown.EnumerateArray().Select(r => (r[0].GetString(), r[1].GetDouble())));
        Assert.All(shown.EnumerateArray(), r => Assert.Equal(JsonValueKind.Number, r[2].ValueKind));

        // English, and back to the count scan: the line follows the scan and the language.
        await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("#ws-model")).ToHaveTextAsync("Model: area score v2 (weight × reliability × decay, corroboration by sources)");
        await page.Locator("#ws-scan").SelectOptionAsync("tellen");
        await Expect(page.Locator("#ws-model")).ToHaveTextAsync("Model: counts, observed / expected (Byar interval)");
        Assert.Empty(errors);
    }
}
