using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;
using NetTopologySuite.Operation.Union;

namespace GeoRisk.Data.Demo;

public sealed record DemoCamera(string ExternalId, string Owner, string Description, double X, double Y, double HeadingDeg, double FovDeg, double RangeM)
{
    /// <summary>The casustafel whose programme keeps this camera in its registry.</summary>
    public string Programme { get; init; } = "";
    public string Status { get; init; } = "active";
    public DateOnly? ActiveFrom { get; init; }
}

public sealed record DemoIncident(string ExternalId, string Kind, DateTimeOffset ObservedAt, string AreaCode, double X, double Y)
{
    public string Programme => AreaCode == "MP-BLOEMENVEILING" ? "bloemenveiling" : "westelijk-havengebied";
}

public sealed record DemoCasustafel(string Id, string Name, string Description, string[] AreaCodes, string[] Partners);

/// <summary>Cameras of the port and auction programmes and the municipality, and port incidents.</summary>
public static class DemoOverlays
{
    private const int Seed = 1012;

    /// <summary>The areas whose shapes the cameras and incidents are placed in (with the real buurten of the port).</summary>
    public static IEnumerable<string> AreaCodes => ["PC4-1012", "MP-WESTHAVEN", "MP-BLOEMENVEILING", "GB-AMSTERDAMSE-POORT", .. PortBuurten];

    /// <summary>The real buurten Westelijk Havengebied is the union of (demo_areas.tsv).</summary>
    public static IReadOnlyList<string> PortBuurten => DemoAreas.Load().Single(a => a.Code == "MP-WESTHAVEN").Buurten;

    /// <summary>
    /// Where a port programme mounts its cameras: on the lines between the real buurten of the port
    /// (in the Westelijk Havengebied those are its quays, basins and roads) and on the port's outline;
    /// the flower auction, drawn as one outline, along that outline (its perimeter road).
    /// </summary>
    public static Geometry PortCameraLines(string code, IReadOnlyDictionary<string, Geometry> shapes)
    {
        var port = shapes[code];
        if (code != "MP-WESTHAVEN") return port.Boundary;
        var edges = UnaryUnionOp.Union(PortBuurten.Select(b => shapes[b].Boundary).Append(port.Boundary).ToList());
        var inside = edges.Intersection(port.Buffer(1));
        // Only the lines (an intersection may also hold single touching points).
        var parts = Enumerable.Range(0, inside.NumGeometries).Select(inside.GetGeometryN).OfType<LineString>().ToArray();
        return port.Factory.CreateMultiLineString(parts);
    }

