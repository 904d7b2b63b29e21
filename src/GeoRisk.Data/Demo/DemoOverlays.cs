using NetTopologySuite.Geometries;

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

    /// <summary>The areas whose shapes the cameras and incidents are placed in.</summary>
    public static IEnumerable<string> AreaCodes => ["PC4-1012", "MP-WESTHAVEN", "MP-BLOEMENVEILING", "GB-AMSTERDAMSE-POORT"];

    public static IReadOnlyList<DemoCamera> Cameras(IReadOnlyDictionary<string, Geometry> shapes)
    {
        var random = new Random(Seed);
        // A second generator for lifetimes, so the positions stay those of earlier seeds.
        var lifetimes = new Random(Seed + 2);
        var cameras = new List<DemoCamera>();
        foreach (var (code, owner, count, range, programme) in new[]
                 {
                     ("PC4-1012", "gemeente", 24, 60.0, "1012"), ("MP-WESTHAVEN", "havenbedrijf", 30, 250.0, "westelijk-havengebied"),
                     ("MP-BLOEMENVEILING", "private_partner", 16, 120.0, "bloemenveiling"), ("GB-AMSTERDAMSE-POORT", "gemeente", 12, 70.0, "zuidoost"),
                 })
        {
            var polygon = shapes[code];
            for (var i = 0; i < count; i++)
            {
                var c = DemoGeometry.RandomPointIn(random, polygon);
                var fov = random.NextDouble() < 0.15 ? 360 : 60 + random.Next(0, 5) * 15;
                // Port networks grew during the period: about a third of their cameras came in mid-period
                // (so coverage over time shows the effect), and two are still only planned.
                var port = code.StartsWith("MP-", StringComparison.Ordinal);
                var added = port && lifetimes.NextDouble() < 0.35;
                var from = added ? DateOnly.FromDateTime(DemoSeeder.PeriodStart.AddDays(200 + lifetimes.Next(0, 700)).Date) : (DateOnly?)null;
                cameras.Add(new DemoCamera($"{code}-CAM{i + 1:D2}", owner, $"Camera {i + 1} {code}",
                    Math.Round(c.X), Math.Round(c.Y), random.Next(0, 360), fov, range)
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
