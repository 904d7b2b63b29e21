using System.Text.Json;
using GeoRisk.Core.Scans;
using GeoRisk.Core.Scoring;
using GeoRisk.Data.Scoring;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Scans;

/// <summary>What to scan. Null fields take defaults: window ending today, the profile's window, cut-off now.</summary>
public sealed record ScanRequest(string Name, string Parent, string Level, DateOnly WindowTo, int? WindowDays,
    DateTimeOffset? Cutoff, string Profile, int ProfileVersion, int HotspotCellM = 250, string Model = ScanModel.Counts);

public enum ScanRunStatus { Stored, ParentNotFound, NoSubAreas, NameTaken, ProfileNotRelativeRisk }

public sealed record ScanRunOutcome(ScanRunStatus Status, ScanHeader? Scan = null, double ElapsedMs = 0);

/// <summary>A stored scan recomputed from its frozen inputs, compared sub-area by sub-area.</summary>
public sealed record ScanVerification(string Scan, int Compared, int Identical, int Missing, IReadOnlyList<string> Differing);

/// <summary>
/// Runs, stores and reads wijkscans (sql/functions/0900_wijkscan.sql: scan_run, scan_compute). Reads take
/// the caller's scope as a <c>text[]</c> (null = unrestricted): a scan outside it does not exist.
/// </summary>
public sealed class ScanStore(NpgsqlDataSource dataSource)
{
    private static string Sql(string name) => SqlResource.Load(typeof(ScanStore).Assembly, name);

