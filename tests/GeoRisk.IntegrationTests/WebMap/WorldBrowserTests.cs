using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// The signal list and its follow-up, end to end in the browser, over the hand-built world
/// (a database of its own, so the test may change follow-up statuses).
/// </summary>
[Collection("browser")]
public sealed class WorldBrowserTests(WorldBrowserFixture server) : IClassFixture<WorldBrowserFixture>
{
    [Fact]
    public async Task A_member_moves_a_signal_one_step_with_a_note_and_sees_the_history()
    {
        var page = await server.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await using var context = page.Context;
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        // A fixed window (10 months up to 2026-10-31) and the world's profile: the list of the API test.
        await page.GotoAsync(new Uri(server.BaseAddress, "/#ct=proef&area=PC4-9999&w=10&end=2026-10-31&p=proef-profiel").ToString());
        await page.Locator("#apikey").FillAsync(await server.PartnerMemberKeyAsync("proef", "gemeente"));
        await page.Locator("#signin-submit").ClickAsync();
        await Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        var rows = page.Locator("#signal-list tbody tr");
        await Expect(rows).ToHaveCountAsync(5, new() { Timeout = 20_000 });
        var ids = server.World.Ids;
        var order = new List<long>();
        for (var i = 0; i < 5; i++) order.Add(long.Parse((await rows.Nth(i).GetAttributeAsync("data-signal"))!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([ids["s1"], ids["s4"], ids["s2"], ids["s3"], ids["s7"]], order);
        // The reason is the row's tooltip.
        Assert.StartsWith("gewicht 2 × betrouwbaarheid 0,6", await rows.First.GetAttributeAsync("title"), StringComparison.Ordinal);

        // s2 (rank 3): nieuw → verkennen with a note.
        var s2 = page.Locator($"#signal-list tr[data-signal='{ids["s2"]}']");
        await s2.Locator("select").SelectOptionAsync("verkennen");
        await s2.Locator("input[type=text]").FillAsync("Besproken aan tafel; gemeente verkent het pand");
        await s2.Locator("button", new() { HasText = "Opslaan" }).ClickAsync();
        // The list reloads with the new status and its next steps.
        await Expect(page.Locator($"#signal-list tr[data-signal='{ids["s2"]}'] select option").First).ToHaveTextAsync("Verkennen", new() { Timeout = 20_000 });
        var next = await page.Locator($"#signal-list tr[data-signal='{ids["s2"]}'] select option").AllInnerTextsAsync();
        Assert.Equal(["Verkennen", "→ Informatie delen & analyseren", "→ Afgesloten"], next);

        await page.Locator($"#signal-list tr[data-signal='{ids["s2"]}'] button", new() { HasText = "Geschiedenis" }).ClickAsync();
        var history = page.Locator("#followup-history ol.history li");
        await Expect(history).ToHaveCountAsync(1);
        // The history opens with its row: in the table row right under it, not below the list.
        Assert.True(await page.EvaluateAsync<bool>(
            $"() => document.querySelector(\"#signal-list tr[data-signal='{ids["s2"]}']\").nextElementSibling.contains(document.getElementById('followup-history'))"));
        await Expect(history.First).ToContainTextAsync("Nieuw → Verkennen");
        await Expect(history.First).ToContainTextAsync("Besproken aan tafel; gemeente verkent het pand");
        // Who: the organisation of the key and its role, never the key id.
        await Expect(history.First.Locator(".actor")).ToHaveTextAsync("Gemeente (lid)");

        // A note with personal data is refused; the message names the kind, not the value, and is
        // in the page's language (the problem's code is translated, not its English detail shown).
        var s4 = page.Locator($"#signal-list tr[data-signal='{ids["s4"]}']");
        await s4.Locator("select").SelectOptionAsync("verkennen");
        await s4.Locator("input[type=text]").FillAsync("eigenaar bereikbaar op 06-12345678");
        await s4.Locator("button", new() { HasText = "Opslaan" }).ClickAsync();
        var error = s4.Locator(".error");
        await Expect(error).ToContainTextAsync("persoonsgegevens te bevatten (telefoonnummer)");
        Assert.DoesNotContain("12345678", await error.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("personal data", await error.InnerTextAsync(), StringComparison.Ordinal);

        // The same refusal in English after the switch.
        await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("#signal-list h3")).ToHaveTextAsync("Signal list", new() { Timeout = 20_000 });
        s4 = page.Locator($"#signal-list tr[data-signal='{ids["s4"]}']");
        await Expect(s4).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^weight 1 × reliability 0.8"), new() { Timeout = 20_000 });
        await s4.Locator("select").SelectOptionAsync("verkennen");
        await s4.Locator("input[type=text]").FillAsync("owner reachable at 06-12345678");
        await s4.Locator("button", new() { HasText = "Save" }).ClickAsync();
        await Expect(s4.Locator(".error")).ToContainTextAsync("personal data (phone number)");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserServerFixture.ResultsDirectory(), "webmap-followup.png") });
        Assert.Empty(errors);
    }
}
