using System.Globalization;
using System.Text.Json;

namespace GeoRisk.Core.Intake;

/// <summary>A level above a boundary that the importer builds as the union of the boundaries below it.</summary>
public sealed record BoundaryLevel(string Kind, string Code, string Name);

/// <summary>
/// One boundary of a published file: the area as read, its kind, its exposure (null when the file
/// does not give it; 0 allowed, since CBS lists buurten without inhabitants) and the levels above
/// it, nearest first (wijk, [stadsdeel,] gemeente).
/// </summary>
public sealed record BoundaryFeature(AreaFeature Area, string Kind, double? Exposure, string? ExposureUnit, IReadOnlyList<BoundaryLevel> Ancestors)
{
    public string? GemeenteCode => Kind == "gemeente" ? Area.Code : Ancestors.FirstOrDefault(a => a.Kind == "gemeente")?.Code;
}

/// <summary>What a boundary file turned out to be, and what it holds.</summary>
public sealed record BoundaryFile(
    string Format, string Kind, string? ExposureField, string? ExposureUnit, int Features, int Skipped, int ExposureUnknown,
    List<BoundaryFeature> Boundaries, List<Rejection> Rejections);

/// <summary>
/// Reads boundary files as they are published, recognised by their properties, so a user can
/// import them without naming fields:
/// <list type="bullet">
/// <item><c>cbs-buurt</c>: the CBS wijk- en buurtkaart's buurten (<c>buurtcode</c>, <c>buurtnaam</c>,
/// <c>wijkcode</c>, <c>wijknaam</c>, <c>gemeentecode</c>, <c>gemeentenaam</c>, key figures such as
/// <c>aantal_inwoners</c>), and municipal exports in the same schema;</item>
/// <item><c>cbs-wijk</c>: its wijken (<c>wijkcode</c> without <c>buurtcode</c>);</item>
/// <item><c>cbs-gemeente</c>: its gemeenten (<c>gemeentecode</c>, <c>gemeentenaam</c>);</item>
/// <item><c>amsterdam-buurt</c>: Amsterdam's gebieden/buurten export (<c>cbsCode</c>, <c>naam</c>,
/// <c>code</c>): wijk and stadsdeel follow from the code (stadsdeel letter, wijk letter, number).</item>
/// </list>
/// </summary>
public static class BoundaryFileReader
{
    public static readonly IReadOnlyList<string> ExposureUnits = ["inwoners", "adressen", "bedrijven"];

    /// <summary>Property names of each exposure unit as CBS (snake and camel case) and PDOK publish them.</summary>
    private static readonly (string Unit, string[] Fields)[] ExposureFields =
    [
        ("inwoners", ["aantal_inwoners", "aantalInwoners", "AANT_INW"]),
        ("adressen", ["aantal_adressen", "aantalAdressen"]),
        ("bedrijven", ["aantal_bedrijfsvestigingen", "aantalBedrijfsvestigingen", "bedrijfsvestigingen_totaal"]),
    ];

    /// <summary>Amsterdam's stadsdelen by the first letter of a buurt code (gebiedsindeling 2022).</summary>
    private static readonly Dictionary<char, string> AmsterdamStadsdelen = new()
    {
        ['A'] = "Centrum", ['B'] = "Westpoort", ['E'] = "West", ['F'] = "Nieuw-West", ['K'] = "Zuid",
        ['M'] = "Oost", ['N'] = "Noord", ['S'] = "Weesp", ['T'] = "Zuidoost",
    };

    /// <param name="exposure">"auto" (the first unit the file has: inwoners, adressen, bedrijven), a unit, or "none".</param>
    /// <param name="gemeenten">When given, only boundaries in these gemeenten (codes GMnnnn) are kept; the rest count as skipped.</param>
    public static BoundaryFile Read(Stream stream, string exposure = "auto", IReadOnlySet<string>? gemeenten = null)
    {
        if (exposure != "auto" && exposure != "none" && !ExposureUnits.Contains(exposure))
        {
            throw new IntakeFormatException($"exposure must be auto, none or one of: {string.Join(", ", ExposureUnits)}");
        }
        var (format, sniffed) = IntakeStreams.Sniff(stream);
        if (format != IntakeFormat.GeoJson)
        {
            throw new IntakeFormatException("a boundary file must be a GeoJSON FeatureCollection (it does not start with '{')");
        }
        using var doc = IntakeStreams.ParseJson(sniffed);
        var root = doc.RootElement;
        var features = SignalFileReader.FeaturesOf(root, "Polygon/MultiPolygon");
        var names = PropertyNames(features);
        var preset = Detect(names);
        var (areas, rejections) = AreaFileReader.Read(root, new AreaIntakeOptions(preset.Kind, preset.CodeField, preset.NameField));

        var (unit, field) = ChooseExposure(names, exposure);
        var byRow = features.EnumerateArray().ToArray();
        var boundaries = new List<BoundaryFeature>(areas.Count);
        var skipped = 0;
        var unknown = 0;
        foreach (var area in areas)
        {
            var props = byRow[area.Row - 1].GetProperty("properties");
            var ancestors = preset.Ancestors(area.Code, props);
            if (ancestors is null)
            {
                rejections.Add(new Rejection(area.Row, preset.CodeField, RejectionReasons.InvalidCode,
                    $"{preset.CodeField} must be a CBS code ({preset.CodePrefix} followed by digits) to place the area in its wijk and gemeente"));
                continue;
            }
            double? value = null;
            if (field is not null)
            {
                value = Number(props, field);
                // CBS marks secret or unknown figures with negative codes (-99999999, -99997).
                if (value is < 0)
                {
                    value = null;
                }
                if (value is null)
                {
                    unknown++;
                }
            }
            var feature = new BoundaryFeature(area with { ParentCode = ancestors.Count > 0 ? ancestors[0].Code : null }, preset.Kind,
                value, value is null ? null : unit, ancestors);
            if (gemeenten is not null && (feature.GemeenteCode is not { } g || !gemeenten.Contains(g)))
            {
                skipped++;
                continue;
            }
            boundaries.Add(feature);
        }
        rejections.Sort((a, b) => a.Row.CompareTo(b.Row));
        return new BoundaryFile(preset.Name, preset.Kind, field, field is null ? null : unit, byRow.Length, skipped, unknown, boundaries, rejections);
    }

