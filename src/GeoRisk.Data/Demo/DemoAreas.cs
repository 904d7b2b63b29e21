using System.Globalization;
using GeoRisk.Data.Intake;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoRisk.Data.Demo;

/// <summary>
/// A demo area of the project's own: authored as <see cref="Wkt"/>, or the union of real buurten
/// (<see cref="Buurten"/>) imported from the boundary files.
/// </summary>
public sealed record DemoArea(string Code, string Name, string Kind, string? ParentCode, double? Exposure, string? ExposureUnit,
    string? Wkt, IReadOnlyList<string> Buurten)
{
    private Geometry? _geometry;
    public Geometry? Geometry => _geometry ??= Wkt is null ? null : new WKTReader().Read(Wkt);
}

public static class DemoAreas
{
    public const string Municipality = "GM0362";

    /// <summary>The gemeenten taken from the CBS file: the demo's neighbours. Amsterdam and Amstelveen come from their buurten.</summary>
    public static readonly IReadOnlySet<string> CbsGemeenten = new HashSet<string>(StringComparer.Ordinal) { "GM0358", "GM0384", "GM0437", "GM0451" };

    private static readonly string[] BoundaryFileNames =
        ["ams_buurten_dsoapi_crs84.geojson", "amstelveen_buurten_crs84.geojson", "nl_gemeenten_2023_cbs_wgs84.geojson"];

    /// <summary>The project's own areas (demo_areas.tsv).</summary>
    public static IReadOnlyList<DemoArea> Load()
    {
        var areas = new List<DemoArea>();
        foreach (var f in ReadTsv("demo_areas.tsv"))
        {
            var shape = f[6];
            var buurten = shape.StartsWith("buurten:", StringComparison.Ordinal) ? shape["buurten:".Length..].Split(',') : [];
            areas.Add(new DemoArea(f[0], f[1], f[2], NullIfEmpty(f[3]),
                f[4].Length == 0 ? null : double.Parse(f[4], CultureInfo.InvariantCulture), NullIfEmpty(f[5]),
                buurten.Length == 0 ? shape : null, buurten));
        }
        return areas;
    }

    /// <summary>
    /// The real boundary files (data/boundaries, embedded at build time) as the boundary importer
    /// takes them; the CBS gemeenten file is limited to <see cref="CbsGemeenten"/>. The caller disposes the streams.
    /// </summary>
    public static IReadOnlyList<BoundarySource> BoundaryFiles() => BoundaryFileNames.Select(name => new BoundarySource(name,
        typeof(DemoAreas).Assembly.GetManifestResourceStream("GeoRisk.Boundaries." + name)
            ?? throw new InvalidOperationException($"Boundary file {name} is missing from the build."),
        name.StartsWith("nl_gemeenten", StringComparison.Ordinal) ? CbsGemeenten : null)).ToList();

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static List<string[]> ReadTsv(string name)
    {
        using var stream = typeof(DemoAreas).Assembly.GetManifestResourceStream("GeoRisk.Demo." + name)
            ?? throw new InvalidOperationException($"Demo resource {name} is missing.");
        using var reader = new StreamReader(stream);
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && !line.StartsWith('#')) rows.Add(line.Split('\t'));
        return rows;
    }
}
