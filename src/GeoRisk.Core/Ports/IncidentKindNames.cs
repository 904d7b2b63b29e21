namespace GeoRisk.Core.Ports;

/// <summary>
/// Readable names of incident kinds for reports, the same as the web map's dictionaries
/// (<c>incident.&lt;code&gt;</c> in wwwroot/i18n; a unit test holds them equal). A kind the list
/// does not know is shown as its code in words ("diefstal_lading" → "Diefstal lading").
/// </summary>
public static class IncidentKindNames
{
    public static readonly IReadOnlyDictionary<string, (string Nl, string En)> Known = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["uithalers"] = ("Uithalers", "Extractors (retrieving drugs from containers)"),
        ["containermanipulatie"] = ("Containermanipulatie", "Container tampering"),
        ["onbevoegde_toegang"] = ("Onbevoegde toegang", "Unauthorised access"),
        ["verdachte_lading"] = ("Verdachte lading", "Suspicious cargo"),
        ["diefstal"] = ("Diefstal", "Theft"),
        ["smokkel"] = ("Smokkel", "Smuggling"),
        ["inbraak"] = ("Inbraak", "Burglary"),
        ["vernieling"] = ("Vernieling", "Vandalism"),
    };

    public static string Label(string code, bool english)
    {
        if (Known.TryGetValue(code, out var name)) return english ? name.En : name.Nl;
        var words = string.Join(' ', code.Split(['_', '-'], StringSplitOptions.RemoveEmptyEntries));
        return words.Length == 0 ? code : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