    public static IReadOnlyList<DemoCamera> Cameras(IReadOnlyDictionary<string, Geometry> shapes)
    {
        var random = new Random(Seed);
        // A second generator for lifetimes, so the positions stay those of earlier seeds.
        var lifetimes = new Random(Seed + 2);
        var quays = new Random(Seed + 3);
        var cameras = new List<DemoCamera>();
        foreach (var (code, owner, count, range, programme) in new[]
                 {
                     ("PC4-1012", "gemeente", 24, 60.0, "1012"), ("MP-WESTHAVEN", "havenbedrijf", 30, 250.0, "westelijk-havengebied"),
                     ("MP-BLOEMENVEILING", "private_partner", 16, 120.0, "bloemenveiling"), ("GB-AMSTERDAMSE-POORT", "gemeente", 12, 70.0, "zuidoost"),
                 })
        {
            var polygon = shapes[code];
            var port = code.StartsWith("MP-", StringComparison.Ordinal);
            var lineWork = port ? PortCameraLines(code, shapes) : null;
            var lines = lineWork is null ? null : new LengthIndexedLine(lineWork);
            var length = lineWork?.Length ?? 0;
            for (var i = 0; i < count; i++)
            {
                var c = DemoGeometry.RandomPointIn(random, polygon);
                var fov = random.NextDouble() < 0.15 ? 360 : 60 + random.Next(0, 5) * 15;
                var heading = (double)random.Next(0, 360);
                if (lines is not null)
                {
                    // A port camera stands on a quay or road line and looks across it (either side);
                    // drawn from its own generator, so that the other areas' cameras keep their places.
                    var at = quays.NextDouble() * length;
                    c = lines.ExtractPoint(at);
                    var ahead = lines.ExtractPoint(Math.Min(length, at + 5));
                    var behind = lines.ExtractPoint(Math.Max(0, at - 5));
                    var along = Math.Atan2(ahead.X - behind.X, ahead.Y - behind.Y) * 180 / Math.PI;
                    heading = ((along + (quays.NextDouble() < 0.5 ? 90 : -90) + quays.Next(-20, 21)) % 360 + 360) % 360;
                }
                // Port networks grew during the period: about a third of their cameras came in mid-period
                // (so coverage over time shows the effect), and two are still only planned.
                var added = port && lifetimes.NextDouble() < 0.35;
                var from = added ? DateOnly.FromDateTime(DemoSeeder.PeriodStart.AddDays(200 + lifetimes.Next(0, 700)).Date) : (DateOnly?)null;
                cameras.Add(new DemoCamera($"{code}-CAM{i + 1:D2}", owner, $"Camera {i + 1} {code}",
                    Math.Round(c.X), Math.Round(c.Y), Math.Round(heading), fov, range)
                {
                    Programme = programme,
                    Status = port && i >= count - 2 ? "planned" : "active",
                    ActiveFrom = port && i >= count - 2 ? null : from,
                });
            }
        }
        return cameras;
    }

    public static IReadOnlyList<DemoIncident> Incidents(IReadOnlyDictionary<string, Geometry> shapes)
    {
        var random = new Random(Seed + 1);
        string[] kinds = ["uithalers", "containermanipulatie", "onbevoegde_toegang", "verdachte_lading"];
        var incidents = new List<DemoIncident>();
        foreach (var (code, count) in new[] { ("MP-WESTHAVEN", 260), ("MP-BLOEMENVEILING", 90) })
        {
            var polygon = shapes[code];
            for (var i = 0; i < count; i++)
            {
                var c = DemoGeometry.RandomPointIn(random, polygon);
                var day = random.Next(0, (int)(DemoSeeder.PeriodEnd - DemoSeeder.PeriodStart).TotalDays);
                incidents.Add(new DemoIncident($"{code}-INC{i + 1:D4}", kinds[random.Next(kinds.Length)],
                    DemoSeeder.PeriodStart.AddDays(day).AddHours(random.Next(0, 24)), code, Math.Round(c.X), Math.Round(c.Y)));
            }
        }
        return incidents;
    }
}

public static class DemoCasustafels
{
    public static IReadOnlyList<DemoCasustafel> All { get; } =
    [
        new("1012", "Casustafel 1012", "Gebiedsgerichte aanpak postcodegebied 1012 (Wallen, oude centrum).",
            ["PC4-1012"], ["gemeente", "politie", "om", "belastingdienst", "nla"]),
        new("bloemenveiling", "Casustafel Bloemenveiling", "Mainport Aalsmeer: bloemenveiling en omliggende bedrijventerreinen.",
            ["MP-BLOEMENVEILING", "BT-THAMERDAL"], ["gemeente", "politie", "douane", "kmar", "private_partner"]),
        new("zuidoost", "Casustafel Zuidoost", "Amsterdamse Poort en Amstel Business Park.",
            ["GB-AMSTERDAMSE-POORT", "BT-AMSTEL-BP"], ["gemeente", "politie", "om", "belastingdienst"]),
        new("westelijk-havengebied", "Casustafel Westelijk Havengebied", "Mainport Noordzeekanaalgebied: Westelijk Havengebied en Sloterdijk.",
            ["MP-WESTHAVEN", "BT-SLOTERDIJK"], ["havenbedrijf", "douane", "politie", "kmar", "fiod"]),
    ];
}
