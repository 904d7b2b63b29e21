using GeoRisk.Core.Access;
using GeoRisk.Core.Scoring;
using GeoRisk.Data.Scoring;
using GeoRisk.Core.Signaallijst;
using GeoRisk.Data;
using GeoRisk.Reports.Signaallijst;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Reports.Factsheets;

/// <summary>Gathers a factsheet's data: the area and its latest score, the period's counts,
/// the surrounding areas for the map, and the top of the casustafel's signal list.</summary>
public sealed class FactsheetStore(NpgsqlDataSource db, SignaallijstStore signaallijst)
{
    public const int TopSignals = 10;

    private static string Sql(string name) => SqlResource.Load(typeof(FactsheetStore).Assembly, name);

    /// <summary>Null when the area does not exist (the endpoint has checked it belongs to the casustafel).</summary>
    public async Task<FactsheetData?> LoadAsync(
        string casustafelName, SignaallijstQuery query, string profile, CallerScope scope, RankingParameters parameters,
        DateTimeOffset generatedAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(scope);
        var area = query.AreaCode ?? throw new ArgumentException("a factsheet is about one area", nameof(query));
        // The four reads need only the area code: they run side by side (a connection each), so the
        // factsheet waits for the slowest (the signal list) instead of their sum.
        var context = ContextAsync(area, ct);
        var labels = LabelsAsync(query.Lang, ct);
        var list = signaallijst.GetAsync(query with { Limit = TopSignals }, scope, parameters, ct);
        try
        {
            var head = await AreaAsync(area, query, profile, scope, ct);
            await Task.WhenAll(context, labels, list);
            if (head is not { } h) return null;
            var (others, contextAreas) = await context;
            var l = await labels;
            return new FactsheetData(casustafelName, h.Code, h.Name, h.Kind, query.From, query.To, generatedAt, h.Score, h.InPeriod, h.Previous,
                (await list).Rows, h.Geom, others, query.Lang, l["category"], l["followup_status"])
            {
                KindLabels = l["area_kind"],
                PrecisionLabels = l["location_precision"],
                Context = contextAreas,
            };
        }
        finally
        {
            // After a failure nothing started may outlive the call (its error is not the one to report).
            await Task.WhenAll(context, labels, list).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private sealed record AreaHead(string Code, string Name, string Kind, Geometry Geom, FactsheetScore? Score, int InPeriod, int Previous);

    private async Task<AreaHead?> AreaAsync(string area, SignaallijstQuery query, string profile, CallerScope scope, CancellationToken ct)
    {
        var reader = new WKBReader();
        await using var cmd = db.CreateCommand(Sql("factsheet_area.sql"));
        cmd.Parameters.Add(new NpgsqlParameter { Value = area, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = profile, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)scope.SqlScope ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = query.From.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = query.To.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        FactsheetScore? score = null;
        if (!r.IsDBNull(4))
        {
            var flags = r.IsDBNull(14) ? null : r.GetString(14);
            var profileName = r.GetString(8);
            var profileVersion = r.GetInt32(9);
            var referenceDate = DateOnly.FromDateTime(r.GetDateTime(10));
            // A relative-risk score stored as its numbers (no document) is rebuilt by the score store.
            var typed = r.GetBoolean(17)
                ? await StoredTypedAsync(r.GetString(0), profileName, profileVersion, referenceDate, ct)
                : flags is not null && flags.Contains("\"relative_risk\"", StringComparison.Ordinal)
                    ? GeoRisk.Core.Scoring.RiskScoreJson.Deserialize(flags)
                    : null;
            typed = typed is null ? null : typed with { Rank = new GeoRisk.Core.Scoring.ScoreRank(r.GetInt32(6), r.GetInt32(7), null) };
            var (candidate, reasons) = typed is null ? ScoreJson.Flags(flags, query.Lang) : (typed.Kandidaat, TrendText.Reasons(typed, query.Lang));
            var components = r.GetBoolean(17)
                // In the order a stored components document gave them (jsonb: shorter keys first), so
                // components of equal value are listed as before.
                ? typed!.Components.OrderBy(c => c.Category.Length).ThenBy(c => c.Category, StringComparer.Ordinal)
                    .Select(c => new ScoreComponent(c.Category, c.Observed)).ToList()
                : ScoreJson.Components(r.IsDBNull(13) ? null : r.GetString(13));
            score = new FactsheetScore(
                r.GetDouble(4), r.GetDouble(5), r.IsDBNull(6) ? 0 : r.GetInt32(6), r.IsDBNull(7) ? 0 : r.GetInt32(7),
                profileName, profileVersion, referenceDate, r.GetInt32(11), r.GetInt32(12),
                components, candidate, reasons) { Typed = typed };
        }
        return new AreaHead(r.GetString(0), r.GetString(1), r.GetString(2), reader.Read((byte[])r[3]), score, r.GetInt32(15), r.GetInt32(16));
    }

    /// <summary>An area's relative-risk score of a stored run as the score endpoint reads it (without rank).</summary>
    private async Task<GeoRisk.Core.Scoring.RiskScore> StoredTypedAsync(string code, string profileName, int version, DateOnly date, CancellationToken ct)
    {
        var scores = new ScoreStore(db);
        var profile = await scores.ProfileAsync(profileName, version, ct)
            ?? throw new InvalidOperationException($"no profile {profileName} v{version} for a stored score");
        var found = await scores.StoredScoresAsync(profile, date, null, code, GeoRisk.Core.Access.CallerScope.Unrestricted, ct);
        return found.Count == 1 ? found[0] : throw new InvalidOperationException($"no stored score of {code} under {profileName} v{version} on {date:yyyy-MM-dd}");
    }

    /// <summary>The surrounding areas for the map, and those of them that are drawn as context (lines and labels).</summary>
    private async Task<(List<Geometry> Others, List<GeoRisk.Rendering.ContextArea> Context)> ContextAsync(string area, CancellationToken ct)
    {
        var reader = new WKBReader();
        var others = new List<Geometry>();
        var context = new List<GeoRisk.Rendering.ContextArea>();
        await using var cmd = db.CreateCommand(Sql("factsheet_context.sql"));
        cmd.Parameters.Add(new NpgsqlParameter { Value = area, NpgsqlDbType = NpgsqlDbType.Text });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var g = reader.Read((byte[])r[0]);
            // Water is context only: it is not one of the surrounding areas drawn beside this one.
            if (r.GetString(1) != GeoRisk.Rendering.ContextLayer.WaterKind) others.Add(g);
            if (GeoRisk.Rendering.ContextLayer.IsContextKind(r.GetString(1)))
                context.Add(new GeoRisk.Rendering.ContextArea(g, r.GetString(1), r.GetString(2), new Coordinate(r.GetDouble(3), r.GetDouble(4))));
        }
        return (others, context);
    }

    /// <summary>
    /// The factsheet's score for the list's category filter or another window (<paramref name="windowDays"/>,
    /// as the score endpoint's window_days): the live score that GET /api/areas/{code}/score?categories=…
    /// gives for the same selection, dated at the period's last day. Unchanged (the stored score) without
    /// a selection, under a percentile profile, or when a category is one the profile does not weigh
    /// (the score endpoint refuses that selection and the web map's panel then shows the stored score).
    /// </summary>
    public async Task<FactsheetData> WithLiveScoreAsync(FactsheetData data, string profileName, IReadOnlyList<string>? categories,
        int? windowDays, DateOnly date, CallerScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        // Without a selection nothing is computed: the profile may be one the list only borrows constants from.
        if (categories is null && windowDays is null) return data;
        var scores = new ScoreStore(db);
        if (await scores.ResolveProfileAsync(profileName, null, ct) is not int version
            || await ScoringProfileOrNullAsync(scores, profileName, version, ct) is not { RelativeRisk: not null } profile
            || !ScoreSelection.IsLive(profile, categories, windowDays)
            || (categories is not null && !ScoreSelection.Weighs(profile, categories)))
            return data;
        var found = await scores.LiveScoresAsync(profile, date, windowDays, categories, null, data.AreaCode, scope, ct);
        if (found.Count == 0) return data;
        var live = found[0];
        return data with
        {
            Score = new FactsheetScore(live.Score, live.Observed, live.Rank?.InKind ?? 0, live.Rank?.Of ?? 0, live.Profile, live.Version,
                live.ReferenceDate, live.SignalCount ?? 0, live.SourceCount ?? 0,
                [.. live.Components.Select(c => new ScoreComponent(c.Category, c.Observed))], live.Kandidaat, TrendText.Reasons(live, data.Lang))
            { Typed = live },
        };
    }

    /// <summary>A profile without the scoring model's keys (e.g. one that only sets the list's constants) has no scores at all.</summary>
    private static async Task<ScoringProfile?> ScoringProfileOrNullAsync(ScoreStore scores, string name, int version, CancellationToken ct)
    {
        try { return await scores.ProfileAsync(name, version, ct); }
        catch (FormatException) { return null; }
    }

    /// <summary>Labels in the factsheet's language, per list (category, followup_status, area_kind, location_precision).</summary>
    private async Task<Dictionary<string, Dictionary<string, string>>> LabelsAsync(string lang, CancellationToken ct)
    {
        var lists = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal)
        {
            ["category"] = [], ["followup_status"] = [], ["area_kind"] = [], ["location_precision"] = [],
        };
        await using var cmd = db.CreateCommand(Sql("labels.sql"));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            lists[r.GetString(0)][r.GetString(1)] = lang == "en" ? r.GetString(3) : r.GetString(2);
        return lists;
    }
}
