using GeoRisk.Core.Access;
using GeoRisk.Core.Scoring;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Scoring;

/// <summary>
/// The relative-risk model (profile model "relative-risk"): PostgreSQL counts what each area
/// observed (Scores.observations.sql), <see cref="RelativeRiskModel"/> turns that into scores,
/// and the store writes and reads them in their stored form (<see cref="StoredRiskScore"/>: typed columns of score).
/// </summary>
public sealed partial class ScoreStore
{
    /// <summary>A stored profile, parsed; null when there is no such name and version.</summary>
    public async Task<ScoringProfile?> ProfileAsync(string profile, int version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT params::text FROM scoring_profile WHERE name = $1 AND version = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = profile });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? ScoringProfile.Parse(profile, version, json) : null;
    }

    /// <summary>
    /// Scores every area valid on the date under a relative-risk profile, not stored. A window or a
    /// category selection other than the profile's gives a "live" score of that selection.
    /// </summary>
    public async Task<IReadOnlyList<RiskScore>> ComputeAsync(
        ScoringProfile profile, DateOnly referenceDate, int? windowDays, IReadOnlyList<string>? categories, CancellationToken cancellationToken) =>
        (await ComputeWithKeysAsync(profile, referenceDate, windowDays, categories, cancellationToken)).Scores;

    /// <summary>
    /// <see cref="ComputeAsync"/> with the key sums of what each area's score counts (by area
    /// code), for <see cref="RiskScore.Suppressed"/> and the score table.
    /// </summary>
    public async Task<(IReadOnlyList<RiskScore> Scores, IReadOnlyDictionary<string, ScoreCellKeys> Keys)> ComputeWithKeysAsync(
        ScoringProfile profile, DateOnly referenceDate, int? windowDays, IReadOnlyList<string>? categories, CancellationToken cancellationToken)
    {
        var days = windowDays ?? (int)profile.WindowDays;
        var window = ScoreWindow.For(referenceDate, days);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var keys = new Dictionary<string, ScoreCellKeys>(StringComparer.Ordinal);
        var areas = await ObserveAsync(connection, Sql("Scores.observations.sql"), profile, referenceDate, days, categories, cancellationToken, keys);
        bool live = windowDays is not null && windowDays != (int)profile.WindowDays || categories is not null;
        return (RelativeRiskModel.Score(profile, areas, referenceDate, window, categories, live ? RiskScore.Live : RiskScore.Stored), keys);
    }

    /// <summary>
    /// What the relative-risk model needs of every area valid on the date: the areas with their
    /// exposure (Scores.exposure.sql) and, per window, signal and source counts and the weighted,
    /// decayed sum per category from <paramref name="observationsSql"/> (Scores.observations.sql:
    /// one row per area, period and category). Ordered by area code. PostgreSQL's parallel plan does
    /// not help the counting: with ~4 pairs per group, partial aggregates hardly shrink what the
    /// leader must group, so the planner only parallelises the scan; splitting the areas over two
    /// connections was no faster on the shared two-core machine either.
    /// </summary>
    public static async Task<List<AreaObservation>> ObserveAsync(NpgsqlConnection connection, string observationsSql,
        ScoringProfile profile, DateOnly referenceDate, int windowDays, IReadOnlyList<string>? categories, CancellationToken cancellationToken,
        Dictionary<string, ScoreCellKeys>? keys = null)
    {
        // One snapshot for the areas and their counts: an area imported in between would otherwise
        // have counts but no row.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        // The grouping of every area × signal pair keeps ~170,000 exact sums for the 5,000-area
        // region in memory; below this the planner sorts all pairs instead (5× slower).
        await using (var memory = new NpgsqlCommand("SET LOCAL work_mem = '128MB'", connection, transaction))
            await memory.ExecuteNonQueryAsync(cancellationToken);

        var partnerList = new List<string>();
        var partnerKeys = new List<long>();
        await using (var command = new NpgsqlCommand("SELECT code, record_key FROM source_partner ORDER BY code", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                partnerList.Add(reader.GetString(0));
                partnerKeys.Add(reader.GetInt32(1));
            }
        var partners = partnerList.ToArray();
        // The observation query ORs each signal's partner as one bit of a bigint.
        if (partners.Length > 64)
            throw new InvalidOperationException($"{partners.Length} source partners: the score counts sources of at most 64");
        var byId = new Dictionary<long, (AreaRow Area, PeriodSums Current, PeriodSums Previous)>();
        var order = new List<long>();
        await using (var command = new NpgsqlCommand(Sql("Scores.exposure.sql"), connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = referenceDate });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                byId[id] = (new AreaRow(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetDouble(4), reader.GetString(5)),
                            new PeriodSums(), new PeriodSums());
                order.Add(id);
            }
        }
        await using (var command = new NpgsqlCommand(observationsSql, connection, transaction) { CommandTimeout = 0 })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = profile.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = profile.Version });
            command.Parameters.Add(new NpgsqlParameter { Value = referenceDate });
            command.Parameters.Add(new NpgsqlParameter { Value = windowDays });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)categories?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = partners });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // An area valid on the date is always in byId: both queries read the same snapshot.
                var entry = byId[reader.GetInt64(0)];
                var sums = reader.GetInt32(1) == 0 ? entry.Current : entry.Previous;
                sums.Add(reader.GetString(2), reader.GetInt32(3), (ulong)reader.GetInt64(4), reader.GetDouble(5), reader.GetInt64(6));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        if (keys is not null)
            foreach (var e in byId.Values)
                keys[e.Area.Code] = new ScoreCellKeys(e.Current.KeySum, e.Current.PartnerKeySum(partnerKeys), e.Previous.KeySum);
        return order.Select(id => byId[id]).Select(e => new AreaObservation(e.Area.Code, e.Area.Kind, e.Area.Exposure, e.Area.Unit,
            e.Current.ToObservation(), e.Previous.ToObservation()) { Name = e.Area.Name }).ToList();
    }

    private sealed record AreaRow(string Code, string Name, string Kind, double Exposure, string Unit);

    /// <summary>One area's rows of one period: counts add up, partner bits (bit i for the i-th partner) OR together.</summary>
    private sealed class PeriodSums
    {
        private readonly Dictionary<string, double> weighted = new(StringComparer.Ordinal);
        private ulong partners;
        private int signals;

        /// <summary>The sum of the record keys of the counted signals (cell-key method, docs/access.md).</summary>
        public long KeySum { get; private set; }

        /// <summary>The sum of the record keys of the partners counted (the set bits).</summary>
        public long PartnerKeySum(List<long> partnerKeys)
        {
            long sum = 0;
            for (var i = 0; i < partnerKeys.Count; i++) if ((partners >> i & 1) != 0) sum += partnerKeys[i];
            return sum;
        }

        public void Add(string category, int n, ulong categoryPartners, double categoryWeighted, long keySum)
        {
            signals += n;
            KeySum += keySum;
            partners |= categoryPartners;
            weighted[category] = categoryWeighted;
        }

        public WindowObservation ToObservation()
        {
            if (signals == 0) return new WindowObservation(0, 0, new Dictionary<string, double>());
            return new WindowObservation(signals, System.Numerics.BitOperations.PopCount(partners), weighted);
        }
    }

    private async Task<ScoreRunResult> RunRelativeRiskAsync(ScoringProfile profile, DateOnly referenceDate, string? kind, long started, CancellationToken cancellationToken)
    {
        // The storing transaction starts on a second connection while the first counts: deleting the
        // run's old rows and reading the area ids need nothing the count yields, and run on the other
        // core meanwhile.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var prepared = PrepareStoreAsync(connection, transaction, profile, referenceDate, kind, cancellationToken);
        // Every area takes part in the reference rates and the prior; only the requested kind is stored.
        var computing = ComputeWithKeysAsync(profile, referenceDate, null, null, cancellationToken);
        // Both finish before either's error surfaces: the connection is not disposed under a running command.
        await Task.WhenAll(prepared, computing);
        var areaIds = await prepared;
        var (computed, keys) = await computing;
        var scores = computed.Where(s => kind is null || s.Kind == kind).ToList();

        // Rank is context that depends on the other stored rows: it is added when read, not stored.
        // Each score is stored as its numbers (StoredRiskScore) in typed columns: no document to
        // serialise, and nothing for PostgreSQL to parse or compress. They go in as one array per
        // column (Scores.store.sql): writing them value by value (binary COPY) cost the client ~0.13 ms
        // per row, most of the storing.
        var rows = scores.Select(score => StoredRiskScore.Of(profile, score)).ToArray();
        var components = RelativeRiskModel.Counted(profile, null).Count;
        await using (var insert = new NpgsqlCommand(Sql("Scores.store.sql"), connection, transaction))
        {
            var p = insert.Parameters;
            p.Add(new NpgsqlParameter { Value = profile.Name });
            p.Add(new NpgsqlParameter { Value = profile.Version });
            p.Add(new NpgsqlParameter { Value = referenceDate });
            p.Add(new NpgsqlParameter { Value = scores.Select(s => areaIds[s.Code]).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Score).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Observed).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.SignalCount).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.SourceCount).ToArray() });
            p.Add(new NpgsqlParameter { Value = scores.Select(s => keys[s.Code].Signals).ToArray() });
            p.Add(new NpgsqlParameter { Value = scores.Select(s => keys[s.Code].Sources).ToArray() });
            p.Add(new NpgsqlParameter { Value = scores.Select(s => keys[s.Code].PreviousSignals).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Kandidaat).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Expected).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Mean).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Lower).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Upper).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Exposure).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Unit).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.ReferenceRate).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.PriorShape).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Corroboration).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.PreviousRelativeRisk).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.PreviousObserved).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.PreviousExpected).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.PreviousSignalCount).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.RateRatio).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.PValue).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
            p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Direction).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.SelectMany(r => r.ComponentObserved).ToArray() });
            p.Add(new NpgsqlParameter { Value = rows.SelectMany(r => r.ComponentExpected).ToArray() });
            p.Add(new NpgsqlParameter { Value = components });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var bump = new NpgsqlCommand("UPDATE data_version SET version = version + 1, changed_at = now() WHERE name = 'score'", connection, transaction))
            await bump.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ScoreRunResult(profile.Name, profile.Version, referenceDate, kind, scores.Count, scores.Count(s => s.Kandidaat),
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Deletes the run's stored rows (the kind's, or all) and returns the ids of the areas valid on the date, by code.</summary>
    private static async Task<Dictionary<string, long>> PrepareStoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        ScoringProfile profile, DateOnly referenceDate, string? kind, CancellationToken cancellationToken)
    {
        await using (var delete = new NpgsqlCommand("""
            DELETE FROM score s USING area a
            WHERE s.area_id = a.id AND s.profile_name = $1 AND s.profile_version = $2 AND s.reference_date = $3
              AND ($4::text IS NULL OR a.kind = $4)
            """, connection, transaction))
        {
            AddRunParameters(delete, profile.Name, profile.Version, referenceDate, kind);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        var areaIds = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var ids = new NpgsqlCommand(
            "SELECT code, id FROM area WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)", connection, transaction);
        ids.Parameters.Add(new NpgsqlParameter { Value = referenceDate });
        await using var reader = await ids.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) areaIds[reader.GetString(0)] = reader.GetInt64(1);
        return areaIds;
    }

    /// <summary>
    /// Stored relative-risk scores of one run (latest date unless given), ranked in their kind, best
    /// first; counts below k withheld for a suppressed caller. Empty when nothing is stored.
    /// </summary>
    public async Task<IReadOnlyList<RiskScore>> StoredScoresAsync(
        ScoringProfile profile, DateOnly? referenceDate, string? kind, string? code, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql("Scores.stored.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = profile.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = profile.Version });
        command.Parameters.Add(Date(referenceDate));
        command.Parameters.Add(Text(kind));
        command.Parameters.Add(Text(code));
        command.Parameters.Add(Scope(scope));
        var list = new List<RiskScore>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var score = ReadStored(reader, 6, profile) with
            {
                Rank = new ScoreRank(reader.GetInt32(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetDouble(2)),
            };
            list.Add(scope.Suppressed
                ? score.Suppressed(scope.SuppressionK, new ScoreCellKeys(reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)))
                : score);
        }
        return list;
    }

    /// <summary>
    /// A stored relative-risk score from the columns of Scores.stored.sql starting at <paramref name="first"/>:
    /// the RiskScore JSON of a row stored before the numbers had columns, else the numbers rebuilt by
    /// <see cref="StoredRiskScore.ToScore"/>. Without rank.
    /// </summary>
    private static RiskScore ReadStored(NpgsqlDataReader reader, int first, ScoringProfile profile)
    {
        if (!reader.IsDBNull(first)) return RiskScoreJson.Deserialize(reader.GetString(first)) with { Rank = null };
        var i = first + 1;
        string code = reader.GetString(i++), name = reader.GetString(i++), kind = reader.GetString(i++);
        var date = reader.GetFieldValue<DateOnly>(i++);
        double Next() => reader.GetDouble(i++);
        double? NextOrNull() { var v = reader.IsDBNull(i) ? (double?)null : reader.GetDouble(i); i++; return v; }
        double score = Next(), observed = Next(), expected = Next(), mean = Next(), lower = Next(), upper = Next(), exposure = Next();
        var unit = reader.GetString(i++);
        double referenceRate = Next(), priorShape = Next();
        int signals = reader.GetInt32(i++), sources = reader.GetInt32(i++);
        var corroboration = Next();
        var componentObserved = reader.GetFieldValue<double[]>(i++);
        var componentExpected = reader.GetFieldValue<double[]>(i++);
        double previousMean = Next(), previousObserved = Next(), previousExpected = Next();
        var previousSignals = reader.GetInt32(i++);
        double? rateRatio = NextOrNull(), pValue = NextOrNull();
        var direction = reader.GetString(i++);
        var kandidaat = reader.GetBoolean(i);
        return new StoredRiskScore(score, observed, expected, mean, lower, upper, exposure, unit, referenceRate, priorShape,
                signals, sources, corroboration, componentObserved, componentExpected,
                previousMean, previousObserved, previousExpected, previousSignals, rateRatio, pValue, direction, kandidaat)
            .ToScore(profile, code, name, kind, date);
    }

    private async Task<ScoreVerification> VerifyRelativeRiskAsync(ScoringProfile profile, DateOnly referenceDate, string? kind, CancellationToken cancellationToken)
    {
        var fresh = (await ComputeAsync(profile, referenceDate, null, null, cancellationToken)).Where(s => kind is null || s.Kind == kind).ToList();
        var stored = (await StoredScoresAsync(profile, referenceDate, kind, null, CallerScope.Unrestricted, cancellationToken)).ToDictionary(s => s.Code);
        int identical = 0, missing = 0;
        var differing = new List<string>();
        foreach (var f in fresh.OrderBy(f => f.Code, StringComparer.Ordinal))
        {
            if (!stored.TryGetValue(f.Code, out var s)) { missing++; differing.Add(f.Code); continue; }
            bool same = s.Score == f.Score && s.Observed == f.Observed && s.SignalCount == f.SignalCount && s.SourceCount == f.SourceCount
                && s.Kandidaat == f.Kandidaat && s.Components.Count == f.Components.Count
                && s.Components.Zip(f.Components).All(p => p.First.Category == p.Second.Category
                    && Math.Abs(p.First.Observed - p.Second.Observed) <= 1e-9 * Math.Max(1, Math.Abs(p.Second.Observed)));
            if (same) identical++; else differing.Add(f.Code);
        }
        return new ScoreVerification(profile.Name, profile.Version, referenceDate, kind, fresh.Count, identical, missing, differing);
    }
}
