using GeoRisk.Core.Access;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Scoring;

/// <summary>What a score run stored.</summary>
public sealed record ScoreRunResult(string Profile, int Version, DateOnly ReferenceDate, string? Kind, int Areas, int Kandidaten, double ElapsedMs);

/// <summary>A stored score set against the same computation done again now.</summary>
public sealed record ScoreVerification(string Profile, int Version, DateOnly ReferenceDate, string? Kind, int Compared, int Identical, int Missing, IReadOnlyList<string> Differing);

/// <summary>
/// Runs, stores, reads and verifies risk scores (sql/functions/0400_scoring.sql: score_compute, score_run).
/// Reads return JSON built by PostgreSQL, filtered by the caller's scope.
/// </summary>
public sealed partial class ScoreStore(NpgsqlDataSource dataSource)
{
    private static string Sql(string name) => SqlResource.Load(typeof(ScoreStore).Assembly, name);

    /// <summary>The profile's version: the given one if it exists, else the highest; null when the profile is unknown.</summary>
    public async Task<int?> ResolveProfileAsync(string profile, int? version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT max(version) FROM scoring_profile WHERE name = $1 AND ($2::int IS NULL OR version = $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = profile });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)version ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        return await command.ExecuteScalarAsync(cancellationToken) is int v ? v : null;
    }

    public async Task<bool> KindExistsAsync(string kind, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM area_kind WHERE code = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Computes and stores the scores of all areas (or one kind) valid on the reference date.</summary>
    public async Task<ScoreRunResult> RunAsync(string profile, int version, DateOnly referenceDate, string? kind, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (await ProfileAsync(profile, version, cancellationToken) is { RelativeRisk: not null } relativeRisk)
            return await RunRelativeRiskAsync(relativeRisk, referenceDate, kind, started, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT score_run($1, $2, $3, $4)", connection, transaction) { CommandTimeout = 0 };
        AddRunParameters(command, profile, version, referenceDate, kind);
        var areas = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        await using var count = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE (s.flags ->> 'kandidaat')::boolean)::int
            FROM score s JOIN area a ON a.id = s.area_id
            WHERE s.profile_name = $1 AND s.profile_version = $2 AND s.reference_date = $3 AND ($4::text IS NULL OR a.kind = $4)
            """, connection, transaction);
        AddRunParameters(count, profile, version, referenceDate, kind);
        var kandidaten = (int)(await count.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return new ScoreRunResult(profile, version, referenceDate, kind, areas, kandidaten,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Recomputes a stored run and compares area by area (score, raw, counts exactly; components to 1e-9).</summary>
    public async Task<ScoreVerification> VerifyAsync(string profile, int version, DateOnly referenceDate, string? kind, CancellationToken cancellationToken)
    {
        if (await ProfileAsync(profile, version, cancellationToken) is { RelativeRisk: not null } relativeRisk)
            return await VerifyRelativeRiskAsync(relativeRisk, referenceDate, kind, cancellationToken);
        await using var command = dataSource.CreateCommand(Sql("Scores.verify.sql"));
        command.CommandTimeout = 0;
        AddRunParameters(command, profile, version, referenceDate, kind);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        int compared = 0, identical = 0, missing = 0;
        var differing = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            compared++;
            var code = reader.GetString(0);
            if (reader.IsDBNull(1)) { missing++; differing.Add(code); }
            else if (reader.GetBoolean(1)) identical++;
            else differing.Add(code);
        }
        return new ScoreVerification(profile, version, referenceDate, kind, compared, identical, missing, differing);
    }

    /// <summary>Ranking of a stored run as JSON; null when no run matches.</summary>
    public Task<string?> RankingAsync(string profile, int? version, DateOnly? referenceDate, string? kind, CallerScope scope, CancellationToken cancellationToken) =>
        JsonAsync("Scores.ranking.sql", cancellationToken,
            profile, Int(version), Date(referenceDate), Text(kind), Scope(scope), Int(scope.Suppressed ? scope.SuppressionK : null));

    /// <summary>One area's stored score with components, corroboration, trend and kandidaat reasons; null when none.</summary>
    public Task<string?> AreaScoreAsync(string code, string profile, int? version, DateOnly? referenceDate, CallerScope scope, CancellationToken cancellationToken) =>
        JsonAsync("Scores.area.sql", cancellationToken,
            code, profile, Int(version), Date(referenceDate), Scope(scope), Int(scope.Suppressed ? scope.SuppressionK : null));

    /// <summary>The stored run (profile, version, date, kind) an area's latest score belongs to, for verification.</summary>
    public async Task<(string Profile, int Version, DateOnly Date, string Kind)?> StoredRunOfAreaAsync(
        string code, string profile, int? version, DateOnly? referenceDate, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT s.profile_name, s.profile_version, s.reference_date, a.kind
            FROM score s JOIN area a ON a.id = s.area_id
            WHERE a.code = $1 AND a.valid_to IS NULL AND s.profile_name = $2
              AND ($3::int IS NULL OR s.profile_version = $3) AND ($4::date IS NULL OR s.reference_date = $4)
              AND area_in_scope(a.geom, $5)
            ORDER BY s.reference_date DESC, s.profile_version DESC
            LIMIT 1
            """);
        foreach (var p in new[] { new NpgsqlParameter { Value = code }, new NpgsqlParameter { Value = profile }, Int(version), Date(referenceDate), Scope(scope) })
            command.Parameters.Add(p);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return (reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<DateOnly>(2), reader.GetString(3));
    }

    private async Task<string?> JsonAsync(string sqlFile, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(Sql(sqlFile));
        foreach (var p in parameters)
            command.Parameters.Add(p as NpgsqlParameter ?? new NpgsqlParameter { Value = p });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static void AddRunParameters(NpgsqlCommand command, string profile, int version, DateOnly date, string? kind)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = profile });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        command.Parameters.Add(new NpgsqlParameter { Value = date });
        command.Parameters.Add(Text(kind));
    }

    internal static NpgsqlParameter Int(int? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer };
    internal static NpgsqlParameter Date(DateOnly? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date };
    internal static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
    internal static NpgsqlParameter Scope(CallerScope scope) => new()
    {
        Value = (object?)scope.SqlScope ?? DBNull.Value,
        NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
    };
}
