using System.Text.Json;

namespace GeoRisk.Core.Intake;

/// <summary>
/// Reads a signal file as it comes: CSV (RFC 4180, comma, header with whitelisted columns) or a
/// GeoJSON FeatureCollection of Points. Problems with the file as a whole throw
/// <see cref="IntakeFormatException"/> (before any row, or while reading a CSV row); problems
/// with a row are attached to that row and reported by the validator.
/// </summary>
public sealed class SignalFileReader
{
    private SignalFileReader(IntakeFormat format, IEnumerable<RawSignalRow> rows)
    {
        Format = format;
        Rows = rows;
    }

    public IntakeFormat Format { get; }

    /// <summary>The rows, read lazily for CSV (a format error can surface while enumerating).</summary>
    public IEnumerable<RawSignalRow> Rows { get; }

    public static SignalFileReader Open(Stream stream, SignalIntakeOptions options, int maxRecordLength = CsvRecordReader.DefaultMaxRecordLength)
    {
        var (format, sniffed) = IntakeStreams.Sniff(stream);
        return format == IntakeFormat.GeoJson
            ? new SignalFileReader(format, ReadGeoJson(sniffed, options))
            : new SignalFileReader(format, OpenCsv(sniffed, options, maxRecordLength));
    }

    // ---- CSV -----------------------------------------------------------------------------

    private static IEnumerable<RawSignalRow> OpenCsv(Stream stream, SignalIntakeOptions options, int maxRecordLength)
    {
        var text = CsvRecordReader.OpenUtf8(stream);
        var csv = new CsvRecordReader(text, maxRecordLength);
        var header = new List<string>();
        if (!csv.ReadRecord(header))
        {
            text.Dispose();
            throw new IntakeFormatException("the file is empty");
        }
        var columns = MapHeader(header, options);
        return ReadCsvRows(text, csv, columns);
    }

    /// <summary>Maps header names to fields; refuses unknown, repeated and missing columns.</summary>
    public static SignalField[] MapHeader(IReadOnlyList<string> header, SignalIntakeOptions options)
    {
        if (header.Count == 1)
        {
            var only = header[0];
            foreach (var (delimiter, name) in new[] { (';', "semicolon"), ('\t', "tab"), ('|', "pipe") })
            {
                if (only.Contains(delimiter))
                {
                    throw new IntakeFormatException($"the header is separated by {name}s: GeoRisk reads comma-separated files (save as CSV with ',' as the delimiter)");
                }
            }
        }
        var problems = new List<Rejection>();
        var columns = new SignalField[header.Count];
        var seen = new HashSet<SignalField>();
        for (var i = 0; i < header.Count; i++)
        {
            if (!SignalFields.TryParse(header[i], out var field))
            {
                problems.Add(new Rejection(0, IntakeStreams.SafeName(header[i], i + 1), RejectionReasons.UnknownField,
                    $"column {i + 1} is not a signal column; allowed: {string.Join(", ", SignalFields.AllNames)}"));
                continue;
            }
            if (!seen.Add(field))
            {
                problems.Add(new Rejection(0, field.Name(), RejectionReasons.InvalidValue, $"column {field.Name()} appears twice"));
            }
            columns[i] = field;
        }
        foreach (var required in new[] { SignalField.ExternalId, SignalField.Category, SignalField.ObservedAt })
        {
            if (!seen.Contains(required))
            {
                problems.Add(new Rejection(0, required.Name(), RejectionReasons.Required, $"column {required.Name()} is missing"));
            }
        }
        if (!seen.Contains(SignalField.Source) && string.IsNullOrEmpty(options.DefaultSource))
        {
            problems.Add(new Rejection(0, "source", RejectionReasons.Required, "column source is missing: add it or name the partner with --source / ?source="));
        }
        var hasXy = seen.Contains(SignalField.X) && seen.Contains(SignalField.Y);
        var hasLonLat = seen.Contains(SignalField.Lon) && seen.Contains(SignalField.Lat);
        if (!hasXy && !hasLonLat && !seen.Contains(SignalField.Wkt))
        {
            problems.Add(new Rejection(0, "x", RejectionReasons.MissingCoordinates, "no coordinate columns: give x and y (RD), lon and lat (WGS84), or wkt"));
        }
        if (problems.Count > 0)
        {
            throw new IntakeFormatException("the CSV header is not a signal header: " + string.Join("; ", problems.Select(p => p.Message)), problems);
        }
        return columns;
    }

