using NetTopologySuite.Geometries;

namespace GeoRisk.Data.Demo;

public sealed record DemoSignal(
    string Source, string ExternalId, string Category, DateTimeOffset ObservedAt, float Reliability,
    string Precision, Point Location, string? ObjectRef, string? Remark);

/// <summary>
/// Generates the demo signals from a fixed seed: a background over the region plus planted
/// hotspots whose categories match what each kind of area is known for (drug trade and
/// money laundering in 1012, port incidents in the Westelijk Havengebied, labs and dumping
/// in the buitengebied, ...). Some hotspots grow over the three years so trends show.
/// </summary>
public static class DemoSignals
{
    private const int Seed = 20_261_115;
    private const int BackgroundCount = 33_000;

    private sealed record Hotspot(string AreaCode, int Count, int Clusters, double SigmaM, double ClusterShare, double Growth, (string Category, double Weight)[] Categories);

    private static readonly Hotspot[] Hotspots =
    [
        new("PC4-1012", 9_000, 4, 90, 0.7, 0.3,
            [("drugshandel", 5), ("witwassen", 3), ("mensenhandel", 3), ("vastgoed", 2), ("misbruik_panden", 2), ("luxegoederen", 1), ("illegale_bewoning", 1), ("burgermelding", 2)]),
        new("MP-WESTHAVEN", 8_000, 5, 250, 0.6, 0.2,
            [("havenincident", 6), ("drugshandel", 3), ("misbruik_ondernemingen", 2), ("ondergronds_bankieren", 1), ("toezichtsbevinding", 2)]),
        new("MP-BLOEMENVEILING", 5_000, 3, 150, 0.65, 0.5,
            [("drugshandel", 4), ("havenincident", 2), ("misbruik_ondernemingen", 2), ("mensenhandel", 2), ("toezichtsbevinding", 1)]),
        new("BT-SLOTERDIJK", 2_500, 2, 120, 0.6, 0.0,
            [("misbruik_panden", 3), ("drugsproductie", 2), ("illegale_bewoning", 2), ("handelsregister_mutatie", 2), ("omg", 1)]),
        new("BT-AMSTEL-BP", 2_500, 2, 110, 0.6, 0.4,
            [("drugsproductie", 3), ("misbruik_panden", 3), ("omg", 2), ("witwassen", 1), ("handelsregister_mutatie", 2)]),
        new("BT-THAMERDAL", 2_000, 2, 110, 0.6, 0.1,
            [("drugsproductie", 3), ("misbruik_ondernemingen", 2), ("hennepteelt", 2), ("handelsregister_mutatie", 2)]),
        new("BG-AMSTELLAND", 3_000, 3, 300, 0.5, 0.3,
            [("drugsafval", 4), ("drugsproductie", 3), ("hennepteelt", 3), ("explosies", 1), ("toezichtsbevinding", 1)]),
        new("GB-AMSTERDAMSE-POORT", 5_000, 3, 80, 0.7, 0.8,
            [("drugshandel", 4), ("witwassen", 3), ("explosies", 3), ("ondergronds_bankieren", 2), ("luxegoederen", 2), ("burgermelding", 2)]),
        new("BU03620401", 1_200, 1, 70, 0.6, 0.2,
            [("witwassen", 3), ("vastgoed", 3), ("luxegoederen", 2), ("burgermelding", 1)]),
    ];

    private static readonly (string Category, double Weight)[] BackgroundCategories =
    [
        ("burgermelding", 6), ("handelsregister_mutatie", 5), ("toezichtsbevinding", 4), ("drugshandel", 2), ("hennepteelt", 2),
        ("drugsproductie", 1), ("drugsafval", 1), ("witwassen", 1), ("ondergronds_bankieren", 1), ("vastgoed", 1), ("luxegoederen", 1),
        ("misbruik_panden", 1), ("misbruik_ondernemingen", 1), ("illegale_bewoning", 1), ("mensenhandel", 1), ("omg", 1),
        ("explosies", 1), ("havenincident", 0.3),
    ];

