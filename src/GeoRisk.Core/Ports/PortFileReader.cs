using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GeoRisk.Core.Intake;
using GeoRisk.Core.Privacy;

namespace GeoRisk.Core.Ports;

public enum CameraStatus { Active, Planned, Removed }

/// <summary>A validated camera of a registry, in the input CRS (the database transforms WGS84).</summary>
public sealed record CameraRecord(int Row, string ExternalId, string Owner, string Description, double X, double Y, int Srid,
    double HeadingDeg, double FovDeg, double RangeM, double? HeightM, string Status, DateOnly? ActiveFrom, DateOnly? ActiveTo);

/// <summary>A validated incident: a point (X/Y) or a polygon (GeoJSON text), with free properties that passed the gate.</summary>
public sealed record IncidentRecord(int Row, string ExternalId, string Kind, DateTimeOffset ObservedAt, double? X, double? Y,
    string? PolygonJson, int Srid, string PropertiesJson);

/// <summary>A validated risk-factor feature: a point (X/Y) or any other geometry as GeoJSON text (line, polygon), with gated properties.</summary>
public sealed record FactorFeatureRecord(int Row, string ExternalId, double? X, double? Y, string? GeometryJson, int Srid, string PropertiesJson);

/// <summary>A validated obstacle footprint (GeoJSON Polygon/MultiPolygon text; PostGIS checks and repairs it).</summary>
public sealed record ObstacleRecord(int Row, string ExternalId, string Kind, double? HeightM, string PolygonJson, int Srid);

/// <summary>
/// Reads the three files a port programme loads: its camera registry (CSV or GeoJSON points),
/// incident datasets (CSV points or GeoJSON points/polygons) and obstacles (GeoJSON footprints,
/// e.g. a BAG extract). Same rules as signal intake: every problem is a rejection with row,
/// field and reason (never the value), every stored text passes the privacy gate, CRS from the
/// GeoJSON crs member or the caller (RD New for CSV x/y, WGS84 for lon/lat and plain GeoJSON).
/// </summary>
public static partial class PortFileReader
{
    public const int MaxIdLength = 100;
    public const int MaxTextLength = 280;
    public const int MaxProperties = 30;

    public static readonly IReadOnlyList<string> CameraFields =
        ["external_id", "owner", "description", "x", "y", "lon", "lat", "heading", "fov", "range", "height", "status", "active_from", "active_to"];

