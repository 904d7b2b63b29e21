using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Effects;

/// <summary>
/// A world with a planted waterbed effect: from 2025-06-01 the target buurt TGT loses half its
/// signals and the ring around it gains as many, while the control buurt CTL keeps its pattern.
/// Signals fall on the 10th of each month so window counts follow from the monthly numbers.
/// Casustafel ct-a works TGT; ct-b works OTHER elsewhere. Mainports MP-A and MP-B for the
/// across-ports analysis.
/// </summary>
public sealed class EffectWorldFixture : IAsyncLifetime
{
    public static readonly DateOnly Start = new(2025, 6, 1);
    public static readonly DateOnly FirstMonth = new(2023, 6, 1);
    public static readonly DateOnly EndMonth = new(2026, 6, 1);

    private TestDatabase? _database;
    public TestDatabase Database => _database ?? throw new InvalidOperationException("fixture not initialised");
    public GeoRiskApiFactory Factory { get; private set; } = null!;

    /// <summary>Signals a month in each zone; <paramref name="m"/> counts months from <see cref="FirstMonth"/>.</summary>
    public static int Target(DateOnly month, int m) => month < Start ? 20 + m % 3 : 10 + m % 3;
    public static int Buffer(DateOnly month, int m) => month < Start ? 10 + m % 2 : 20 + m % 2;
    public static int Control(DateOnly month, int m) => 40 + 2 * (m % 3);
    public static int FlatControl(DateOnly month, int m) => 30 + (m % 4 == 0 ? 3 : 0);

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await Sql("""
            INSERT INTO area (code, name, kind, geom) VALUES
              ('TGT',   'Doelbuurt',    'buurt', ST_Multi(ST_MakeEnvelope(120000, 487000, 120500, 487500, 28992))),
              ('CTL',   'Controlebuurt','buurt', ST_Multi(ST_MakeEnvelope(130000, 487000, 130500, 487500, 28992))),
              ('CTL2',  'Vlakke buurt', 'buurt', ST_Multi(ST_MakeEnvelope(135000, 487000, 135500, 487500, 28992))),
              ('OTHER', 'Andere buurt', 'buurt', ST_Multi(ST_MakeEnvelope(140000, 487000, 140500, 487500, 28992))),
              ('EMPTY', 'Lege buurt',   'buurt', ST_Multi(ST_MakeEnvelope(150000, 487000, 150500, 487500, 28992))),
              ('MP-A',  'Haven A',      'mainport', ST_Multi(ST_MakeEnvelope(160000, 487000, 161000, 488000, 28992))),
              ('MP-B',  'Haven B',      'mainport', ST_Multi(ST_MakeEnvelope(170000, 487000, 171000, 488000, 28992)));
            INSERT INTO casustafel (id, name) VALUES ('ct-a', 'Casustafel A'), ('ct-b', 'Casustafel B');
            INSERT INTO casustafel_area VALUES ('ct-a', 'TGT'), ('ct-a', 'EMPTY'), ('ct-b', 'OTHER');
            """);
        var months = new List<(DateOnly Month, int Index)>();
        for (var (month, i) = (FirstMonth, 0); month < EndMonth; month = month.AddMonths(1), i++) months.Add((month, i));
        foreach (var (month, i) in months)
        {
            // Target inside TGT; buffer in the 250 m ring (east side); controls inside their squares.
            await AddSignalsAsync(month, Target(month, i), 120050, 487050, 400, "t");
            await AddSignalsAsync(month, Buffer(month, i), 120600, 487050, 100, "b");
            await AddSignalsAsync(month, Control(month, i), 130050, 487050, 400, "c");
            await AddSignalsAsync(month, FlatControl(month, i), 135050, 487050, 400, "f");
            await AddSignalsAsync(month, month < Start ? 12 : 4, 160100, 487100, 800, "pa");
            await AddSignalsAsync(month, month < Start ? 8 : 16, 170100, 487100, 800, "pb");
        }
        Factory = new GeoRiskApiFactory(Database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        Factory?.Dispose();
        if (_database is not null) await _database.DisposeAsync();
    }

    /// <summary>Sum of a zone's monthly numbers over [from, to).</summary>
    public static int Sum(Func<DateOnly, int, int> zone, DateOnly from, DateOnly to)
    {
        int sum = 0, i = 0;
        for (var month = FirstMonth; month < EndMonth; month = month.AddMonths(1), i++)
            if (month.AddDays(9) >= from && month.AddDays(9) < to) sum += zone(month, i);
        return sum;
    }

    private async Task AddSignalsAsync(DateOnly month, int n, double x0, double y0, double spread, string tag)
    {
        await using var command = Database.DataSource.CreateCommand("""
            INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
            SELECT 'politie', $1 || '-' || g, 'drugshandel',
                   (($2::date + 9)::timestamp + interval '12 hours') AT TIME ZONE 'Europe/Amsterdam', 0.8,
                   ST_SetSRID(ST_MakePoint($3 + mod(g * 37, $5::int), $4 + mod(g * 53, $5::int)), 28992)
            FROM generate_series(1, $6) g
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = $"{tag}-{month:yyyyMM}" });
        command.Parameters.Add(new NpgsqlParameter { Value = month });
        command.Parameters.Add(new NpgsqlParameter { Value = x0 });
        command.Parameters.Add(new NpgsqlParameter { Value = y0 });
        command.Parameters.Add(new NpgsqlParameter { Value = spread });
        command.Parameters.Add(new NpgsqlParameter { Value = n });
        await command.ExecuteNonQueryAsync();
    }

    private async Task Sql(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