    private sealed record Preset(string Name, string Kind, string CodeField, string NameField, string CodePrefix,
        Func<string, JsonElement, IReadOnlyList<BoundaryLevel>?> Ancestors);

    private static Preset Detect(HashSet<string> names)
    {
        if (names.Contains("buurtcode"))
        {
            return new Preset("cbs-buurt", "buurt", "buurtcode", "buurtnaam", "BU", (code, props) =>
            {
                var gm = Cbs(code, "BU", 4);
                var wk = Cbs(code, "BU", 6);
                var wijk = Text(props, "wijkcode") ?? (wk is null ? null : "WK" + wk);
                var gemeente = Text(props, "gemeentecode") ?? (gm is null ? null : "GM" + gm);
                if (wijk is null || gemeente is null) return null;
                return [new("wijk", wijk, Text(props, "wijknaam") ?? $"Wijk {wijk}"),
                        new("gemeente", gemeente, Text(props, "gemeentenaam") ?? $"Gemeente {gemeente}")];
            });
        }
        if (names.Contains("cbsCode") && names.Contains("naam"))
        {
            return new Preset("amsterdam-buurt", "buurt", "cbsCode", "naam", "BU", (code, props) =>
            {
                // BU + gemeente (4 digits) + stadsdeel letter + wijk letter + buurt number.
                var gm = Cbs(code, "BU", 4);
                if (gm is null || code.Length < 10 || !char.IsAsciiLetterUpper(code[6]) || !char.IsAsciiLetterUpper(code[7])) return null;
                var levels = new List<BoundaryLevel>();
                var local = code[6..8];
                if (gm == "0363" && AmsterdamStadsdelen.TryGetValue(code[6], out var stadsdeel))
                {
                    levels.Add(new("wijk", "WK" + code[2..8], $"Wijk {local} ({stadsdeel})"));
                    levels.Add(new("stadsdeel", "SD" + gm + code[6], $"Stadsdeel {stadsdeel}"));
                    levels.Add(new("gemeente", "GM" + gm, "Amsterdam"));
                }
                else
                {
                    levels.Add(new("wijk", "WK" + code[2..8], $"Wijk {local}"));
                    levels.Add(new("gemeente", "GM" + gm, $"Gemeente GM{gm}"));
                }
                return levels;
            });
        }
        if (names.Contains("wijkcode"))
        {
            return new Preset("cbs-wijk", "wijk", "wijkcode", "wijknaam", "WK", (code, props) =>
            {
                var gemeente = Text(props, "gemeentecode") ?? (Cbs(code, "WK", 4) is { } gm ? "GM" + gm : null);
                return gemeente is null ? null : [new("gemeente", gemeente, Text(props, "gemeentenaam") ?? $"Gemeente {gemeente}")];
            });
        }
        if (names.Contains("gemeentecode"))
        {
            return new Preset("cbs-gemeente", "gemeente", "gemeentecode", "gemeentenaam", "GM", (_, _) => []);
        }
        throw new IntakeFormatException(
            "not a recognised boundary file: expected the properties of the CBS wijk- en buurtkaart (buurtcode, wijkcode or gemeentecode) "
            + "or of Amsterdam's buurten (cbsCode and naam); import other files with 'georisk import areas' and --code-field/--name-field");
    }

    private static (string? Unit, string? Field) ChooseExposure(HashSet<string> names, string exposure)
    {
        if (exposure == "none") return (null, null);
        foreach (var (unit, fields) in ExposureFields)
        {
            if (exposure != "auto" && exposure != unit) continue;
            if (fields.FirstOrDefault(names.Contains) is { } field) return (unit, field);
            if (exposure == unit)
            {
                throw new IntakeFormatException($"the file has no {unit} figures (expected one of: {string.Join(", ", fields)})");
            }
        }
        return (null, null);
    }

    /// <summary>Every property name used in the file (files may leave a property out where it is empty).</summary>
    private static HashSet<string> PropertyNames(JsonElement features)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in features.EnumerateArray())
        {
            if (feature.ValueKind == JsonValueKind.Object && feature.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in props.EnumerateObject()) names.Add(p.Name);
            }
        }
        return names;
    }

    /// <summary>The digits of a CBS code after its prefix (BU03620401 → 0362 for 4 digits), or null.</summary>
    private static string? Cbs(string code, string prefix, int digits)
    {
        if (!code.StartsWith(prefix, StringComparison.Ordinal) || code.Length < prefix.Length + digits) return null;
        var part = code.Substring(prefix.Length, digits);
        // The wijk part of a buurt code may hold letters (Amsterdam's BU0363AA01).
        return part[..4].All(char.IsAsciiDigit) && part.All(char.IsAsciiLetterOrDigit) ? part : null;
    }

    private static string? Text(JsonElement props, string name) =>
        props.TryGetProperty(name, out var v) && IntakeStreams.TryScalar(v, out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    private static double? Number(JsonElement props, string name)
    {
        if (!props.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number) return v.GetDouble();
        return v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    }
}
