using System.Text.Json;
using GeoRisk.Core.Privacy;
using System.Text.RegularExpressions;

namespace GeoRisk.Core.Intake;

/// <summary>Which properties of a boundary file hold the code, name and parent code, and what kind of area it is.</summary>
public sealed record AreaIntakeOptions(string Kind, string CodeField, string NameField, string? ParentField = null, int? Crs = null);

/// <summary>One boundary from a file: the geometry stays GeoJSON text for PostGIS (ST_GeomFromGeoJSON).</summary>
public sealed record AreaFeature(int Row, string Code, string Name, string? ParentCode, string GeometryJson, int Srid);

/// <summary>
/// Reads a GeoJSON FeatureCollection of Polygon/MultiPolygon boundaries as CBS, PDOK and
/// data.amsterdam.nl deliver them: CRS84, EPSG:4326 or EPSG:28992 from the crs member (RFC 7946
/// WGS84 without one), codes and names from the named properties.
/// </summary>
public static partial class AreaFileReader
{
    public static readonly IReadOnlyList<string> Kinds =
        ["buurt", "wijk", "stadsdeel", "gemeente", "postcode", "mainport", "bedrijventerrein", "buitengebied", "custom"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex CodePattern();

    public static (List<AreaFeature> Areas, List<Rejection> Rejections) Read(Stream stream, AreaIntakeOptions options)
    {
        if (!Kinds.Contains(options.Kind))
        {
            throw new IntakeFormatException($"kind must be one of: {string.Join(", ", Kinds)}");
        }
        var (format, sniffed) = IntakeStreams.Sniff(stream);
        if (format != IntakeFormat.GeoJson)
        {
            throw new IntakeFormatException("an area file must be a GeoJSON FeatureCollection (it does not start with '{')");
        }
        using var doc = IntakeStreams.ParseJson(sniffed);
        return Read(doc.RootElement, options);
    }

    /// <summary>The same checks on a parsed document (the boundary reader looks at its properties first).</summary>
    public static (List<AreaFeature> Areas, List<Rejection> Rejections) Read(JsonElement root, AreaIntakeOptions options)
    {
        var features = SignalFileReader.FeaturesOf(root, "Polygon/MultiPolygon");
        var srid = IntakeStreams.ReadCrs(root) ?? options.Crs ?? Crs.Wgs84;
        var areas = new List<AreaFeature>();
        var rejections = new List<Rejection>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var row = 0;
        foreach (var feature in features.EnumerateArray())
        {
            row++;
            if (feature.ValueKind != JsonValueKind.Object)
            {
                rejections.Add(new Rejection(row, "feature", RejectionReasons.InvalidValue, "a feature must be a JSON object"));
                continue;
            }
            var props = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            var code = Property(props, options.CodeField);
            var name = Property(props, options.NameField);
            var parent = options.ParentField is null ? null : Property(props, options.ParentField);
            var before = rejections.Count;
            if (string.IsNullOrWhiteSpace(code))
            {
                rejections.Add(new Rejection(row, options.CodeField, RejectionReasons.Required, $"property {options.CodeField} (the area code) is missing or empty"));
            }
            else if (!CodePattern().IsMatch(code))
            {
                rejections.Add(new Rejection(row, options.CodeField, RejectionReasons.InvalidCode,
                    "the area code must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
            }
            else if (seen.TryGetValue(code, out var first))
            {
                rejections.Add(new Rejection(row, options.CodeField, RejectionReasons.DuplicateExternalId, $"the area code repeats row {first}"));
            }
            if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200)
            {
                rejections.Add(new Rejection(row, options.NameField, RejectionReasons.Required, $"property {options.NameField} (the name) must be 1–200 characters"));
            }
            // Names are free text that is stored and served: control characters and personal data
            // stop here. Codes are held to the code pattern instead (a CBS code such as GM0362
            // reads as a licence plate to the gate).
            foreach (var (field, value) in new[] { (options.CodeField, code), (options.NameField, name), (options.ParentField, parent) })
            {
                if (field is null || value is null) continue;
                if (IntakeStreams.HasControlCharacter(value, allowLineBreaks: false))
                {
                    rejections.Add(new Rejection(row, field, RejectionReasons.ControlCharacter, $"{field} contains a control character"));
                }
            }
            if (name is not null)
            {
                foreach (var kind in PrivacyGate.Scan(name).Split())
                {
                    rejections.Add(new Rejection(row, options.NameField, RejectionReasons.PersonalData, $"{options.NameField} contains {kind.Description()}", kind.Code()));
                }
            }
            if (parent is not null && !CodePattern().IsMatch(parent))
            {
                rejections.Add(new Rejection(row, options.ParentField!, RejectionReasons.InvalidCode, "the parent code is not a valid area code"));
            }
            string? geometryJson = null;
            if (feature.TryGetProperty("geometry", out var g) && g.ValueKind == JsonValueKind.Object
                && g.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                && (t.ValueEquals("Polygon") || t.ValueEquals("MultiPolygon"))
                && g.TryGetProperty("coordinates", out var c) && c.ValueKind == JsonValueKind.Array && c.GetArrayLength() > 0)
            {
                geometryJson = g.GetRawText();
            }
            else
            {
                rejections.Add(new Rejection(row, "geometry", RejectionReasons.InvalidGeometry, "geometry must be a Polygon or MultiPolygon"));
            }
            if (rejections.Count == before)
            {
                seen[code!] = row;
                areas.Add(new AreaFeature(row, code!, name!.Trim(), string.IsNullOrWhiteSpace(parent) ? null : parent.Trim(), geometryJson!, srid));
            }
        }
        if (row == 0)
        {
            throw new IntakeFormatException("the FeatureCollection has no features");
        }
        return (areas, rejections);
    }

    private static string? Property(JsonElement props, string name)
    {
        if (props.ValueKind != JsonValueKind.Object || !props.TryGetProperty(name, out var v))
        {
            return null;
        }
        return IntakeStreams.TryScalar(v, out var text) ? text?.Trim() : null;
    }
}