    /// <summary>Whether the caller's scope covers the current boundary of <paramref name="parent"/> (and the area exists).</summary>
    public async Task<bool> ParentVisibleAsync(string parent, string[]? scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM area a WHERE a.code = $1 AND a.valid_to IS NULL
                           AND ($2::text[] IS NULL OR ST_CoveredBy(a.geom, ST_Buffer(scope_geom($2), 1))))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = parent });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scope ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Whether the profile selects the relative-risk model (read from its params, so a percentile profile need not parse as one).</summary>
    private async Task<bool> IsRelativeRiskProfileAsync(string profile, int version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce(params ->> 'model' = $3, false) FROM scoring_profile WHERE name = $1 AND version = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = profile });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        command.Parameters.Add(new NpgsqlParameter { Value = ScoringProfile.RelativeRiskModel });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>The profile's window length in days.</summary>
    public async Task<int> ProfileWindowDaysAsync(string profile, int version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce((params ->> 'window_days')::int, 365) FROM scoring_profile WHERE name = $1 AND version = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = profile });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        return (int)(await command.ExecuteScalarAsync(cancellationToken) ?? 365);
    }

    public async Task<ScanRunOutcome> RunAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var windowDays = request.WindowDays ?? await ProfileWindowDaysAsync(request.Profile, request.ProfileVersion, cancellationToken);
        if (request.Model == ScanModel.ScoreV2 && !await IsRelativeRiskProfileAsync(request.Profile, request.ProfileVersion, cancellationToken))
        {
            return new ScanRunOutcome(ScanRunStatus.ProfileNotRelativeRisk);
        }
        // One cut-off for the counts and the score model: "now" is taken here, not in each query.
        var cutoff = request.Cutoff ?? DateTimeOffset.UtcNow;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM scan WHERE name = $1)", connection, transaction))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = request.Name });
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!) return new ScanRunOutcome(ScanRunStatus.NameTaken);
        }
        await using var command = new NpgsqlCommand("SELECT scan_run($1, $2, $3, $4, $5, coalesce($6, now()), $7, $8, $9, $10)", connection, transaction)
        {
            CommandTimeout = 0,
        };
        command.Parameters.Add(new NpgsqlParameter { Value = request.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Parent });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Level });
        command.Parameters.Add(new NpgsqlParameter { Value = request.WindowTo });
        command.Parameters.Add(new NpgsqlParameter { Value = windowDays });
        command.Parameters.Add(new NpgsqlParameter { Value = cutoff.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Profile });
        command.Parameters.Add(new NpgsqlParameter { Value = request.ProfileVersion });
        command.Parameters.Add(new NpgsqlParameter { Value = request.HotspotCellM });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Model });
        long scanId;
        try
        {
            scanId = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.NoDataFound)
        {
            return new ScanRunOutcome(e.MessageText.StartsWith("no area", StringComparison.Ordinal) ? ScanRunStatus.ParentNotFound : ScanRunStatus.NoSubAreas);
        }
        if (ScanModel.InCode(request.Model))
        {
            var counted = await ReadRowsAsync(connection, transaction, Sql("Scans.rows.sql"), scanId, cancellationToken);
            var rows = await ApplyModelAsync(connection, transaction, request.Model, request.Profile, request.ProfileVersion,
                request.WindowTo, windowDays, cutoff, counted, cancellationToken);
            await StorePosteriorAsync(connection, transaction, scanId, rows, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var header = await HeaderAsync(request.Name, null, cancellationToken);
        await StoreComparisonsAsync(header!.ParentCode, header.Level, cancellationToken);
        return new ScanRunOutcome(ScanRunStatus.Stored, header, elapsed);
    }

    /// <summary>Stored scans the caller may see, newest first per parent and level.</summary>
    public async Task<IReadOnlyList<ScanHeader>> ListAsync(string[]? scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql("Scans.header.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scope ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<ScanHeader>();
        while (await reader.ReadAsync(cancellationToken)) list.Add(ReadHeader(reader));
        return list;
    }

    public async Task<ScanHeader?> HeaderAsync(string name, string[]? scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql("Scans.header.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scope ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadHeader(reader) : null;
    }

    /// <summary>A stored scan with its rows; null when it does not exist or lies outside the scope.</summary>
    public async Task<Scan?> GetAsync(string name, string[]? scope, CancellationToken cancellationToken)
    {
        var header = await HeaderAsync(name, scope, cancellationToken);
        if (header is null) return null;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return new Scan(header, await ReadRowsAsync(connection, null, Sql("Scans.rows.sql"), header.Id, cancellationToken));
    }

    /// <summary>Rows in the column order of Scans.rows.sql (also Scans.recompute.sql).</summary>
    private static async Task<List<ScanRow>> ReadRowsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, long scanId,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        command.Parameters.Add(new NpgsqlParameter { Value = scanId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ScanRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ScanRow(
                reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetString(4),
                reader.GetInt32(5), reader.GetInt32(6),
                JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(7))!,
                Nullable(reader, 8), Nullable(reader, 9), Nullable(reader, 10), Nullable(reader, 11),
                Nullable(reader, 12), Nullable(reader, 13), Nullable(reader, 14), Nullable(reader, 15),
                reader.GetInt32(16), reader.GetBoolean(17), reader.GetInt32(18), reader.GetBoolean(19))
            {
                // Stored rows carry the key sums of their counts; a recomputation (Scans.recompute.sql) does not need them.
                Keys = reader.FieldCount > 20
                    ? new ScanRowKeys(reader.GetInt64(20), reader.GetInt64(21), JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(22))!)
                    : ScanRowKeys.None,
                Observed = reader.FieldCount > 23 && !reader.IsDBNull(23)
                    ? new ScanObserved(reader.GetDouble(23), Nullable(reader, 24), Nullable(reader, 25))
                    : null,
            });
        }
        return rows;
    }

    /// <summary>The profile's minimum signals and sources of a kandidaat.</summary>
    private static async Task<(double MinSignals, double MinSources)> ThresholdsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        string profile, int version, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT coalesce((params -> 'thresholds' ->> 'min_signals')::float8, 0), coalesce((params -> 'thresholds' ->> 'min_sources')::float8, 0)
            FROM scoring_profile WHERE name = $1 AND version = $2
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = profile });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetDouble(0), reader.GetDouble(1)) : (0, 0);
    }

    /// <summary>
    /// A model computed in C# (<see cref="ScanModel.InCode"/>) applied to counted rows (as scan_run stores
    /// them or Scans.recompute.sql computes them again).
    /// </summary>
    private async Task<IReadOnlyList<ScanRow>> ApplyModelAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string model,
        string profile, int version, DateOnly windowTo, int windowDays, DateTimeOffset cutoff, IReadOnlyList<ScanRow> counted,
        CancellationToken cancellationToken)
    {
        var (minSignals, minSources) = await ThresholdsAsync(connection, transaction, profile, version, cancellationToken);
        if (model == ScanModel.PoissonGammaV2) return ScanModel.ApplyPoissonGamma(counted, minSignals, minSources);
        var scoreProfile = await new ScoreStore(dataSource).ProfileAsync(profile, version, cancellationToken)
            ?? throw new InvalidOperationException($"scoring profile {profile} v{version} is gone");
        var scores = await ScoresAtCutoffAsync(scoreProfile, windowTo, windowDays, cutoff, cancellationToken);
        return ScanModel.ApplyScore(counted, scores, minSignals, minSources);
    }

    /// <summary>
    /// The area scores (v2) of every area valid on <paramref name="windowTo"/> for the window, counting
    /// only signals imported at or before the cut-off, by code: the area score's own counting
    /// (<see cref="ScoreStore.ObserveAsync"/>, Scores.observations.sql) and model, so that a sub-area's RR
    /// against the region is its area score's. The cut-off is applied by a temporary view that stands
    /// in for signal_area on this connection only (a session's temporary schema is searched first), so
    /// the score's query is not copied.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, RiskScore>> ScoresAtCutoffAsync(ScoringProfile profile, DateOnly windowTo, int windowDays,
        DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var setting = new NpgsqlCommand("SELECT set_config('georisk.scan_cutoff', $1::timestamptz::text, false)", connection))
        {
            setting.Parameters.Add(new NpgsqlParameter { Value = cutoff.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await setting.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var view = new NpgsqlCommand("""
            CREATE TEMPORARY VIEW signal_area AS
                SELECT * FROM public.signal_area WHERE imported_at <= current_setting('georisk.scan_cutoff')::timestamptz
            """, connection))
        {
            await view.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            var areas = await ScoreStore.ObserveAsync(connection, Sql("Scores.observations.sql"), profile, windowTo, windowDays, null, cancellationToken);
            var live = windowDays != (int)profile.WindowDays;
            return RelativeRiskModel.Score(profile, areas, windowTo, ScoreWindow.For(windowTo, windowDays), null, live ? RiskScore.Live : RiskScore.Stored)
                .ToDictionary(s => s.Code, StringComparer.Ordinal);
        }
        finally
        {
            await using var drop = new NpgsqlCommand("DROP VIEW IF EXISTS pg_temp.signal_area", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Replaces the relative risks, rank and kandidaat of the counted rows scan_run stored by those of a model computed in C#.</summary>
    private static async Task StorePosteriorAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long scanId, IReadOnlyList<ScanRow> rows,
        CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand(Sql("Scans.posterior.sql"), connection, transaction);
        foreach (var value in new object[]
                 {
                     scanId, rows.Select(r => r.Code).ToArray(),
                     rows.Select(r => r.RrParent).ToArray(), rows.Select(r => r.RrParentLow).ToArray(), rows.Select(r => r.RrParentHigh).ToArray(),
                     rows.Select(r => r.RrRegion).ToArray(), rows.Select(r => r.RrRegionLow).ToArray(), rows.Select(r => r.RrRegionHigh).ToArray(),
                     rows.Select(r => r.Rank).ToArray(), rows.Select(r => r.Kandidaat).ToArray(),
                     rows.Select(r => r.Observed?.Observed).ToArray(), rows.Select(r => r.Observed?.ExpectedParent).ToArray(),
                     rows.Select(r => r.Observed?.ExpectedRegion).ToArray(),
                 })
        {
            update.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks a scan as the nulmeting of its parent and level (the previous one stops being it).</summary>
    public async Task<bool> SetBaselineAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var clear = new NpgsqlCommand("""
            UPDATE scan o SET is_baseline = false
            FROM scan s WHERE s.name = $1 AND o.parent_code = s.parent_code AND o.level = s.level AND o.is_baseline AND o.id <> s.id
            """, connection, transaction);
        clear.Parameters.Add(new NpgsqlParameter { Value = name });
        await clear.ExecuteNonQueryAsync(cancellationToken);
        await using var set = new NpgsqlCommand("UPDATE scan SET is_baseline = true WHERE name = $1", connection, transaction);
        set.Parameters.Add(new NpgsqlParameter { Value = name });
        var updated = await set.ExecuteNonQueryAsync(cancellationToken);
        // Comparisons with a scan that is no longer a nulmeting are never served; dropped, not kept.
        await using var dropped = new NpgsqlCommand(
            "DELETE FROM scan_comparison c USING scan b WHERE b.id = c.baseline_scan_id AND NOT b.is_baseline", connection, transaction);
        await dropped.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (updated == 1 && await HeaderAsync(name, null, cancellationToken) is { } header)
            await StoreComparisonsAsync(header.ParentCode, header.Level, cancellationToken);
        return updated == 1;
    }

    /// <summary>
    /// Computes and stores (table scan_comparison) the comparison of every scan with the nulmeting of
    /// its parent and level where that pair is not stored yet: all parents and levels when both are
    /// null (after an upgrade: <c>georisk db migrate</c>). A pair's comparison depends only on the two
    /// frozen scans, so a stored pair is never recomputed. Returns the pairs stored.
    /// </summary>
    public async Task<int> StoreComparisonsAsync(string? parentCode, string? level, CancellationToken cancellationToken)
    {
        var pairs = new List<(string Later, string Baseline)>();
        await using (var missing = dataSource.CreateCommand("""
            SELECT l.name, b.name
            FROM scan l
            JOIN scan b ON b.parent_code = l.parent_code AND b.level = l.level AND b.is_baseline AND b.id <> l.id
            WHERE ($1::text IS NULL OR l.parent_code = $1) AND ($2::text IS NULL OR l.level = $2)
              AND NOT EXISTS (SELECT 1 FROM scan_comparison c WHERE c.later_scan_id = l.id AND c.baseline_scan_id = b.id)
            ORDER BY l.name
            """))
        {
            missing.Parameters.Add(new NpgsqlParameter { Value = (object?)parentCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            missing.Parameters.Add(new NpgsqlParameter { Value = (object?)level ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await using var reader = await missing.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) pairs.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (laterName, baselineName) in pairs)
        {
            var later = await GetAsync(laterName, null, cancellationToken);
            var baseline = await GetAsync(baselineName, null, cancellationToken);
            if (later is null || baseline is null) continue; // deleted meanwhile
            var changes = await CompareAsync(baseline, later, cancellationToken);
            var units = changes.Select(c => new StoredChange(
                (c.LaterCodes.Count > 0 ? c.LaterCodes : c.BaselineCodes)[0], c.BaselineCodes, c.LaterCodes, c.Name, c.Match, c.Class,
                c.BaselineCount, c.BaselineExpected, c.LaterCount, c.LaterExpected, c.BaselineRr, c.LaterRr, c.RrRatio, c.P, c.PAdjusted,
                c.BaselineKeySum, c.LaterKeySum)).ToList();
            await using var insert = dataSource.CreateCommand(Sql("Scans.comparison_store.sql"));
            insert.Parameters.Add(new NpgsqlParameter { Value = later.Header.Id });
            insert.Parameters.Add(new NpgsqlParameter { Value = baseline.Header.Id });
            // JSON keeps every double exactly (shortest round-trip text; PostgreSQL reads it back to the same float8).
            insert.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(units, StoredChangeJson), NpgsqlDbType = NpgsqlDbType.Jsonb });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        return pairs.Count;
    }

    private static readonly JsonSerializerOptions StoredChangeJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A compared unit as Scans.comparison_store.sql reads it.</summary>
    private sealed record StoredChange(string Code, IReadOnlyList<string> BaselineCodes, IReadOnlyList<string> LaterCodes, string Name,
        string Boundary, string Class, long? BaselineCount, double? BaselineExpected, long? LaterCount, double? LaterExpected,
        double? BaselineRr, double? LaterRr, double? RrRatio, double? P, double? PAdjusted, long BaselineKeySum, long LaterKeySum);

    /// <summary>The nulmeting of the scan's parent and level; null when none is marked.</summary>
    public async Task<string?> BaselineOfAsync(ScanHeader scan, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT name FROM scan WHERE parent_code = $1 AND level = $2 AND is_baseline");
        command.Parameters.Add(new NpgsqlParameter { Value = scan.ParentCode });
        command.Parameters.Add(new NpgsqlParameter { Value = scan.Level });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<ScanVerification> VerifyAsync(ScanHeader scan, CancellationToken cancellationToken)
    {
        if (ScanModel.InCode(scan.Model))
        {
            return await VerifyInCodeAsync(scan, cancellationToken);
        }
        await using var command = dataSource.CreateCommand(Sql("Scans.verify.sql"));
        command.CommandTimeout = 0;
        command.Parameters.Add(new NpgsqlParameter { Value = scan.Id });
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
        return new ScanVerification(scan.Name, compared, identical, missing, differing);
    }

    /// <summary>Verify of a model computed in C#: the counting again in SQL, the model on top, compared row by row.</summary>
    private async Task<ScanVerification> VerifyInCodeAsync(ScanHeader scan, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var stored = await ReadRowsAsync(connection, null, Sql("Scans.rows.sql"), scan.Id, cancellationToken);
        var counted = await ReadRowsAsync(connection, null, Sql("Scans.recompute.sql"), scan.Id, cancellationToken);
        var days = scan.WindowTo.DayNumber - scan.WindowFrom.DayNumber + 1;
        var fresh = (await ApplyModelAsync(connection, null, scan.Model, scan.Profile, scan.ProfileVersion, scan.WindowTo, days, scan.Cutoff, counted, cancellationToken))
            .ToDictionary(r => r.Code, StringComparer.Ordinal);
        int identical = 0, missing = 0;
        var differing = new List<string>();
        foreach (var row in stored.OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            if (!fresh.TryGetValue(row.Code, out var again)) { missing++; differing.Add(row.Code); }
            else if (ScanModel.Identical(row, again)) identical++;
            else differing.Add(row.Code);
        }
        return new ScanVerification(scan.Name, stored.Count, identical, missing, differing);
    }

    /// <summary>Compares a later scan with a baseline scan (same parent and level expected by the caller).</summary>
    public async Task<IReadOnlyList<ScanChange>> CompareAsync(Scan baseline, Scan later, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql("Scans.overlaps.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = baseline.Header.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = later.Header.Id });
        var overlaps = new List<ScanOverlap>();
        var changed = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetString(0) == "overlap") overlaps.Add(new ScanOverlap(reader.GetString(1), reader.GetString(2)));
                else changed.Add(reader.GetString(2));
            }
        }
        static ScanUnit Unit(ScanRow r, bool changed) => new(r.Code, r.Name, r.SignalCount, r.ExpectedParent ?? 0, changed) { KeySum = r.Keys.Signals };
        return ScanComparison.Compare(
            baseline.Rows.Select(r => Unit(r, false)).ToList(),
            later.Rows.Select(r => Unit(r, changed.Contains(r.Code))).ToList(),
            overlaps);
    }

    /// <summary>The scan's sub-area boundaries (frozen versions) as GeoJSON in WGS84.</summary>
    public async Task<string> AreasGeoJsonAsync(long scanId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql("Scans.areas.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = scanId });
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static double? Nullable(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static ScanHeader ReadHeader(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        r.GetFieldValue<DateOnly>(5), r.GetFieldValue<DateOnly>(6), r.GetFieldValue<DateTimeOffset>(7),
        r.GetString(8), r.GetInt32(9), r.GetString(10), r.GetInt32(11), r.GetBoolean(12), r.GetFieldValue<DateTimeOffset>(13),
        r.GetInt32(14), r.GetInt32(15));
}
