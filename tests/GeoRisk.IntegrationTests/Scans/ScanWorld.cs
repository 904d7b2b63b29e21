using GeoRisk.Data.Scans;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Scans;

/// <summary>A hand-built gemeente of four 1 km² buurten (2 × 2) plus one buurt elsewhere (the rest of the region).</summary>
internal static class ScanWorld
{
    public const string Gemeente = "GM9999";
    public const string Profile = "scan-test";
    public const double X0 = 100_000, Y0 = 450_000;
    public static readonly DateOnly WindowTo = new(2026, 6, 30);
    public static readonly DateOnly PreviousWindowTo = new(2025, 6, 30);

    /// <summary>Lower-left corners of BU1 (south-west), BU2 (south-east), BU3 (north-west), BU4 (north-east) and BU5 (5 km east, outside).</summary>
    public static readonly IReadOnlyDictionary<string, (double X, double Y)> Corner = new Dictionary<string, (double, double)>
    {
        ["BU1"] = (X0, Y0), ["BU2"] = (X0 + 1000, Y0), ["BU3"] = (X0, Y0 + 1000), ["BU4"] = (X0 + 1000, Y0 + 1000), ["BU5"] = (X0 + 5000, Y0),
    };

    public static async Task CreateAsync(TestDatabase db)
    {
        await ExecAsync(db, """
            INSERT INTO scoring_profile (name, version, params) VALUES ('scan-test', 1,
              '{"window_days": 365, "half_life_days": 180,
                "category_weights": {"drugshandel": 1.0, "witwassen": 1.0, "burgermelding": 0.0},
                "thresholds": {"min_signals": 5, "min_sources": 2, "min_score": 0}, "suppression_k": 5, "hotspot_rings": 1}')
            """);
        await AddAreaAsync(db, Gemeente, "gemeente", X0, Y0, 2000, 2000);
        foreach (var (code, (x, y)) in Corner) await AddAreaAsync(db, code, "buurt", x, y, 1000, 1000);
    }

    public static async Task AddAreaAsync(TestDatabase db, string code, string kind, double x, double y, double w, double h, string validFrom = "2000-01-01")
    {
        await using var command = db.DataSource.CreateCommand("""
            INSERT INTO area (code, name, kind, valid_from, geom)
            VALUES ($1, 'Buurt ' || $1, $2, $3::date, ST_Multi(ST_MakeEnvelope($4, $5, $4 + $6, $5 + $7, 28992)))
            """);
        foreach (var v in new object[] { code, kind, validFrom, x, y, w, h }) command.Parameters.Add(new NpgsqlParameter { Value = v });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary><paramref name="n"/> signals 100 m inside the buurt's lower-left corner, observed in the middle of the window ending <paramref name="windowTo"/>.</summary>
    public static async Task AddSignalsAsync(TestDatabase db, string buurt, int n, DateOnly windowTo, string source = "politie", string category = "drugshandel", double dx = 100, double dy = 100)
    {
        var (x, y) = Corner[buurt];
        await using var command = db.DataSource.CreateCommand("""
            INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
            SELECT $1, md5(random()::text || i), $2, ($3::date - 180)::timestamp AT TIME ZONE 'Europe/Amsterdam',
                   0.5, ST_SetSRID(ST_MakePoint($4, $5), 28992)
            FROM generate_series(1, $6) i
            """);
        foreach (var v in new object[] { source, category, windowTo, x + dx, y + dy, n }) command.Parameters.Add(new NpgsqlParameter { Value = v });
        await command.ExecuteNonQueryAsync();
    }

    public static ScanRequest Request(string name, DateOnly windowTo) => new(name, Gemeente, "buurt", windowTo, 365, null, Profile, 1);

    public static async Task ExecAsync(TestDatabase db, string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
