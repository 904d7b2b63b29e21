using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace GeoRisk.Data.Migrations;

/// <summary>A numbered file in <c>sql/</c>, e.g. <c>0001_schema.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

public sealed record MigrationResult(int FromVersion, int ToVersion, IReadOnlyList<Migration> Applied);

public sealed class MigrationException(string message) : Exception(message);

/// <summary>
/// Applies the migrations in <c>sql/</c> in order, each once and in its own transaction,
/// recorded in <c>schema_migration</c>. It refuses a database that is newer than this code
/// or whose applied migrations were edited afterwards: both mean the code and the database
/// disagree about the schema, and guessing would lose data.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource)
{
    private const string ResourcePrefix = "GeoRisk.Migrations.";
    // Any constant: serialises concurrent runners (two deploys, parallel test set-up).
    private const long AdvisoryLockKey = 0x6765_6F72_6973;

    public static IReadOnlyList<Migration> Known { get; } = LoadEmbedded();

    public static int LatestVersion => Known[^1].Version;

    public async Task<MigrationResult> MigrateAsync(Action<Migration>? onApplying = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", AdvisoryLockKey));
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migration (
                    version    int PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);
            var applied = await ReadAppliedAsync(connection, cancellationToken);
            Check(applied);

            var from = applied.Count == 0 ? 0 : applied.Keys.Max();
            var pending = Known.Where(m => !applied.ContainsKey(m.Version)).ToList();
            foreach (var migration in pending)
            {
                onApplying?.Invoke(migration);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
                {
                    command.CommandTimeout = 0;
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                await using (var record = new NpgsqlCommand(
                    "INSERT INTO schema_migration (version, name, checksum) VALUES (@version, @name, @checksum)", connection, transaction))
                {
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("name", migration.Name);
                    record.Parameters.AddWithValue("checksum", migration.Checksum);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
            }
            return new MigrationResult(from, pending.Count > 0 ? pending[^1].Version : from, pending);
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
    }

    /// <summary>The highest applied migration, or null when the database has none.</summary>
    public async Task<int?> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CurrentVersionAsync(connection, cancellationToken);
    }

    /// <summary>The highest applied migration on this connection, or null (also when there is no migrations table yet).</summary>
    public static async Task<int?> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        // Two statements: a query naming a missing table fails at planning, even behind a CASE.
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_migration') IS NOT NULL", connection))
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!) return null;
        await using var command = new NpgsqlCommand("SELECT max(version) FROM schema_migration", connection);
        return await command.ExecuteScalarAsync(cancellationToken) as int?;
    }

    private static void Check(Dictionary<int, string> applied)
    {
        var known = Known.ToDictionary(m => m.Version);
        var newer = applied.Keys.Where(v => v > LatestVersion).Order().ToList();
        if (newer.Count > 0)
            throw new MigrationException(
                $"The database has migration {newer[^1]}, newer than this GeoRisk knows (up to {LatestVersion}). Upgrade GeoRisk instead of running an older version against this database.");
        foreach (var (version, checksum) in applied)
        {
            if (!known.TryGetValue(version, out var migration))
                throw new MigrationException($"The database has migration {version}, which this GeoRisk does not know.");
            if (migration.Checksum != checksum)
                throw new MigrationException(
                    $"Migration {migration.Name} was changed after it was applied to this database. Add a new migration instead of editing an applied one.");
        }
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migration", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) applied[reader.GetInt32(0)] = reader.GetString(1);
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var fileName = resource[ResourcePrefix.Length..];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(fileName[..underscore], out var version))
                throw new MigrationException($"Migration file {fileName} must be named NNNN_description.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, Path.GetFileNameWithoutExtension(fileName), reader.ReadToEnd()));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new MigrationException($"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        if (migrations.Count == 0) throw new MigrationException("No migrations are embedded in GeoRisk.Data.");
        return [.. migrations.OrderBy(m => m.Version)];
    }
}
