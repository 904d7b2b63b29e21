namespace GeoRisk.Core.Intake;

/// <summary>The whitelisted columns of a signal file (CSV header, GeoJSON property names).</summary>
public enum SignalField
{
    ExternalId,
    Category,
    Source,
    ObservedAt,
    X,
    Y,
    Lon,
    Lat,
    Wkt,
    Reliability,
    Precision,
    ObjectRef,
    Remark,
}

public static class SignalFields
{
    public const int Count = 13;

    private static readonly string[] Names =
    [
        "external_id", "category", "source", "observed_at", "x", "y", "lon", "lat", "wkt",
        "reliability", "precision", "object_ref", "remark",
    ];

    public static string Name(this SignalField field) => Names[(int)field];

    /// <summary>Every accepted column, for error messages and docs.</summary>
    public static IReadOnlyList<string> AllNames => Names;

    /// <summary>Columns that are not coordinates (GeoJSON carries those in the geometry).</summary>
    public static IReadOnlyList<string> PropertyNames { get; } =
        Names.Where(n => n is not ("x" or "y" or "lon" or "lat" or "wkt")).ToArray();

    public static bool TryParse(string name, out SignalField field)
    {
        var n = name.Trim().TrimStart('\uFEFF').ToLowerInvariant();
        var i = Array.IndexOf(Names, n);
        field = (SignalField)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>Fields whose text is stored as text and therefore goes through the privacy gate.</summary>
    public static bool IsStoredText(SignalField f) =>
        f is SignalField.ExternalId or SignalField.Category or SignalField.Source or SignalField.Precision
            or SignalField.ObjectRef or SignalField.Remark;
}

/// <summary>
/// One row as read from a file, before validation: text values by field (null = absent) and,
/// for GeoJSON, the point from the geometry.
/// </summary>
public sealed class RawSignalRow
{
    public RawSignalRow(int row)
    {
        Row = row;
    }

    public int Row { get; }

    public string?[] Values { get; } = new string?[SignalFields.Count];

    /// <summary>A point read from a GeoJSON geometry, with the file's CRS.</summary>
    public (double X, double Y, int Srid)? Point { get; set; }

    /// <summary>Problems found while reading the row (unknown GeoJSON properties, bad geometry).</summary>
    public List<Rejection>? ReadProblems { get; set; }

    public string? this[SignalField field]
    {
        get => Values[(int)field];
        set => Values[(int)field] = value;
    }

    public void AddProblem(Rejection rejection) => (ReadProblems ??= []).Add(rejection);
}

/// <summary>
/// A signal row that passed per-row validation: ready for the staging table. Category, source and
/// precision are checked against the reference tables set-based in SQL.
/// </summary>
public readonly record struct SignalRecord(
    int Row,
    string Source,
    string ExternalId,
    string Category,
    DateTimeOffset ObservedAt,
    float Reliability,
    string Precision,
    double X,
    double Y,
    int Srid,
    string? ObjectRef,
    string? Remark);
