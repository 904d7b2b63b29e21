using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Access;

/// <summary>
/// A cloned, migrated database with two small areas of its own and one casustafel reaching one
/// of them, so access tests own every row they count (audit rows, keys).
/// </summary>
public sealed class AccessDatabaseFixture : IAsyncLifetime
{
    public const string Casustafel = "t-inside";
    public const string InsideArea = "T-INSIDE";
    public const string OutsideArea = "T-OUTSIDE";

    public TestDatabase Database { get; private set; } = null!;
    public GeoRiskApiFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        await using var batch = Database.DataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            "INSERT INTO area (code, name, kind, geom) VALUES ($1, 'Test inside', 'custom', ST_Multi(ST_MakeEnvelope(120000, 485000, 121000, 486000, 28992)))",
            InsideArea));
        batch.BatchCommands.Add(Command(
            "INSERT INTO area (code, name, kind, geom) VALUES ($1, 'Test outside', 'custom', ST_Multi(ST_MakeEnvelope(110000, 475000, 111000, 476000, 28992)))",
            OutsideArea));
        batch.BatchCommands.Add(Command("INSERT INTO casustafel (id, name) VALUES ($1, 'Test casustafel')", Casustafel));
        batch.BatchCommands.Add(Command("INSERT INTO casustafel_area (casustafel_id, area_code) VALUES ($1, $2)", Casustafel, InsideArea));
        await batch.ExecuteNonQueryAsync();
        Factory = new GeoRiskApiFactory(Database.ConnectionString);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null) await Factory.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}