    private static readonly string[] IncidentCoreFields = ["external_id", "kind", "observed_at", "x", "y", "lon", "lat"];

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]
    private static partial Regex PropertyNamePattern();

    public static bool IsProgrammeCode(string? code) => code is not null && CodePattern().IsMatch(code);

    // ---- cameras -------------------------------------------------------------------------

    public static (List<CameraRecord> Cameras, List<Rejection> Rejections, int Rows) ReadCameras(Stream stream, int? crs)
    {
        var (records, format) = ReadRecords(stream, crs, "Point", knownFields: CameraFields, freeProperties: false);
        var cameras = new List<CameraRecord>();
        var rejections = new List<Rejection>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            var problems = new List<Rejection>(r.Problems);
            var id = Text(r, "external_id", problems, required: true, MaxIdLength);
            var owner = Text(r, "owner", problems, required: true, 100);
            var description = Text(r, "description", problems, required: false, MaxTextLength) ?? "";
            var (x, y, srid) = Point(r, format, crs, problems);
            var heading = Number(r, "heading", problems, required: true, 0, 360, maxExclusive: true);
            var fov = Number(r, "fov", problems, required: true, 0.1, 360);
            var range = Number(r, "range", problems, required: true, 1, 2000);
            var height = Number(r, "height", problems, required: false, 0, 300);
            var statusText = Text(r, "status", problems, required: false, 20)?.ToLowerInvariant() ?? "active";
            if (statusText is not ("active" or "planned" or "removed"))
                problems.Add(new Rejection(r.Row, "status", RejectionReasons.InvalidValue, "status must be active, planned or removed"));
            var from = Date(r, "active_from", problems);
            var to = Date(r, "active_to", problems);
            if (from is not null && to is not null && to <= from)
                problems.Add(new Rejection(r.Row, "active_to", RejectionReasons.InvalidValue, "active_to must lie after active_from"));
            if (statusText == "removed" && to is null && !problems.Any(p => p.Field == "active_to"))
                problems.Add(new Rejection(r.Row, "active_to", RejectionReasons.Required, "a removed camera needs active_to (the day it stopped), so coverage in the past stays right"));
            if (id is not null && problems.Count == 0)
            {
                if (seen.TryGetValue(id, out var first))
                    problems.Add(new Rejection(r.Row, "external_id", RejectionReasons.DuplicateExternalId, $"the same camera id as row {first}"));
                else seen[id] = r.Row;
            }
            if (problems.Count > 0)
            {
                rejections.AddRange(problems);
                continue;
            }
            cameras.Add(new CameraRecord(r.Row, id!, owner!, description, x!.Value, y!.Value, srid, heading!.Value, fov!.Value, range!.Value,
                height, statusText, from, to));
        }
        return (cameras, rejections, records.Count);
    }

    // ---- incidents -----------------------------------------------------------------------

    public static (List<IncidentRecord> Incidents, List<Rejection> Rejections, int Rows) ReadIncidents(Stream stream, int? crs, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var (records, format) = ReadRecords(stream, crs, "Point/Polygon/MultiPolygon", knownFields: null, freeProperties: true);
        var incidents = new List<IncidentRecord>();
        var rejections = new List<Rejection>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            var problems = new List<Rejection>(r.Problems);
            var id = Text(r, "external_id", problems, required: true, MaxIdLength);
            var kind = Text(r, "kind", problems, required: true, 64)?.ToLowerInvariant();
            if (kind is not null && !CodePattern().IsMatch(kind))
                problems.Add(new Rejection(r.Row, "kind", RejectionReasons.InvalidCode, "kind must be a code: lower-case letters, digits, '_' or '-' (e.g. uithalers)"));
            DateTimeOffset? observed = null;
            var observedText = Text(r, "observed_at", problems, required: true, 40);
            if (observedText is not null)
            {
                if (!SignalRowValidator.TryParseObservedAt(observedText, out var o))
                    problems.Add(new Rejection(r.Row, "observed_at", RejectionReasons.InvalidDate, "observed_at must be a date (yyyy-mm-dd, ISO 8601 or dd-mm-yyyy)"));
                else if (o > now.AddMinutes(10))
                    problems.Add(new Rejection(r.Row, "observed_at", RejectionReasons.FutureDate, "observed_at lies in the future"));
                else observed = o;
            }
            double? x = null, y = null;
            string? polygon = null;
            var srid = r.Srid ?? crs ?? Crs.Rd;
            if (r.GeometryType is "Polygon" or "MultiPolygon") polygon = r.GeometryJson;
            else (x, y, srid) = Point(r, format, crs, problems);
            var properties = PropertiesJson(r, problems);
            if (id is not null && problems.Count == 0)
            {
                if (seen.TryGetValue(id, out var first))
                    problems.Add(new Rejection(r.Row, "external_id", RejectionReasons.DuplicateExternalId, $"the same incident id as row {first}"));
                else seen[id] = r.Row;
            }
            if (problems.Count > 0)
            {
                rejections.AddRange(problems);
                continue;
            }
            incidents.Add(new IncidentRecord(r.Row, id!, kind!, observed!.Value, x, y, polygon, srid, properties));
        }
        return (incidents, rejections, records.Count);
    }

    // ---- risk-factor layers --------------------------------------------------------------

    /// <summary>
    /// A risk-factor layer (gelegenheidskaart): CSV points or GeoJSON points, lines and polygons
    /// of one factor kind (the kind is the layer's, not the row's). No date: a factor is where a
    /// holiday park or a motorway exit is, not when something happened.
    /// </summary>
    public static (List<FactorFeatureRecord> Features, List<Rejection> Rejections, int Rows) ReadFactorFeatures(Stream stream, int? crs)
    {
        var (records, format) = ReadRecords(stream, crs, "Point/LineString/MultiLineString/Polygon/MultiPolygon", knownFields: null, freeProperties: true);
        var features = new List<FactorFeatureRecord>();
        var rejections = new List<Rejection>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            var problems = new List<Rejection>(r.Problems);
            var id = Text(r, "external_id", problems, required: true, MaxIdLength);
            double? x = null, y = null;
            string? geometry = null;
            var srid = r.Srid ?? crs ?? Crs.Rd;
            if (r.GeometryJson is not null) geometry = r.GeometryJson;
            else (x, y, srid) = Point(r, format, crs, problems);
            var properties = PropertiesJson(r, problems);
            if (id is not null && problems.Count == 0)
            {
                if (seen.TryGetValue(id, out var first))
                    problems.Add(new Rejection(r.Row, "external_id", RejectionReasons.DuplicateExternalId, $"the same feature id as row {first}"));
                else seen[id] = r.Row;
            }
            if (problems.Count > 0)
            {
                rejections.AddRange(problems);
                continue;
            }
            features.Add(new FactorFeatureRecord(r.Row, id!, x, y, geometry, srid, properties));
        }
        return (features, rejections, records.Count);
    }

    // ---- obstacles -----------------------------------------------------------------------

    public static (List<ObstacleRecord> Obstacles, List<Rejection> Rejections, int Rows) ReadObstacles(Stream stream, int? crs)
    {
        var (records, format) = ReadRecords(stream, crs, "Polygon/MultiPolygon", knownFields: null, freeProperties: true);
        if (format != IntakeFormat.GeoJson) throw new IntakeFormatException("obstacles come as a GeoJSON FeatureCollection of Polygon/MultiPolygon footprints");
        var obstacles = new List<ObstacleRecord>();
        var rejections = new List<Rejection>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            var problems = new List<Rejection>(r.Problems);
            // A BAG extract names a building "identificatie"; other properties are not stored.
            if (!r.Fields.ContainsKey("external_id") && r.Fields.TryGetValue("identificatie", out var bagId)) r.Fields["external_id"] = bagId;
            var id = Text(r, "external_id", problems, required: true, MaxIdLength);
            var kind = Text(r, "kind", problems, required: false, 64)?.ToLowerInvariant() ?? "pand";
            if (!CodePattern().IsMatch(kind))
                problems.Add(new Rejection(r.Row, "kind", RejectionReasons.InvalidCode, "kind must be a code (pand, muur, container, ...)"));
            if (!r.Fields.ContainsKey("height") && r.Fields.TryGetValue("hoogte", out var hoogte)) r.Fields["height"] = hoogte;
            var height = Number(r, "height", problems, required: false, 0, 1000);
            if (r.GeometryType is not ("Polygon" or "MultiPolygon"))
                problems.Add(new Rejection(r.Row, "geometry", RejectionReasons.InvalidGeometry, "an obstacle must be a Polygon or MultiPolygon"));
            if (id is not null && problems.Count == 0)
            {
                if (seen.TryGetValue(id, out var first))
                    problems.Add(new Rejection(r.Row, "external_id", RejectionReasons.DuplicateExternalId, $"the same obstacle id as row {first}"));
                else seen[id] = r.Row;
            }
            if (problems.Count > 0)
            {
                rejections.AddRange(problems);
                continue;
            }
            obstacles.Add(new ObstacleRecord(r.Row, id!, kind, height, r.GeometryJson!, r.Srid ?? crs ?? Crs.Wgs84));
        }
        return (obstacles, rejections, records.Count);
    }

    // ---- shared --------------------------------------------------------------------------

    /// <summary>One row or feature before validation: its fields (lower-case names), geometry and early problems.</summary>
    private sealed class RawRecord(int row)
    {
        public int Row { get; } = row;
        public Dictionary<string, string?> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
        /// <summary>Properties outside the core fields, in file order, as JSON values (scalars only).</summary>
        public List<(string Name, JsonElement? Json, string? Text)> Extra { get; } = [];
        public string? GeometryType { get; set; }
        public string? GeometryJson { get; set; }
        public double? GeometryX { get; set; }
        public double? GeometryY { get; set; }
        public int? Srid { get; set; }
        public List<Rejection> Problems { get; } = [];
    }

    private static (List<RawRecord> Records, IntakeFormat Format) ReadRecords(Stream stream, int? crs, string expected,
        IReadOnlyList<string>? knownFields, bool freeProperties)
    {
        var (format, sniffed) = IntakeStreams.Sniff(stream);
        var records = format == IntakeFormat.GeoJson
            ? ReadGeoJson(sniffed, crs, expected, knownFields, freeProperties)
            : ReadCsv(sniffed, knownFields, freeProperties);
        if (records.Count == 0) throw new IntakeFormatException("the file has no rows");
        return (records, format);
    }

    private static List<RawRecord> ReadCsv(Stream stream, IReadOnlyList<string>? knownFields, bool freeProperties)
    {
        using var text = CsvRecordReader.OpenUtf8(stream);
        var csv = new CsvRecordReader(text);
        var header = new List<string>();
        if (!csv.ReadRecord(header)) throw new IntakeFormatException("the file is empty");
        if (header.Count == 1 && (header[0].Contains(';') || header[0].Contains('\t')))
            throw new IntakeFormatException("the header is not comma-separated: GeoRisk reads comma-separated files (save as CSV with ',' as the delimiter)");
        var names = header.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var problems = new List<Rejection>();
        for (var i = 0; i < names.Count; i++)
        {
            if (knownFields is not null && !knownFields.Contains(names[i]))
                problems.Add(new Rejection(0, IntakeStreams.SafeName(header[i], i + 1), RejectionReasons.UnknownField,
                    $"column {i + 1} is not a known column; allowed: {string.Join(", ", knownFields)}"));
            else if (!PropertyNamePattern().IsMatch(names[i]) || PrivacyGate.Scan(names[i]) != PersonalDataKind.None)
                problems.Add(new Rejection(0, $"#{i + 1}", RejectionReasons.InvalidValue, $"column {i + 1} has no usable name (letters, digits, '_', '.', ':' or '-')"));
            else if (names.IndexOf(names[i]) != i)
                problems.Add(new Rejection(0, names[i], RejectionReasons.InvalidValue, $"column {names[i]} appears twice"));
        }
        if (problems.Count > 0) throw new IntakeFormatException("the header has columns that cannot be read", problems);
        var records = new List<RawRecord>();
        var fields = new List<string>();
        while (csv.ReadRecord(fields))
        {
            if (fields.Count == 1 && string.IsNullOrWhiteSpace(fields[0])) continue;
            var r = new RawRecord(records.Count + 1);
            if (fields.Count != names.Count)
                r.Problems.Add(new Rejection(r.Row, "row", RejectionReasons.InvalidValue, $"the row has {fields.Count} fields, the header {names.Count}"));
            for (var i = 0; i < Math.Min(fields.Count, names.Count); i++)
            {
                var value = string.IsNullOrWhiteSpace(fields[i]) ? null : fields[i].Trim();
                if (freeProperties && !IncidentCoreFields.Contains(names[i]) && names[i] is not ("identificatie" or "height" or "hoogte"))
                    r.Extra.Add((names[i], null, value));
                else r.Fields[names[i]] = value;
            }
            records.Add(r);
        }
        return records;
    }

    private static List<RawRecord> ReadGeoJson(Stream stream, int? crs, string expected, IReadOnlyList<string>? knownFields, bool freeProperties)
    {
        using var doc = IntakeStreams.ParseJson(stream);
        var root = doc.RootElement;
        var features = SignalFileReader.FeaturesOf(root, expected);
        var srid = IntakeStreams.ReadCrs(root) ?? crs ?? Crs.Wgs84;
        var records = new List<RawRecord>();
        foreach (var feature in features.EnumerateArray())
        {
            var r = new RawRecord(records.Count + 1) { Srid = srid };
            records.Add(r);
            if (feature.ValueKind != JsonValueKind.Object)
            {
                r.Problems.Add(new Rejection(r.Row, "feature", RejectionReasons.InvalidValue, "a feature must be a JSON object"));
                continue;
            }
            if (feature.TryGetProperty("id", out var fid) && IntakeStreams.TryScalar(fid, out var idText) && idText is not null)
                r.Fields["external_id"] = idText;
            if (feature.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
            {
                var position = 0;
                foreach (var p in props.EnumerateObject())
                {
                    position++;
                    var name = p.Name.Trim().ToLowerInvariant();
                    var isCore = knownFields is not null ? knownFields.Contains(name)
                        : IncidentCoreFields.Contains(name) || name is "identificatie" or "height" or "hoogte" or "kind";
                    if (!isCore && !freeProperties)
                    {
                        r.Problems.Add(new Rejection(r.Row, IntakeStreams.SafeName(p.Name, position), RejectionReasons.UnknownField,
                            $"property {position} is not a known property; allowed: {string.Join(", ", knownFields ?? [])}"));
                        continue;
                    }
                    if (!isCore)
                    {
                        if (!PropertyNamePattern().IsMatch(name) || PrivacyGate.Scan(name) != PersonalDataKind.None)
                        {
                            r.Problems.Add(new Rejection(r.Row, $"#{position}", RejectionReasons.InvalidValue, $"property {position} has no usable name (letters, digits, '_', '.', ':' or '-')"));
                            continue;
                        }
                        r.Extra.Add((name, p.Value.Clone(), null));
                        continue;
                    }
                    if (!IntakeStreams.TryScalar(p.Value, out var text))
                    {
                        r.Problems.Add(new Rejection(r.Row, name, RejectionReasons.InvalidValue, $"{name} must be a string or number"));
                        continue;
                    }
                    r.Fields[name] = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
                }
            }
            if (feature.TryGetProperty("geometry", out var g) && g.ValueKind == JsonValueKind.Object
                && g.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                && g.TryGetProperty("coordinates", out var c) && c.ValueKind == JsonValueKind.Array && c.GetArrayLength() > 0)
            {
                r.GeometryType = t.GetString();
                if (r.GeometryType == "Point")
                {
                    if (c.GetArrayLength() >= 2 && c[0].ValueKind == JsonValueKind.Number && c[1].ValueKind == JsonValueKind.Number)
                    {
                        r.GeometryX = c[0].GetDouble();
                        r.GeometryY = c[1].GetDouble();
                    }
                    else r.Problems.Add(new Rejection(r.Row, "geometry", RejectionReasons.InvalidGeometry, "a Point needs two numeric coordinates"));
                }
                else if (r.GeometryType is "Polygon" or "MultiPolygon"
                         || (r.GeometryType is "LineString" or "MultiLineString" && expected.Contains("LineString", StringComparison.Ordinal)))
                    r.GeometryJson = g.GetRawText();
                else r.Problems.Add(new Rejection(r.Row, "geometry", RejectionReasons.InvalidGeometry, $"geometry must be {expected}"));
            }
            else r.Problems.Add(new Rejection(r.Row, "geometry", RejectionReasons.InvalidGeometry, $"geometry must be {expected}"));
        }
        return records;
    }

    private static string? Text(RawRecord r, string field, List<Rejection> problems, bool required, int maxLength)
    {
        r.Fields.TryGetValue(field, out var value);
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) problems.Add(new Rejection(r.Row, field, RejectionReasons.Required, $"{field} is required"));
            return null;
        }
        value = value.Trim();
        if (value.Length > maxLength)
        {
            problems.Add(new Rejection(r.Row, field, RejectionReasons.TooLong, $"{field} is longer than {maxLength} characters"));
            return null;
        }
        if (Gate(value) is { } kind)
        {
            problems.Add(PersonalData(r.Row, field, kind));
            return null;
        }
        if (value.Any(char.IsControl))
        {
            problems.Add(new Rejection(r.Row, field, RejectionReasons.InvalidValue, $"{field} contains control characters"));
            return null;
        }
        return value;
    }

    private static double? Number(RawRecord r, string field, List<Rejection> problems, bool required, double min, double max, bool maxExclusive = false)
    {
        r.Fields.TryGetValue(field, out var value);
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) problems.Add(new Rejection(r.Row, field, RejectionReasons.Required, $"{field} is required"));
            return null;
        }
        if (!SignalRowValidator.TryParseDouble(value, out var number) || !double.IsFinite(number))
        {
            problems.Add(new Rejection(r.Row, field, RejectionReasons.InvalidNumber, $"{field} is not a number"));
            return null;
        }
        if (number < min || number > max || (maxExclusive && number >= max))
        {
            problems.Add(new Rejection(r.Row, field, RejectionReasons.InvalidValue,
                $"{field} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}{(maxExclusive ? " (exclusive)" : "")}"));
            return null;
        }
        return number;
    }

    private static DateOnly? Date(RawRecord r, string field, List<Rejection> problems)
    {
        r.Fields.TryGetValue(field, out var value);
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (SignalRowValidator.TryParseObservedAt(value, out var moment))
            return DateOnly.FromDateTime(moment.ToOffset(DutchOffset(moment)).DateTime);
        problems.Add(new Rejection(r.Row, field, RejectionReasons.InvalidDate, $"{field} must be a date (yyyy-mm-dd or dd-mm-yyyy)"));
        return null;
    }

    private static TimeSpan DutchOffset(DateTimeOffset moment)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam").GetUtcOffset(moment);
        }
        catch (TimeZoneNotFoundException)
        {
            return moment.Offset;
        }
    }

    private static (double? X, double? Y, int Srid) Point(RawRecord r, IntakeFormat format, int? crs, List<Rejection> problems)
    {
        double x, y;
        int srid;
        string xName, yName;
        if (r.GeometryX is not null && r.GeometryY is not null)
        {
            (x, y, srid, xName, yName) = (r.GeometryX.Value, r.GeometryY.Value, r.Srid ?? crs ?? Crs.Wgs84, "geometry x", "geometry y");
        }
        else if (format == IntakeFormat.GeoJson)
        {
            if (!r.Problems.Any(p => p.Field == "geometry"))
                problems.Add(new Rejection(r.Row, "geometry", RejectionReasons.InvalidGeometry, "geometry must be a Point"));
            return (null, null, Crs.Rd);
        }
        else if (Has(r, "x") || Has(r, "y"))
        {
            if (!TryNumber(r, "x", problems, out x) | !TryNumber(r, "y", problems, out y)) return (null, null, Crs.Rd);
            (srid, xName, yName) = (crs ?? Crs.Rd, "x", "y");
        }
        else if (Has(r, "lon") || Has(r, "lat"))
        {
            if (!TryNumber(r, "lon", problems, out x) | !TryNumber(r, "lat", problems, out y)) return (null, null, Crs.Wgs84);
            (srid, xName, yName) = (Crs.Wgs84, "lon", "lat");
        }
        else
        {
            problems.Add(new Rejection(r.Row, "x", RejectionReasons.MissingCoordinates, "the row has no coordinates: x/y (RD New) or lon/lat (WGS84)"));
            return (null, null, Crs.Rd);
        }
        if (NetherlandsBounds.Check(x, y, srid, xName, yName) is { } problem)
        {
            problems.Add(new Rejection(r.Row, xName, problem.Reason, problem.Message));
            return (null, null, srid);
        }
        return (x, y, srid);
    }

    private static bool Has(RawRecord r, string field) => r.Fields.TryGetValue(field, out var v) && !string.IsNullOrWhiteSpace(v);

    private static bool TryNumber(RawRecord r, string field, List<Rejection> problems, out double value)
    {
        value = 0;
        if (!r.Fields.TryGetValue(field, out var text) || string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new Rejection(r.Row, field, RejectionReasons.MissingCoordinates, $"{field} is missing"));
            return false;
        }
        if (!SignalRowValidator.TryParseDouble(text, out value))
        {
            problems.Add(new Rejection(r.Row, field, RejectionReasons.InvalidNumber, $"{field} is not a number"));
            return false;
        }
        return true;
    }

    /// <summary>Free properties as one JSON object: scalars only, names and text values through the gate.</summary>
    private static string PropertiesJson(RawRecord r, List<Rejection> problems)
    {
        if (r.Extra.Count > MaxProperties)
        {
            problems.Add(new Rejection(r.Row, "properties", RejectionReasons.InvalidValue, $"at most {MaxProperties} free properties per incident"));
            return "{}";
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, json, text) in r.Extra)
            {
                if (json is { } element)
                {
                    switch (element.ValueKind)
                    {
                        case JsonValueKind.Null:
                            continue;
                        case JsonValueKind.Number:
                            writer.WritePropertyName(name);
                            element.WriteTo(writer);
                            continue;
                        case JsonValueKind.True or JsonValueKind.False:
                            writer.WriteBoolean(name, element.GetBoolean());
                            continue;
                        case JsonValueKind.String:
                            var s = element.GetString()!;
                            if (CheckValue(r.Row, name, s, problems)) writer.WriteString(name, s);
                            continue;
                        default:
                            problems.Add(new Rejection(r.Row, name, RejectionReasons.InvalidValue, $"property {name} must be a string, number or boolean"));
                            continue;
                    }
                }
                if (text is null) continue;
                if (CheckValue(r.Row, name, text, problems)) writer.WriteString(name, text);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static bool CheckValue(int row, string name, string value, List<Rejection> problems)
    {
        if (value.Length > MaxTextLength)
        {
            problems.Add(new Rejection(row, name, RejectionReasons.TooLong, $"property {name} is longer than {MaxTextLength} characters"));
            return false;
        }
        if (Gate(value) is { } kind)
        {
            problems.Add(PersonalData(row, name, kind));
            return false;
        }
        return true;
    }

    private static PersonalDataKind? Gate(string value)
    {
        var kind = PrivacyGate.Scan(value);
        return kind == PersonalDataKind.None ? null : kind;
    }

    private static Rejection PersonalData(int row, string field, PersonalDataKind kind) =>
        new(row, field, RejectionReasons.PersonalData,
            $"{field} contains {string.Join(" and ", kind.Split().Select(k => k.Description()))}; personal data is not stored",
            string.Join(",", kind.Codes()));
}
