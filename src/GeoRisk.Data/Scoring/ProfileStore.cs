using GeoRisk.Core.Scoring;
using Npgsql;

namespace GeoRisk.Data.Scoring;

/// <summary>A stored scoring profile version.</summary>
public sealed record ProfileVersion(string Name, int Version, string Model, string Description, DateTimeOffset CreatedAt, System.Text.Json.JsonElement Params);

/// <summary>
/// Scoring profiles: listed, and extended with new versions. A stored version is never changed
/// (stored scores name the exact version that produced them), so there is no update.
/// </summary>
public sealed class ProfileStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<ProfileVersion>> ListAsync(string? name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT name, version, coalesce(params ->> 'model', 'percentile'), description, created_at, params::text
            FROM scoring_profile WHERE ($1::text IS NULL OR name = $1) ORDER BY name, version
            """);
        command.Parameters.Add(ScoreStore.Text(name));
        var list = new List<ProfileVersion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            using var json = System.Text.Json.JsonDocument.Parse(reader.GetString(5));
            list.Add(new ProfileVersion(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), json.RootElement.Clone()));
        }
        return list;
    }

    public async Task<IReadOnlyCollection<string>> CategoriesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT code FROM category");
        var set = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) set.Add(reader.GetString(0));
        return set;
    }

    /// <summary>Stores validated params as the next version of the profile (1 for a new name).</summary>
    public async Task<ProfileVersion> CreateAsync(string name, string description, string paramsJson, CancellationToken cancellationToken)
    {
        // Parse as the scorer will: a profile that validates but cannot be read must not be stored.
        _ = ScoringProfile.Parse(name, 1, paramsJson);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One writer per name at a time, so two admins cannot both take the same next version.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('scoring_profile:' || $1))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = name });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        int version;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO scoring_profile (name, version, description, params)
            SELECT $1, coalesce(max(version), 0) + 1, $2, $3::jsonb FROM scoring_profile WHERE name = $1
            RETURNING version
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = name });
            insert.Parameters.Add(new NpgsqlParameter { Value = description });
            insert.Parameters.Add(new NpgsqlParameter { Value = paramsJson });
            version = (int)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }
        await transaction.CommitAsync(cancellationToken);
        return (await ListAsync(name, cancellationToken)).Single(p => p.Version == version);
    }
}
