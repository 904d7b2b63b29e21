using System.Text.Json;
using System.Text.RegularExpressions;

namespace GeoRisk.UnitTests.WebMap;

/// <summary>The web map's nl and en dictionaries say the same things: same keys, same placeholders.</summary>
public sealed partial class DictionaryTests
{
    private static Dictionary<string, string> Load(string lang)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GeoRisk.sln"))) dir = dir.Parent;
        var path = Path.Combine(dir!.FullName, "src", "GeoRisk.Api", "wwwroot", "i18n", $"{lang}.json");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
    }

    [Fact]
    public void Both_languages_have_the_same_keys()
    {
        var nl = Load("nl");
        var en = Load("en");
        Assert.Empty(nl.Keys.Except(en.Keys));
        Assert.Empty(en.Keys.Except(nl.Keys));
        Assert.All(nl.Concat(en), kv => Assert.False(string.IsNullOrWhiteSpace(kv.Value), $"{kv.Key} is empty"));
    }

    [Fact]
    public void Reports_name_incident_kinds_as_the_web_map_does()
    {
        var nl = Load("nl");
        var en = Load("en");
        var mapKinds = nl.Keys.Where(k => k.StartsWith("incident.", StringComparison.Ordinal)).Select(k => k["incident.".Length..]).Order().ToList();
        Assert.Equal(mapKinds, GeoRisk.Core.Ports.IncidentKindNames.Known.Keys.Order().ToList());
        foreach (var kind in mapKinds)
        {
            Assert.Equal(nl[$"incident.{kind}"], GeoRisk.Core.Ports.IncidentKindNames.Label(kind, english: false));
            Assert.Equal(en[$"incident.{kind}"], GeoRisk.Core.Ports.IncidentKindNames.Label(kind, english: true));
        }
        // A kind without a name reads as words, as incidentKindLabel in js/i18n.js does.
        Assert.Equal("Diefstal lading", GeoRisk.Core.Ports.IncidentKindNames.Label("diefstal_lading", english: true));
    }

    [Fact]
    public void Both_languages_use_the_same_placeholders()
    {
        var nl = Load("nl");
        var en = Load("en");
        foreach (var (key, text) in nl)
        {
            var a = Placeholder().Matches(text).Select(m => m.Value).Order().ToList();
            var b = Placeholder().Matches(en[key]).Select(m => m.Value).Order().ToList();
            Assert.True(a.SequenceEqual(b), $"{key}: nl has {string.Join(",", a)}, en has {string.Join(",", b)}");
        }
    }

    [Fact]
    public void Plurals_have_a_one_and_an_other_form()
    {
        var nl = Load("nl");
        foreach (var key in nl.Keys.Where(k => k.EndsWith(".one", StringComparison.Ordinal)))
            Assert.Contains(key[..^4] + ".other", nl.Keys);
        Assert.Equal("{n} maand tot {to}", nl["months.one"]);
        Assert.Equal("{n} maanden tot {to}", nl["months.other"]);
    }

    [GeneratedRegex(@"\{[a-z_]+\}")]
    private static partial Regex Placeholder();
}
