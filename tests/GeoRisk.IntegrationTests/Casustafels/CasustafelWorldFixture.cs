using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Casustafels;

/// <summary>
/// A hand-built world in a database of its own: casustafel 'proef' with one square area of
/// 1 km² (PC4-9999), casustafel 'elders' far away, a scoring profile with round numbers, and
/// seven signals whose priorities the tests compute by hand. Reference time is the end of the
/// period asked for: 2026-11-01T00:00Z.
/// </summary>
public sealed class CasustafelWorldFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Reference = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    public const string Period = "from=2026-01-01&to=2026-10-31&profile=proef-profiel";

    private TestDatabase? _database;
    public TestDatabase Database => _database ?? throw new InvalidOperationException("not initialised");
    public GeoRiskApiFactory Factory { get; private set; } = null!;
    public Dictionary<string, long> Ids { get; } = [];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await ExecAsync("""
            INSERT INTO area (code, name, kind, geom) VALUES
              ('PC4-9999', 'Proefgebied Wallen', 'postcode', ST_Multi(ST_MakeEnvelope(150000, 450000, 151000, 451000, 28992))),
              ('PC4-9998', 'Proefgebied Elders', 'postcode', ST_Multi(ST_MakeEnvelope(170000, 470000, 171000, 471000, 28992)));
            INSERT INTO casustafel (id, name) VALUES ('proef', 'Casustafel Proef'), ('elders', 'Casustafel Elders');
            INSERT INTO casustafel_area VALUES ('proef', 'PC4-9999'), ('elders', 'PC4-9998');
            INSERT INTO scoring_profile (name, version, params) VALUES ('proef-profiel', 1,
              '{"half_life_days": 100, "category_weights": {"drugshandel": 2.0, "burgermelding": 0.5},
                "signaallijst": {"corroboration_step": 0.5, "corroboration_radius_m": 250, "corroboration_days": 365}}');
            """);
        // name, source, category, days before the reference, reliability, precision, x, y
        (string, string, string, double, double, string, double, double)[] signals =
        [
            ("s1", "politie", "drugshandel", 1, 0.6, "object", 150100, 450100),
            ("s2", "gemeente", "burgermelding", 1, 1.0, "object", 150150, 450150),
            ("s3", "fiod", "witwassen", 101, 0.9, "area", 150800, 450800),
            ("s4", "belastingdienst", "witwassen", 1, 0.8, "pc6", 150861, 450839),
            // before the period: no candidate, but it corroborates s1 and s2 (within 365 days, 30 m)
            ("s6", "kmar", "drugshandel", 321, 0.9, "object", 150120, 450120),
            ("s7", "politie", "hennepteelt", 30, 0.2, "object", 150090, 450090),
            // in the other casustafel's area: never in this list, never corroborating
            ("s8", "om", "drugshandel", 1, 1.0, "object", 170100, 470100),
        ];
        foreach (var (name, source, category, days, reliability, precision, x, y) in signals)
        {
            await using var cmd = Database.DataSource.CreateCommand("""
                INSERT INTO signal (source, external_id, category, observed_at, reliability, precision, geom)
                VALUES ($1, $2, $3, $4, $5, $6, ST_SetSRID(ST_MakePoint($7, $8), 28992)) RETURNING id
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = source });
            cmd.Parameters.Add(new NpgsqlParameter { Value = name });
            cmd.Parameters.Add(new NpgsqlParameter { Value = category });
            cmd.Parameters.Add(new NpgsqlParameter { Value = Reference.AddDays(-days) });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (float)reliability });
            cmd.Parameters.Add(new NpgsqlParameter { Value = precision });
            cmd.Parameters.Add(new NpgsqlParameter { Value = x });
            cmd.Parameters.Add(new NpgsqlParameter { Value = y });
            Ids[name] = (long)(await cmd.ExecuteScalarAsync())!;
        }
        // A stored score as the scoring run writes it, for the factsheet.
        await ExecAsync("""
            INSERT INTO score (area_id, profile_name, profile_version, reference_date, score, raw, signal_count, source_count, components, flags)
            SELECT id, 'proef-profiel', 1, DATE '2026-11-01', 87, 12.5, 5, 4,
                   '{"drugshandel": 8.0, "witwassen": 3.5, "burgermelding": 1.0}',
                   '{"kandidaat": true, "reasons": [{"threshold": "min_score", "required": 80, "actual": 87, "passed": true},
                                                    {"threshold": "min_signals", "required": 5, "actual": 5, "passed": true}]}'
            FROM area WHERE code = 'PC4-9999';
            """);
        Factory = new GeoRiskApiFactory(Database.ConnectionString);
    }

    public async Task ExecAsync(string sql)
    {
        await using var cmd = Database.DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null) await Factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