    /// <summary>Which partners report a category, most likely first.</summary>
    private static readonly Dictionary<string, string[]> SourcesByCategory = new()
    {
        ["drugshandel"] = ["politie", "om", "gemeente", "private_partner"],
        ["drugsproductie"] = ["politie", "gemeente", "nla", "om"],
        ["hennepteelt"] = ["politie", "gemeente", "private_partner"],
        ["drugsafval"] = ["gemeente", "politie", "nla"],
        ["witwassen"] = ["fiod", "belastingdienst", "private_partner", "om"],
        ["ondergronds_bankieren"] = ["fiod", "belastingdienst", "politie"],
        ["vastgoed"] = ["gemeente", "belastingdienst", "kvk", "fiod"],
        ["luxegoederen"] = ["belastingdienst", "fiod", "politie"],
        ["misbruik_panden"] = ["gemeente", "politie", "nla"],
        ["misbruik_ondernemingen"] = ["kvk", "belastingdienst", "gemeente", "nla"],
        ["illegale_bewoning"] = ["gemeente", "nla", "politie"],
        ["mensenhandel"] = ["nla", "politie", "kmar", "gemeente"],
        ["omg"] = ["politie", "om", "gemeente"],
        ["explosies"] = ["politie", "om", "gemeente"],
        ["havenincident"] = ["havenbedrijf", "douane", "kmar", "politie"],
        ["handelsregister_mutatie"] = ["kvk", "belastingdienst"],
        ["burgermelding"] = ["gemeente", "politie"],
        ["toezichtsbevinding"] = ["gemeente", "nla", "douane"],
    };

    private static readonly Dictionary<string, string[]> Remarks = new()
    {
        ["drugshandel"] = ["Veel kortdurend bezoek aan pand", "Overdrachten op straat gezien", "Pand als mogelijke opslag"],
        ["drugsproductie"] = ["Chemische geur bij bedrijfsunit", "Afwijkend stroomverbruik", "Verduisterde ramen en afzuiging"],
        ["hennepteelt"] = ["Warmtebeeld dak afwijkend", "Stroomaftap vermoed"],
        ["drugsafval"] = ["Vaten aangetroffen langs sloot", "Dumping van chemisch afval in berm"],
        ["witwassen"] = ["Contante aankopen boven de meldgrens", "Onverklaarbare omzet horeca"],
        ["ondergronds_bankieren"] = ["Belwinkel met afwijkende geldstromen", "Mogelijk hawala-kantoor"],
        ["vastgoed"] = ["Pand kort achter elkaar doorverkocht", "Aankoop via buitenlandse rechtspersoon"],
        ["luxegoederen"] = ["Contante aankoop voertuig hoog segment", "Horloges contant afgerekend"],
        ["misbruik_panden"] = ["Bedrijfsunit zonder zichtbare activiteit", "Opslag zonder vergunning"],
        ["misbruik_ondernemingen"] = ["Snelle bestuurderswisselingen", "Brievenbusfirma op terrein"],
        ["illegale_bewoning"] = ["Bewoning van bedrijfspand", "Overbewoning gemeld"],
        ["mensenhandel"] = ["Signalen van uitbuiting in bedrijf", "Werkplaats met onduidelijke arbeidsrelaties"],
        ["omg"] = ["Clubhuis in aanbouw", "Bijeenkomst bij bedrijfspand"],
        ["explosies"] = ["Explosie tegen voordeur bedrijfspand", "Explosief aangetroffen bij pand"],
        ["havenincident"] = ["Uithalers aangetroffen bij terminal", "Container met verbroken zegel", "Onbevoegden op het terrein"],
        ["handelsregister_mutatie"] = ["Vestiging verplaatst naar dit adres", "Nieuwe inschrijving op bekend adres"],
        ["burgermelding"] = ["Melding van overlast rond pand", "Verdachte situatie gemeld"],
        ["toezichtsbevinding"] = ["Controle: administratie onvolledig", "Controle: vergunning ontbreekt"],
    };

