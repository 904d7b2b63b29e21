using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// Two languages throughout: after the switch to English no Dutch text of the dictionaries is
/// left on the screen (texts, tooltips, labels, placeholders), the reasons and row tooltips come
/// from the server in English, and numbers follow the language (nl-NL decimal comma).
/// </summary>
[Collection("browser")]
public sealed partial class WebMapLanguageTests(WebMapServerFixture server) : IClassFixture<WebMapServerFixture>
{
    /// <summary>Everything a user can read or hear: visible text plus title, aria-label, placeholder and alt.</summary>
    private const string ScreenText = """
        () => {
          const parts = [document.body.innerText];
          for (const e of document.querySelectorAll('[title],[aria-label],[placeholder],[alt]')) {
            if (e.closest('[hidden]') || e.closest('dialog:not([open])')) continue;
            for (const a of ['title', 'aria-label', 'placeholder', 'alt']) if (e.getAttribute(a)) parts.push(e.getAttribute(a));
          }
          // Names in the data (casustafels, areas) are proper names in either language.
          const names = georisk.state.me.casustafels.flatMap(c => [c.name, ...c.areas.map(a => a.name)])
            .concat([...document.querySelectorAll('#area-name, .area-result span:first-child, #casustafel option')].map(e => e.textContent))
            .concat([...document.querySelectorAll('td.loc')].map(e => e.textContent.split(' · ')[0]))
            .filter(Boolean).sort((a, b) => b.length - a.length);
          let text = parts.join('\n');
          for (const n of names) text = text.split(n).join(' ');
          return text;
        }
        """;

    [Fact]
    public async Task After_switching_to_English_no_Dutch_text_is_left_on_the_screen()
    {
        var (page, errors) = await WebMapSession.OpenAsync(server, await server.MemberKeyAsync("1012"),
            "#ct=1012&area=PC4-1012&w=1&end=2026-10-31&l=areas,hexbins,signals,cameras,incidents", 1400, 900);
        await using var context = page.Context;
        var rows = page.Locator("#signal-list tbody tr");
        await Expect(rows.First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        // Dutch first: a decimal comma in the reason, "1 maand" (not "1 maanden").
        await Expect(page.Locator("#window-label")).ToHaveTextAsync("1 maand tot 31 okt 2026");
        Assert.Matches(@"^gewicht \d+(,\d+)? × betrouwbaarheid \d(,\d+)?", await rows.First.GetAttributeAsync("title"));

        await page.Locator("#lang").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        // The list is fetched again: reasons and tooltips from the server are English too.
        await Expect(rows.First).ToHaveAttributeAsync("title", new Regex(@"^weight \d+(\.\d+)? × reliability"), new() { Timeout = 20_000 });
        await Expect(page.Locator("#window-label")).ToHaveTextAsync("1 month up to 31 Oct 2026");
        await page.Locator("#menu-toggle").IsVisibleAsync(); // desktop: no drawer, controls are on screen
        await page.Locator("#category-box summary").ClickAsync(); // the category labels too
        await WebMapSession.WaitForMapIdleAsync(page);

        var (nl, en) = await WebMapSession.DictionariesAsync(page);
        Assert.Equal(nl.Keys.Order(), en.Keys.Order());
        var english = new HashSet<string>(en.Values, StringComparer.Ordinal);
        var text = await page.EvaluateAsync<string>(ScreenText);
        var left = new List<string>();
        foreach (var (key, dutch) in nl)
        {
            if (english.Contains(dutch)) continue; // the same word in both languages ("Filters", "Trend")
            // Compare the fixed parts between placeholders, those long enough to mean something.
            foreach (var piece in Placeholder().Split(dutch).Select(p => p.Trim(' ', '(', ')', ':', '·', ',', '.')).Where(p => p.Length >= 5))
            {
                if (en.Values.Any(v => v.Contains(piece, StringComparison.Ordinal))) continue;
                if (Regex.IsMatch(text, $@"(?<!\p{{L}}){Regex.Escape(piece)}(?!\p{{L}})")) left.Add($"{key}: \"{piece}\"");
            }
        }
        Assert.True(left.Count == 0, "Dutch left on the English screen: " + string.Join("; ", left));
        // Category labels come from the server's reference data in the chosen language.
        Assert.Contains("Drug trafficking", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Drugshandel", text, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = WebMapSession.Screenshot("english") });
        Assert.Empty(errors);
    }

    [GeneratedRegex(@"\{[a-z_]+\}")]
    private static partial Regex Placeholder();
}
