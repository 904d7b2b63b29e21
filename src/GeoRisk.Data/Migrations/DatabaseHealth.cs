using Npgsql;

namespace GeoRisk.Data.Migrations;

/// <summary>What a health check reports: the PostGIS version and how far the schema is migrated.</summary>
public sealed record DatabaseState(string Postgis, int? Migration, int ExpectedMigration, IReadOnlyList<string> PendingFunctionFiles)
{
    /// <summary>Every numbered migration and every file of sql/functions/ in its current version is applied.</summary>
    public bool Current => Migration == ExpectedMigration && PendingFunctionFiles.Count == 0;
}

/// <summary>The database's state for <c>/health</c>: one connection, three cheap reads.</summary>
public sealed class DatabaseHealth(NpgsqlDataSource dataSource)
{
    public async Task<DatabaseState> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT postgis_lib_version()", connection);
        var postgis = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        var migration = await MigrationRunner.CurrentVersionAsync(connection, cancellationToken);
        // Only meaningful once the numbered migrations are current: the functions rely on their tables.
        IReadOnlyList<string> pending = migration == MigrationRunner.LatestVersion
            ? [.. (await MigrationRunner.PendingRepeatablesAsync(connection, cancellationToken)).Select(r => r.Name)]
            : [];
        return new DatabaseState(postgis, migration, MigrationRunner.LatestVersion, pending);
    }
}
