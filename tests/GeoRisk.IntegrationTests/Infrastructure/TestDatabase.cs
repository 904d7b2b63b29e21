using GeoRisk.Data;
using Npgsql;

namespace GeoRisk.IntegrationTests.Infrastructure;

/// <summary>
/// A database of its own for one test class: a clone of the migrated, empty template that
/// scripts/test.sh prepares, dropped afterwards. Tests never see each other's rows.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = GeoRiskDatabase.CreateDataSource(connectionString);
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Clones the migrated template (default) or creates an empty database with only PostGIS available.</summary>
    public static async Task<TestDatabase> CreateAsync(bool migrated = true)
    {
        var template = migrated ? TestEnvironment.TemplateDatabase : "template0";
        // At most 40 characters, whatever the length of the prefix (a short prefix gives a shorter name).
        var name = $"{TestEnvironment.TemplateDatabase.Replace("_template", "", StringComparison.Ordinal)}_t{Guid.NewGuid():N}";
        name = name[..Math.Min(40, name.Length)];
        await using (var admin = new NpgsqlConnection(TestEnvironment.AdminConnectionString))
        {
            await admin.OpenAsync();
            // Identifiers cannot be parameters; both names are ours (checked pattern), not user input.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Checked(name)}\" TEMPLATE \"{Checked(template)}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.AdminConnectionString) { Database = name };
        return new TestDatabase(name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestEnvironment.AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Checked(Name)}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static string Checked(string identifier) =>
        System.Text.RegularExpressions.Regex.IsMatch(identifier, "^[a-z0-9_]{1,63}$")
            ? identifier : throw new ArgumentException("unexpected database name", nameof(identifier));
}

/// <summary>An xunit class fixture owning one <see cref="TestDatabase"/>.</summary>
public sealed class TestDatabaseFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    public TestDatabase Database => _database ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }
}
