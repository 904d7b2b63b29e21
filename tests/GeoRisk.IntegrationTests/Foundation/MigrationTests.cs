using GeoRisk.Data.Migrations;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Foundation;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_a_second_run_applies_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        var runner = new MigrationRunner(database.DataSource);

        Assert.Null(await runner.CurrentVersionAsync());
        var first = await runner.MigrateAsync();
        Assert.Equal(MigrationRunner.Known.Select(m => m.Version), first.Applied.Select(m => m.Version));
        Assert.Equal(MigrationRunner.LatestVersion, await runner.CurrentVersionAsync());

        var second = await runner.MigrateAsync();
        Assert.Empty(second.Applied);
        Assert.Equal(MigrationRunner.Known.Count, (int)await database.ScalarAsync<long>("SELECT count(*) FROM schema_migration"));
        // The schema is really there: the reference data of 0002 is readable.
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM category") >= 18);
    }

    [Fact]
    public async Task A_database_newer_than_the_code_is_refused_and_left_alone()
    {
        await using var database = await TestDatabase.CreateAsync();
        var newer = MigrationRunner.LatestVersion + 1;
        await database.ScalarAsync<int>("INSERT INTO schema_migration (version, name, checksum) VALUES ($1, 'from_the_future', 'x') RETURNING version", newer);

        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(database.DataSource).MigrateAsync());
        Assert.Contains($"migration {newer}", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_afterwards_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ScalarAsync<int>("UPDATE schema_migration SET checksum = 'edited' WHERE version = 1 RETURNING version");

        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(database.DataSource).MigrateAsync());
        Assert.Contains("0001_schema", error.Message, StringComparison.Ordinal);
    }
}
