using System.Globalization;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Ports;

/// <summary>
/// A small port world, fully known: programme haven-a works mainport MP-A (a 1 km square at
/// 116000–117000 × 490000–491000), haven-b works MP-B (a kilometre east, 118000–119000; not touching MP-A). Cameras,
/// signals and incidents are added by each test class through the API or SQL.
/// </summary>
#pragma warning disable CA1001 // disposed in DisposeAsync, as xunit fixtures are
public sealed class PortWorldFixture : IAsyncLifetime
#pragma warning restore CA1001
{
    private TestDatabase? _database;
    private GeoRiskApiFactory? _factory;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("fixture not initialised");
    public GeoRiskApiFactory Factory => _factory ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await ExecuteAsync("""
            INSERT INTO area (code, name, kind, geom) VALUES
              ('MP-A', 'Haven A', 'mainport', ST_Multi(ST_MakeEnvelope(116000, 490000, 117000, 491000, 28992))),
              ('MP-B', 'Haven B', 'mainport', ST_Multi(ST_MakeEnvelope(118000, 490000, 119000, 491000, 28992)));
            INSERT INTO casustafel (id, name) VALUES ('haven-a', 'Haven A'), ('haven-b', 'Haven B');
            INSERT INTO casustafel_area (casustafel_id, area_code) VALUES ('haven-a', 'MP-A'), ('haven-b', 'MP-B');
            """);
        _factory = new GeoRiskApiFactory(_database.ConnectionString);
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

    /// <summary>A signal at (x, y) observed at noon (Dutch time) on a day.</summary>
    public async Task AddSignalAsync(string id, double x, double y, string day, string category = "drugshandel", double reliability = 1)
    {
        await using var command = Database.DataSource.CreateCommand("""
            INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
            VALUES ('politie', $1, $2, ($3::date + time '12:00') AT TIME ZONE 'Europe/Amsterdam', $4, ST_SetSRID(ST_MakePoint($5, $6), 28992))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = category });
        command.Parameters.Add(new NpgsqlParameter { Value = DateOnly.Parse(day, CultureInfo.InvariantCulture) });
        command.Parameters.Add(new NpgsqlParameter { Value = (float)reliability });
        command.Parameters.Add(new NpgsqlParameter { Value = x });
        command.Parameters.Add(new NpgsqlParameter { Value = y });
        await command.ExecuteNonQueryAsync();
    }
}