    private static IEnumerable<RawSignalRow> ReadCsvRows(StreamReader text, CsvRecordReader csv, SignalField[] columns)
    {
        using var _ = text;
        var fields = new List<string>(columns.Length);
        var row = 0;
        while (csv.ReadRecord(fields))
        {
            row++;
            var raw = new RawSignalRow(row);
            if (fields.Count != columns.Length)
            {
                raw.AddProblem(new Rejection(row, "*", RejectionReasons.InvalidValue,
                    $"the row has {fields.Count} fields, the header {columns.Length}: check the delimiter and quoting"));
            }
            var n = Math.Min(fields.Count, columns.Length);
            for (var i = 0; i < n; i++)
            {
                var value = fields[i];
                raw.Values[(int)columns[i]] = value.Length == 0 ? null : value;
            }
            yield return raw;
        }
        if (row == 0)
        {
            throw new IntakeFormatException("the file has a header but no rows");
        }
    }

    // ---- GeoJSON -------------------------------------------------------------------------

    private static List<RawSignalRow> ReadGeoJson(Stream stream, SignalIntakeOptions options)
    {
        using var doc = IntakeStreams.ParseJson(stream);
        var root = doc.RootElement;
        var features = FeaturesOf(root, "Point");
        var srid = IntakeStreams.ReadCrs(root) ?? options.Crs ?? Crs.Wgs84;
        var rows = new List<RawSignalRow>(features.GetArrayLength());
        var index = 0;
        foreach (var feature in features.EnumerateArray())
        {
            index++;
            rows.Add(ReadFeature(feature, index, srid));
        }
        if (rows.Count == 0)
        {
            throw new IntakeFormatException("the FeatureCollection has no features");
        }
        return rows;
    }

    /// <summary>The features array of a FeatureCollection (or a lone Feature); otherwise a format error.</summary>
    public static JsonElement FeaturesOf(JsonElement root, string expectedGeometry)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new IntakeFormatException($"expected a GeoJSON FeatureCollection of {expectedGeometry} features");
        }
        if (type.ValueEquals("FeatureCollection") && root.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Array)
        {
            return features;
        }
        throw new IntakeFormatException($"expected a GeoJSON FeatureCollection of {expectedGeometry} features with a \"features\" array");
    }

    private static RawSignalRow ReadFeature(JsonElement feature, int row, int srid)
    {
        var raw = new RawSignalRow(row);
        if (feature.ValueKind != JsonValueKind.Object)
        {
            raw.AddProblem(new Rejection(row, "feature", RejectionReasons.InvalidValue, "a feature must be a JSON object"));
            return raw;
        }
        if (feature.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            var position = 0;
            foreach (var p in props.EnumerateObject())
            {
                position++;
                if (!SignalFields.TryParse(IntakeStreams.Name(p), out var field))
                {
                    raw.AddProblem(new Rejection(row, IntakeStreams.SafeName(p.Name, position), RejectionReasons.UnknownField,
                        $"property {position} is not a signal property; allowed: {string.Join(", ", SignalFields.AllNames)}"));
                    continue;
                }
                if (!IntakeStreams.TryScalar(p.Value, out var text))
                {
                    raw.AddProblem(new Rejection(row, field.Name(), RejectionReasons.InvalidValue, $"{field.Name()} must be a string or number"));
                    continue;
                }
                raw[field] = string.IsNullOrEmpty(text) ? null : text;
            }
        }
        if (raw[SignalField.ExternalId] is null && feature.TryGetProperty("id", out var id) && IntakeStreams.TryScalar(id, out var idText))
        {
            raw[SignalField.ExternalId] = idText;
        }
        if (!feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind == JsonValueKind.Null)
        {
            return raw; // Coordinates may still come from x/y, lon/lat or wkt properties.
        }
        if (geometry.ValueKind == JsonValueKind.Object
            && geometry.TryGetProperty("type", out var gtype) && gtype.ValueKind == JsonValueKind.String && gtype.ValueEquals("Point")
            && geometry.TryGetProperty("coordinates", out var coords) && coords.ValueKind == JsonValueKind.Array
            && coords.GetArrayLength() >= 2
            && coords[0].ValueKind == JsonValueKind.Number && coords[1].ValueKind == JsonValueKind.Number)
        {
            raw.Point = (coords[0].GetDouble(), coords[1].GetDouble(), srid);
        }
        else
        {
            raw.AddProblem(new Rejection(row, "geometry", RejectionReasons.InvalidGeometry, "geometry must be a Point with [x, y] coordinates"));
        }
        return raw;
    }
}
