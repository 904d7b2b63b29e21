using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoRisk.Data.Demo;

/// <summary>A demo area; <see cref="Wkt"/> is null for areas built as the union of their children.</summary>
public sealed record DemoArea(string Code, string Name, string Kind, string? ParentCode, double? Exposure, string? ExposureUnit, string? Wkt)
{
    private Geometry? _geometry;
    public Geometry? Geometry => _geometry ??= Wkt is null ? null : new WKTReader().Read(Wkt);
}

public static class DemoAreas
{
    public const string Municipality = "GM0362";

    public static IReadOnlyList<DemoArea> Load()
    {
        var areas = new List<DemoArea>();
        foreach (var f in ReadTsv("demo_areas.tsv"))
            areas.Add(new DemoArea(f[0], f[1], f[2], NullIfEmpty(f[3]),
                f[4].Length == 0 ? null : double.Parse(f[4], CultureInfo.InvariantCulture), NullIfEmpty(f[5]), f[6]));

        // Amstelveen: buurten from the municipality's open data (CC0); wijken and the
        // municipality are derived from them by the seeder.
        var buurten = ReadTsv("amstelveen_buurten.tsv");
        foreach (var f in buurten)
            areas.Add(new DemoArea(f[0], f[1], "buurt", f[2], null, null, f[4]));
        foreach (var wijk in buurten.GroupBy(f => f[2]).OrderBy(g => g.Key, StringComparer.Ordinal))
            areas.Add(new DemoArea(wijk.Key, wijk.First()[3], "wijk", Municipality, null, null, null));
        areas.Add(new DemoArea(Municipality, "Amstelveen", "gemeente", null, null, null, null));
        return areas;
    }

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
