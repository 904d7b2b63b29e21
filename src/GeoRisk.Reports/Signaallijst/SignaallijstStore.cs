using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.Core.Signaallijst;
using GeoRisk.Data;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Reports.Signaallijst;

/// <summary>
/// Reads and ranks a casustafel's signal list and keeps the follow-up of its signals. Every
/// read takes the caller's scope: a signal outside it is invisible, also to the corroboration count.
/// </summary>
public sealed class SignaallijstStore(NpgsqlDataSource db)
{
    private static string Sql(string name) => SqlResource.Load(typeof(SignaallijstStore).Assembly, name);

    public async Task<IReadOnlyList<CasustafelInfo>> ListCasustafelsAsync(CallerScope scope, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql("casustafels_list.sql"));
        cmd.Parameters.Add(TextArray(scope.SqlScope));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<CasustafelInfo>();
        while (await r.ReadAsync(ct))
        {
            var areas = JsonSerializer.Deserialize<List<CasustafelArea>>(r.GetString(3), JsonOptions) ?? [];
            double[]? bbox = r.IsDBNull(4) ? null : [r.GetDouble(4), r.GetDouble(5), r.GetDouble(6), r.GetDouble(7)];
            list.Add(new CasustafelInfo(r.GetString(0), r.GetString(1), r.GetString(2), areas, bbox));
        }
        return list;
    }

    /// <summary>The ranking's constants: defaults, overridden by the named scoring profile's
    /// <c>signaallijst</c> section, half-life and category weights when it has them.</summary>
    public async Task<RankingParameters> RankingParametersAsync(string? profile, CancellationToken ct)
    {
        var p = RankingParameters.Default;
        if (string.IsNullOrEmpty(profile)) return p;
        await using var cmd = db.CreateCommand(
            "SELECT params::text FROM scoring_profile WHERE name = $1 ORDER BY version DESC LIMIT 1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = profile, NpgsqlDbType = NpgsqlDbType.Text });
        if (await cmd.ExecuteScalarAsync(ct) is not string json) return p;
        return RankingProfile.Apply(p, json);
    }

    public async Task<SignaallijstResult> GetAsync(
        SignaallijstQuery q, CallerScope scope, RankingParameters parameters, CancellationToken ct)
    {
        // One snapshot for the ranking and the locations of the rows it picks.
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using var cmd = new NpgsqlCommand(Sql("signaallijst_candidates.sql"), connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter { Value = q.CasustafelId, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(TextArray(scope.SqlScope));
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)q.AreaCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(TextArray(q.Categories?.ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter { Value = q.From.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = q.To.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = parameters.CorroborationRadiusM, NpgsqlDbType = NpgsqlDbType.Double });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (int)Math.Round(parameters.CorroborationDays), NpgsqlDbType = NpgsqlDbType.Integer });

        var pool = new List<PlacedSignal>();
        var candidates = new List<(PlacedSignal Placed, string Category, double Reliability)>();
        var details = new Dictionary<long, (string Status, string Precision)>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var id = r.GetInt64(0);
                var placed = new PlacedSignal(id, r.GetString(2), new DateTimeOffset(r.GetDateTime(3), TimeSpan.Zero), r.GetDouble(7), r.GetDouble(8));
                pool.Add(placed);
                if (!r.GetBoolean(9)) continue;
                candidates.Add((placed, r.GetString(1), r.GetFloat(4)));
                details[id] = (r.GetString(6), r.GetString(5));
            }
        }

        var partners = Corroboration.CountOtherPartners(
            pool, candidates.Select(c => c.Placed), parameters.CorroborationRadiusM, parameters.CorroborationDays);
        var ranked = SignalRanking.Rank(
            candidates.Select(c => new SignalCandidate(c.Placed.Id, c.Category, c.Placed.Source, c.Placed.ObservedAt, c.Reliability, partners[c.Placed.Id])),
            parameters, q.To);
        var listed = ranked.Take(q.Limit).ToList();
        var locations = new Dictionary<long, SignalLocation>();
        await using (var located = new NpgsqlCommand(Sql("signaallijst_locations.sql"), connection, transaction))
        {
            located.Parameters.Add(new NpgsqlParameter { Value = q.CasustafelId, NpgsqlDbType = NpgsqlDbType.Text });
            located.Parameters.Add(new NpgsqlParameter { Value = (object?)q.AreaCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            located.Parameters.Add(new NpgsqlParameter { Value = listed.Select(x => x.Signal.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            await using var r = await located.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                double? D(int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
                string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
                var id = r.GetInt64(0);
                locations[id] = new SignalLocation(details[id].Precision, D(1), D(2), D(3), D(4), S(5), S(6));
            }
        }
        await transaction.CommitAsync(ct);
        var rows = listed.Select(x =>
        {
            var d = details[x.Signal.Id];
            return new SignaallijstRow(x.Rank, x.Signal.Id, x.Signal.Category, x.Signal.ObservedAt, locations[x.Signal.Id],
                x.Signal.CorroboratingPartners, d.Status, FollowupWorkflow.NextStatuses(d.Status), x.Priority,
                new RankingFactors(x.Weight, x.Signal.Reliability, x.Recency, x.Corroboration, x.AgeDays), x.Reason(q.Lang));
        }).ToList();
        return new SignaallijstResult(q.CasustafelId, q.AreaCode, q.From, q.To, ranked.Count, parameters, rows);
    }

    /// <summary>The signal's current status, or null when it is not in the casustafel's areas or the caller's reach.</summary>
    public async Task<string?> FollowupStatusAsync(long signalId, string casustafelId, CallerScope scope, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql("signal_followup_state.sql"));
        cmd.Parameters.Add(new NpgsqlParameter { Value = signalId, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = casustafelId, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(TextArray(scope.SqlScope));
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>Records a move that <see cref="FollowupWorkflow.Validate"/> accepted; false when the
    /// signal was no longer in <paramref name="from"/> (a concurrent move won).</summary>
    public async Task<bool> MoveAsync(long signalId, string casustafelId, string from, string to, string note, string actor, CancellationToken ct,
        string? keyId = null, string? role = null)
    {
        await using var cmd = db.CreateCommand(Sql("signal_followup_move.sql"));
        cmd.Parameters.Add(new NpgsqlParameter { Value = signalId, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = note, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = casustafelId, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = actor, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)keyId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)role ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    public async Task<IReadOnlyList<FollowupEntry>> HistoryAsync(long signalId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql("signal_followup_history.sql"));
        cmd.Parameters.Add(new NpgsqlParameter { Value = signalId, NpgsqlDbType = NpgsqlDbType.Bigint });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<FollowupEntry>();
        while (await r.ReadAsync(ct))
        {
            list.Add(new FollowupEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetString(5), new DateTimeOffset(r.GetDateTime(6), TimeSpan.Zero))
            {
                Partner = r.IsDBNull(7) ? null : r.GetString(7),
                PartnerLabelNl = r.IsDBNull(8) ? null : r.GetString(8),
                PartnerLabelEn = r.IsDBNull(9) ? null : r.GetString(9),
                Role = r.IsDBNull(10) ? null : r.GetString(10),
            });
        }
        return list;
    }

    private static NpgsqlParameter TextArray(string[]? values) =>
        new() { Value = (object?)values ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
}
