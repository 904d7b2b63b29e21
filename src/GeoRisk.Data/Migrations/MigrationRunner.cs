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

/// <summary>
/// A file in <c>sql/functions/</c>: functions, views and triggers, written to be run again
/// (CREATE OR REPLACE, DROP ... IF EXISTS). It holds the one current definition of what it creates.
/// </summary>
public sealed record RepeatableMigration(string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

public sealed record MigrationResult(int FromVersion, int ToVersion, IReadOnlyList<Migration> Applied, IReadOnlyList<RepeatableMigration> Reapplied);

public sealed class MigrationException(string message) : Exception(message);

/// <summary>
/// Applies the migrations in <c>sql/</c> in order, each once and in its own transaction,
/// recorded in <c>schema_migration</c>. It refuses a database that is newer than this code
/// or whose applied migrations were edited afterwards: both mean the code and the database
/// disagree about the schema, and guessing would lose data. The one exception is a file whose
/// functions moved to <c>sql/functions/</c> (<see cref="SupersededChecksums"/>): its former
/// checksum is accepted as it stands, and nothing runs again.
/// Then the repeatable files of <c>sql/functions/</c> whose checksum differs from the one
/// recorded in <c>schema_repeatable</c> (or that were never applied) run in file-name order,
/// all in one transaction: a function is edited in place, so its history is git's, and a
/// failing file leaves the previous definitions of every file in force.
/// <paramref name="repeatables"/> replaces the embedded <c>sql/functions/</c> set (tests).
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, IReadOnlyList<RepeatableMigration>? repeatables = null)
{
    private const string ResourcePrefix = "GeoRisk.Migrations.";
    private const string RepeatablePrefix = "GeoRisk.Functions.";
    // Any constant: serialises concurrent runners (two deploys, parallel test set-up).
    private const long AdvisoryLockKey = 0x6765_6F72_6973;

    public static IReadOnlyList<Migration> Known { get; } = LoadEmbedded();

    public static int LatestVersion => Known[^1].Version;

    /// <summary>The files of <c>sql/functions/</c>, in the order they are applied.</summary>
    public static IReadOnlyList<RepeatableMigration> KnownRepeatables { get; } = LoadEmbeddedRepeatables();

    private IReadOnlyList<RepeatableMigration> Repeatables { get; } =
        [.. (repeatables ?? KnownRepeatables).OrderBy(r => r.Name, StringComparer.Ordinal)];

    public async Task<MigrationResult> MigrateAsync(Action<Migration>? onApplying = null, Action<RepeatableMigration>? onReapplying = null,
                                                    CancellationToken cancellationToken = default)
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
                    "INSERT INTO schema_migration (version, name, checksum) VALUES (@version, @name, @checksum)", connection, transaction) { CommandTimeout = 0 })
                {
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("name", migration.Name);
                    record.Parameters.AddWithValue("checksum", migration.Checksum);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
            }
            var reapplied = await ApplyRepeatablesAsync(connection, onReapplying, cancellationToken);
            return new MigrationResult(from, pending.Count > 0 ? pending[^1].Version : from, pending, reapplied);
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
    }

    /// <summary>The repeatable files that are new or changed since they were last applied to this database.</summary>
    public async Task<IReadOnlyList<RepeatableMigration>> PendingRepeatablesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await PendingRepeatablesAsync(connection, Repeatables, cancellationToken);
    }

    /// <summary>The embedded repeatable files that this connection's database lacks or has in another version.</summary>
    public static Task<IReadOnlyList<RepeatableMigration>> PendingRepeatablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default) =>
        PendingRepeatablesAsync(connection, KnownRepeatables, cancellationToken);

    private static async Task<IReadOnlyList<RepeatableMigration>> PendingRepeatablesAsync(
        NpgsqlConnection connection, IReadOnlyList<RepeatableMigration> files, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_repeatable') IS NOT NULL", connection))
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!) return files;
        var applied = await ReadAppliedRepeatablesAsync(connection, cancellationToken);
        return [.. files.Where(r => !applied.TryGetValue(r.Name, out var checksum) || checksum != r.Checksum)];
    }

    private async Task<IReadOnlyList<RepeatableMigration>> ApplyRepeatablesAsync(
        NpgsqlConnection connection, Action<RepeatableMigration>? onReapplying, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_repeatable (
                name       text PRIMARY KEY,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);
        var applied = await ReadAppliedRepeatablesAsync(connection, cancellationToken);
        var changed = Repeatables.Where(r => !applied.TryGetValue(r.Name, out var checksum) || checksum != r.Checksum).ToList();
        if (changed.Count == 0) return changed;

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var repeatable in changed)
        {
            onReapplying?.Invoke(repeatable);
            try
            {
                await using var command = new NpgsqlCommand(repeatable.Sql, connection, transaction);
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException ex)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                throw new MigrationException(
                    $"sql/functions/{repeatable.Name}.sql failed ({ex.SqlState}: {ex.MessageText}); no file of sql/functions/ was applied.");
            }
            await using var record = new NpgsqlCommand("""
                INSERT INTO schema_repeatable (name, checksum) VALUES (@name, @checksum)
                ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()
                """, connection, transaction) { CommandTimeout = 0 };
            record.Parameters.AddWithValue("name", repeatable.Name);
            record.Parameters.AddWithValue("checksum", repeatable.Checksum);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    private static async Task<Dictionary<string, string>> ReadAppliedRepeatablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT name, checksum FROM schema_repeatable", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) applied[reader.GetString(0)] = reader.GetString(1);
        return applied;
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
            if (migration.Checksum != checksum && !SupersededChecksums.Accepts(version, checksum))
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
        // No timeout: waiting for another runner's lock or a busy server beats giving up half-way.
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
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

    private static List<RepeatableMigration> LoadEmbeddedRepeatables()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var files = new List<RepeatableMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(RepeatablePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            files.Add(new RepeatableMigration(Path.GetFileNameWithoutExtension(resource[RepeatablePrefix.Length..]), reader.ReadToEnd()));
        }
        return [.. files.OrderBy(f => f.Name, StringComparer.Ordinal)];
    }
}
