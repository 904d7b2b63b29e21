namespace GeoRisk.Core.Intake;

/// <summary>How an import treats bad rows.</summary>
public enum ImportMode
{
    /// <summary>One bad row: nothing is written.</summary>
    Atomic,
    /// <summary>Valid rows are written, the rest are reported.</summary>
    Partial,
}

public static class ImportModes
{
    public static bool TryParse(string? text, out ImportMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "atomic":
                mode = ImportMode.Atomic;
                return true;
            case "partial":
                mode = ImportMode.Partial;
                return true;
            default:
                mode = ImportMode.Atomic;
                return false;
        }
    }
}

/// <summary>
/// One rejected value: the data row (1-based; 0 = the CSV header or the file as a whole), the
/// field, a stable reason code and a message. Messages never contain the rejected value: a value
/// may carry personal data.
/// </summary>
public sealed record Rejection(int Row, string Field, string Reason, string Message, string? Kind = null);

/// <summary>Stable reason codes of <see cref="Rejection"/>.</summary>
public static class RejectionReasons
{
    public const string PersonalData = "personal_data";
    public const string Required = "required";
    public const string UnknownField = "unknown_field";
    public const string UnknownCategory = "unknown_category";
    public const string UnknownSource = "unknown_source";
    public const string UnknownPrecision = "unknown_precision";
    public const string InvalidDate = "invalid_date";
    public const string FutureDate = "future_date";
    public const string InvalidNumber = "invalid_number";
    public const string ReliabilityOutOfRange = "reliability_out_of_range";
    public const string MissingCoordinates = "missing_coordinates";
    public const string InvalidGeometry = "invalid_geometry";
    public const string OutsideNetherlands = "outside_netherlands";
    public const string SwappedCoordinates = "swapped_coordinates";
    public const string DuplicateExternalId = "duplicate_external_id";
    public const string TooLong = "too_long";
    public const string InvalidObjectRef = "invalid_object_ref";
    public const string InvalidValue = "invalid_value";
    public const string InvalidCode = "invalid_code";
    public const string ControlCharacter = "control_character";
    public const string Repaired = "repaired";
}

/// <summary>A file that cannot be read at all (not a row problem): empty, binary, truncated, wrong delimiter.</summary>
public sealed class IntakeFormatException(string message, IReadOnlyList<Rejection>? rejections = null) : Exception(message)
{
    public IReadOnlyList<Rejection> Rejections { get; } = rejections ?? [];
}

/// <summary>Coordinate reference systems accepted for input.</summary>
public static class Crs
{
    public const int Rd = 28992;
    public const int Wgs84 = 4326;

    /// <summary>Reads "28992", "EPSG:28992", "urn:ogc:def:crs:EPSG::28992", "…/EPSG/0/28992", "4326", CRS84 names.</summary>
    public static int? Parse(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        var n = name.Trim();
        if (n.EndsWith("CRS84", StringComparison.OrdinalIgnoreCase))
        {
            return Wgs84;
        }
        var tail = n[(n.LastIndexOfAny([':', '/']) + 1)..];
        return tail switch
        {
            "4326" => Wgs84,
            "28992" => Rd,
            _ => null,
        };
    }
}