    // The Amsterdam-Amstelland region in RD New, for background signals: Amsterdam with Weesp
    // (x to 136 km) and Amstelland to the south.
    private static readonly Envelope Region = new(110_000, 136_000, 470_000, 494_000);

    /// <summary>The areas whose shapes <see cref="Generate"/> needs.</summary>
    public static IEnumerable<string> AreaCodes => Hotspots.Select(h => h.AreaCode);

    public static IReadOnlyList<DemoSignal> Generate(IReadOnlyDictionary<string, Geometry> shapes)
    {
        var random = new Random(Seed);
        var factory = new GeometryFactory(new PrecisionModel(), 28992);
        var signals = new List<DemoSignal>(BackgroundCount + Hotspots.Sum(h => h.Count));
        var totalDays = PeriodEndDays();

        void Add(string category, double x, double y, double growth)
        {
            var sources = SourcesByCategory[category];
            // Earlier partners in the list report more often.
            var source = sources[Math.Min(sources.Length - 1, (int)(-Math.Log(1 - random.NextDouble()) * 1.2))];
            var day = SampleDay(random, totalDays, growth);
            var observedAt = DemoSeeder.PeriodStart.AddDays(day).AddMinutes(random.Next(7 * 60, 23 * 60));
            var reliability = (float)Math.Round(0.3 + random.NextDouble() * 0.65, 2);
            var precisionRoll = random.NextDouble();
            var precision = precisionRoll < 0.7 ? "object" : precisionRoll < 0.85 ? "pc6" : precisionRoll < 0.95 ? "street" : "area";
            var objectRef = precision == "object" && random.NextDouble() < 0.6
                ? $"BAG:0363010000{random.Next(100_000, 999_999)}" : null;
            var remarks = Remarks[category];
            var remark = random.NextDouble() < 0.4 ? remarks[random.Next(remarks.Length)] : null;
            var id = $"DEMO-{signals.Count + 1:D6}";
            signals.Add(new DemoSignal(source, id, category, observedAt, reliability, precision,
                factory.CreatePoint(new Coordinate(Math.Round(x, 1), Math.Round(y, 1))), objectRef, remark));
        }

        foreach (var hotspot in Hotspots)
        {
            var polygon = shapes[hotspot.AreaCode];
            var centres = Enumerable.Range(0, hotspot.Clusters).Select(_ => DemoGeometry.RandomPointIn(random, polygon)).ToArray();
            for (var i = 0; i < hotspot.Count; i++)
            {
                Coordinate point;
                if (random.NextDouble() < hotspot.ClusterShare)
                {
                    var centre = centres[random.Next(centres.Length)];
                    do point = new Coordinate(centre.X + Gaussian(random) * hotspot.SigmaM, centre.Y + Gaussian(random) * hotspot.SigmaM);
                    while (!polygon.Contains(factory.CreatePoint(point)));
                }
                else point = DemoGeometry.RandomPointIn(random, polygon);
                Add(Pick(random, hotspot.Categories), point.X, point.Y, hotspot.Growth);
            }
        }

        for (var i = 0; i < BackgroundCount; i++)
            Add(Pick(random, BackgroundCategories),
                Region.MinX + random.NextDouble() * Region.Width, Region.MinY + random.NextDouble() * Region.Height, 0);

        return signals;
    }

    private static int PeriodEndDays() => (int)(DemoSeeder.PeriodEnd - DemoSeeder.PeriodStart).TotalDays;

    /// <summary>A day in the period; growth &gt; 0 makes later days likelier (density 1 + growth·t).</summary>
    private static double SampleDay(Random random, int totalDays, double growth)
    {
        var u = random.NextDouble();
        var t = growth == 0 ? u : (Math.Sqrt(1 + growth * (2 + growth) * u) - 1) / growth;
        return Math.Min(totalDays - 1, Math.Floor(t * totalDays));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string Pick(Random random, (string Category, double Weight)[] weighted)
    {
        var roll = random.NextDouble() * weighted.Sum(w => w.Weight);
        foreach (var (category, weight) in weighted)
            if ((roll -= weight) < 0) return category;
        return weighted[^1].Category;
    }
}
