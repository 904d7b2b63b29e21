using System.Globalization;
using System.Text;
using GeoRisk.Core.Hexagons;
using GeoRisk.IntegrationTests.Infrastructure;
using MathNet.Numerics.Distributions;
using Npgsql;

namespace GeoRisk.IntegrationTests.Rtm;

/// <summary>
/// A study area with a planted effect, fully known: buitengebied BG-TEST (a 6 × 6 km square at
/// 150000–156000 × 450000–456000, casustafel 'bg'), a far-away area OTHER (casustafel 'other').
/// Factor layers go in through the API in each test class; signals are planted by
/// <see cref="PlantAsync"/>: per 100 m cell of BG-TEST, Poisson counts with rate 1 per period,
/// ×3 within 200 m of an A feature, in 2024 (fit) and 2025 (test).
/// </summary>
#pragma warning disable CA1001 // disposed in DisposeAsync, as xunit fixtures are
public sealed class RtmWorldFixture : IAsyncLifetime
#pragma warning restore CA1001
{
    public const double X0 = 150_000, Y0 = 450_000, Side = 6_000;

    private TestDatabase? _database;
    private GeoRiskApiFactory? _factory;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("fixture not initialised");
    public GeoRiskApiFactory Factory => _factory ?? throw new InvalidOperationException("fixture not initialised");

    /// <summary>Factor A: 25 points (the planted effect). Factor B: 25 points (no effect).</summary>
    public List<(double X, double Y)> A { get; } = [];
    public List<(double X, double Y)> B { get; } = [];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await ExecuteAsync("""
            INSERT INTO area (code, name, kind, geom) VALUES
              ('BG-TEST', 'Buitengebied test', 'buitengebied', ST_Multi(ST_MakeEnvelope(150000, 450000, 156000, 456000, 28992))),
              ('BG-NOORD', 'Noordrand', 'custom', ST_Multi(ST_MakeEnvelope(150000, 455000, 156000, 456000, 28992))),
              ('OTHER', 'Elders', 'bedrijventerrein', ST_Multi(ST_MakeEnvelope(200000, 500000, 201000, 501000, 28992)));
            INSERT INTO casustafel (id, name) VALUES ('bg', 'Buitengebied'), ('other', 'Elders');
            INSERT INTO casustafel_area (casustafel_id, area_code) VALUES ('bg', 'BG-TEST'), ('other', 'OTHER');
            """);
        var random = new Random(2020);
        for (int i = 0; i < 25; i++) A.Add((X0 + 300 + random.NextDouble() * (Side - 600), Y0 + 300 + random.NextDouble() * (Side - 600)));
        for (int i = 0; i < 25; i++) B.Add((X0 + 300 + random.NextDouble() * (Side - 600), Y0 + 300 + random.NextDouble() * (Side - 600)));
        _factory = new GeoRiskApiFactory(_database.ConnectionString);
        await PlantAsync(random);
    }

    public static string Csv(IEnumerable<(double X, double Y)> points, string prefix) =>
        "external_id,x,y\n" + string.Concat(points.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{i + 1},{p.X:F1},{p.Y:F1}\n")));

    private async Task PlantAsync(Random random)
    {
        var x = new List<double>();
        var y = new List<double>();
        var day = new List<DateOnly>();
        var q0 = (int)Math.Ceiling(X0 / 150.0);
        var q1 = (int)Math.Floor((X0 + Side) / 150.0);
        for (int q = q0; q <= q1; q++)
        {
            for (int r = (int)Math.Ceiling(Y0 / (Math.Sqrt(3) * 100) - q / 2.0); r <= (int)Math.Floor((Y0 + Side) / (Math.Sqrt(3) * 100) - q / 2.0); r++)
            {
                var (cx, cy) = HexGrid.Centre(new HexCell(100, q, r));
                bool nearA = A.Any(a => Math.Sqrt((a.X - cx) * (a.X - cx) + (a.Y - cy) * (a.Y - cy)) <= 200);
                double rate = nearA ? 3 : 1;
                foreach (var year in new[] { 2024, 2025 })
                {
                    int n = Poisson.Sample(random, rate);
                    for (int k = 0; k < n; k++)
                    {
                        x.Add(cx + (random.NextDouble() - 0.5) * 80);
                        y.Add(cy + (random.NextDouble() - 0.5) * 80);
                        day.Add(new DateOnly(year, 1, 1).AddDays(random.Next(365)));
                    }
                }
            }
        }
        await using var command = Database.DataSource.CreateCommand("""
            INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
            SELECT 'politie', 'rtm-' || t.i, 'drugshandel', (t.day + time '12:00') AT TIME ZONE 'Europe/Amsterdam', 1, ST_SetSRID(ST_MakePoint(t.x, t.y), 28992)
            FROM unnest($1::float8[], $2::float8[], $3::date[]) WITH ORDINALITY AS t(x, y, day, i)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = x.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = y.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = day.ToArray() });
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public static StringContent Text(string body, string type = "text/csv") => new(body, Encoding.UTF8, type);
}
