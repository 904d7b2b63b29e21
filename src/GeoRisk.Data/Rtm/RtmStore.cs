using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GeoRisk.Core.Access;
using GeoRisk.Core.Hexagons;
using GeoRisk.Core.Rtm;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Rtm;

/// <summary>A kind of risk factor (reference data, extendable by admins), with how many layers and features it has.</summary>
public sealed record FactorKind(string Code, string LabelNl, string LabelEn, string Description, int Layers, long Features);

/// <summary>What a model is fitted on. Periods are half-open [from, to), in Dutch local dates.</summary>
public sealed record RtmRequest(string StudyArea, string Name, DateOnly FitFrom, DateOnly FitTo, DateOnly TestFrom, DateOnly TestTo,
    IReadOnlyList<string>? Categories, IReadOnlyList<string>? Factors, RtmSettings Settings);

/// <summary>A stored model: header and its JSON parts (inputs, fit, validation) as stored.</summary>
public sealed record RtmModelCard(long Id, string StudyArea, int Version, string Name, int CellSizeM, DateTimeOffset CreatedAt, int CellCount,
    JsonElement Inputs, JsonElement Fit, JsonElement Validation);

/// <summary>One cell of a stored model; counts are null where suppressed for the caller.</summary>
public sealed record RtmCellRow(int Q, int R, double Lon, double Lat, double Rrs, double Expected, long? FitCount, long? TestCount, IReadOnlyList<string> Factors);

/// <summary>A cell with high terrain risk and few signals, ranked.</summary>
public sealed record BlindSpot(int Rank, int Q, int R, double Lon, double Lat, double Rrs, double Expected, IReadOnlyList<string> Factors);

/// <summary>A model request the data cannot answer (unknown factor kind or category, no cells, no signals).</summary>
public sealed class RtmInputException(string message) : Exception(message);

/// <summary>
/// Builds, stores and reads gelegenheidskaart models. PostGIS computes the inputs (cells of the
/// study area, distances to factor features, signal counts per period: sql/functions/2000_rtm.sql),
/// <see cref="RiskTerrainModel"/> fits them, and the model is stored with every input that
/// decided it. Models are read within the caller's reach (the study area must be in it).
/// </summary>
public sealed class RtmStore(NpgsqlDataSource dataSource)
{
    public const int CellSizeM = 100;

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    // ---- factor kinds ---------------------------------------------------------------------

    public async Task<List<FactorKind>> FactorKindsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT k.code, k.label_nl, k.label_en, k.description,
                   count(DISTINCT d.id)::int, count(f.id)
            FROM rtm_factor_kind k
            LEFT JOIN overlay_dataset d ON d.factor_kind = k.code
            LEFT JOIN overlay_feature f ON f.dataset_id = d.id
            GROUP BY k.code ORDER BY k.sort_order, k.code
            """);
        var kinds = new List<FactorKind>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            kinds.Add(new FactorKind(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetInt64(5)));
        return kinds;
    }

    /// <summary>Adds a factor kind; false when the code exists already.</summary>
    public async Task<bool> AddFactorKindAsync(string code, string labelNl, string labelEn, string description, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO rtm_factor_kind (code, label_nl, label_en, description) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(new NpgsqlParameter { Value = labelNl });
        command.Parameters.Add(new NpgsqlParameter { Value = labelEn });
        command.Parameters.Add(new NpgsqlParameter { Value = description });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    // ---- building a model -----------------------------------------------------------------

    /// <summary>
    /// The model's inputs as PostGIS gives them: cells (q, r order), factor distances, counts of
    /// both periods, and the key sums of those counts (cell-key method: stored, never served).
    /// </summary>
    public sealed record ModelInputs(List<HexCell> Cells, List<FactorDistances> Factors, double[] FitCounts, double[] TestCounts, List<string> Kinds)
    {
        public long[] FitKeySums { get; init; } = new long[Cells.Count];
        public long[] TestKeySums { get; init; } = new long[Cells.Count];
    }

    public async Task<bool> StudyAreaExistsAsync(string code, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM area a WHERE a.code = $1 AND a.valid_to IS NULL AND area_in_reach(a.geom, scope_reach($2::text[])))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scope.SqlScope ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<ModelInputs> LoadInputsAsync(RtmRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var kinds = await ResolveKindsAsync(connection, request.Factors, cancellationToken);
        if (request.Categories is { Count: > 0 } categories)
        {
            await using var check = new NpgsqlCommand("SELECT array_agg(c) FROM unnest($1::text[]) c WHERE c NOT IN (SELECT code FROM category)", connection);
            check.Parameters.Add(new NpgsqlParameter { Value = categories.ToArray() });
            if (await check.ExecuteScalarAsync(cancellationToken) is string[] { Length: > 0 })
                throw new RtmInputException("unknown category; GET /api/categories lists the codes");
        }
        var cells = new List<HexCell>();
        await using (var command = new NpgsqlCommand("SELECT q, r FROM rtm_cells($1, $2) ORDER BY q, r", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = request.StudyArea });
            command.Parameters.Add(new NpgsqlParameter { Value = CellSizeM });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) cells.Add(new HexCell(CellSizeM, reader.GetInt32(0), reader.GetInt32(1)));
        }
        if (cells.Count < 3) throw new RtmInputException("the study area holds fewer than three cells of the 100 m grid");
        var index = new Dictionary<(int, int), int>(cells.Count);
        for (int i = 0; i < cells.Count; i++) index[(cells[i].Q, cells[i].R)] = i;
        var perKind = kinds.ToDictionary(k => k, _ => new double[]?[cells.Count], StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT q, r, kind, distances FROM rtm_design($1, $2, $3, $4)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = request.StudyArea });
            command.Parameters.Add(new NpgsqlParameter { Value = CellSizeM });
            command.Parameters.Add(new NpgsqlParameter { Value = kinds.ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = (double)request.Settings.ReachMetres });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                if (index.TryGetValue((reader.GetInt32(0), reader.GetInt32(1)), out var i))
                    perKind[reader.GetString(2)][i] = reader.GetFieldValue<double[]>(3);
        }
        var (fit, fitKeys) = await CountsAsync(connection, request, request.FitFrom, request.FitTo, index, cancellationToken);
        var (test, testKeys) = await CountsAsync(connection, request, request.TestFrom, request.TestTo, index, cancellationToken);
        return new ModelInputs(cells, kinds.Select(k => new FactorDistances(k, perKind[k])).ToList(), fit, test, kinds)
        {
            FitKeySums = fitKeys,
            TestKeySums = testKeys,
        };
    }

    private static async Task<List<string>> ResolveKindsAsync(NpgsqlConnection connection, IReadOnlyList<string>? requested, CancellationToken cancellationToken)
    {
        // Without a list: every kind that has features.
        await using var command = new NpgsqlCommand("""
            SELECT k.code, EXISTS (SELECT 1 FROM overlay_dataset d JOIN overlay_feature f ON f.dataset_id = d.id WHERE d.factor_kind = k.code)
            FROM rtm_factor_kind k ORDER BY k.sort_order, k.code
            """, connection);
        var all = new List<(string Code, bool HasFeatures)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) all.Add((reader.GetString(0), reader.GetBoolean(1)));
        if (requested is null || requested.Count == 0)
        {
            var withFeatures = all.Where(k => k.HasFeatures).Select(k => k.Code).ToList();
            if (withFeatures.Count == 0) throw new RtmInputException("no risk-factor layer has been imported yet (POST /api/rtm/factors/import)");
            return withFeatures;
        }
        var unknown = requested.Where(r => !all.Any(k => k.Code == r)).ToList();
        if (unknown.Count > 0) throw new RtmInputException($"unknown factor kind; GET /api/rtm/factor-kinds lists the codes ({unknown.Count} not found)");
        return requested.Distinct(StringComparer.Ordinal).ToList();
    }

    private static async Task<(double[] Counts, long[] KeySums)> CountsAsync(NpgsqlConnection connection, RtmRequest request, DateOnly from, DateOnly to,
        Dictionary<(int, int), int> index, CancellationToken cancellationToken)
    {
        var counts = new double[index.Count];
        var keySums = new long[index.Count];
        await using var command = new NpgsqlCommand("""
            SELECT q, r, n, key_sum FROM rtm_counts($1, $2, ($3::date)::timestamp AT TIME ZONE 'Europe/Amsterdam',
                                           ($4::date)::timestamp AT TIME ZONE 'Europe/Amsterdam', $5)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = request.StudyArea });
        command.Parameters.Add(new NpgsqlParameter { Value = CellSizeM });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Categories is { Count: > 0 } c ? c.ToArray() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (index.TryGetValue((reader.GetInt32(0), reader.GetInt32(1)), out var i))
            {
                counts[i] = reader.GetInt32(2);
                keySums[i] = reader.GetInt64(3);
            }
        }
        return (counts, keySums);
    }

    /// <summary>Fits and stores a model; returns its card. Throws <see cref="RtmInputException"/> or <see cref="RtmException"/> on inputs that cannot make a model.</summary>
    public async Task<RtmModelCard> BuildAsync(RtmRequest request, CancellationToken cancellationToken)
    {
        var inputs = await LoadInputsAsync(request, cancellationToken);
        var fit = RiskTerrainModel.Fit(inputs.FitCounts, inputs.Factors, request.Settings);
        var validation = new RtmValidation(
            RtmValidationMeasures.TopShare(fit.Rrs, inputs.TestCounts),
            RtmValidationMeasures.TopShare(RtmValidationMeasures.HotspotScores(inputs.Cells, inputs.FitCounts), inputs.TestCounts));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var datasets = new List<object>();
        await using (var command = new NpgsqlCommand("""
            SELECT d.code, d.factor_kind, d.programme, count(f.id) FROM overlay_dataset d LEFT JOIN overlay_feature f ON f.dataset_id = d.id
            WHERE d.factor_kind = ANY ($1) GROUP BY d.id ORDER BY d.code
            """, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = inputs.Kinds.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                datasets.Add(new { code = reader.GetString(0), kind = reader.GetString(1), programme = reader.GetString(2), features = reader.GetInt64(3) });
        }
        // One version number per study area: concurrent builds of the same area take turns.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('rtm:' || $1))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = request.StudyArea });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        var inputJson = JsonSerializer.Serialize(new
        {
            study_area = request.StudyArea,
            cell_size_m = CellSizeM,
            fit_period = new { from = request.FitFrom, to = request.FitTo },
            test_period = new { from = request.TestFrom, to = request.TestTo },
            categories = request.Categories is { Count: > 0 } c ? c : null,
            factor_kinds = inputs.Kinds,
            distances = request.Settings.Distances,
            bandwidths = request.Settings.Bandwidths,
            density_sds = request.Settings.DensitySds,
            confidence = request.Settings.Confidence,
            datasets,
        }, Json);
        var fitJson = JsonSerializer.Serialize(new
        {
            intercept = fit.Intercept,
            intercept_standard_error = fit.InterceptStandardError,
            base_rate = Math.Exp(fit.Intercept),
            factors = fit.Factors,
            candidates = fit.Candidates,
            steps = fit.Steps,
            bic = fit.Bic,
            null_bic = fit.NullBic,
            log_likelihood = fit.LogLikelihood,
            dispersion = fit.Dispersion,
            cells = fit.Cells,
            signals = fit.Signals,
            test_signals = inputs.TestCounts.Sum(),
            rrs_max = fit.Rrs.Max(),
        }, Json);
        var validationJson = JsonSerializer.Serialize(validation, Json);
        long id;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO rtm_model (study_area, version, name, cell_size_m, inputs, fit, validation, cell_count)
            SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7 FROM rtm_model WHERE study_area = $1
            RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = request.StudyArea });
            insert.Parameters.Add(new NpgsqlParameter { Value = request.Name });
            insert.Parameters.Add(new NpgsqlParameter { Value = CellSizeM });
            insert.Parameters.Add(new NpgsqlParameter { Value = inputJson });
            insert.Parameters.Add(new NpgsqlParameter { Value = fitJson });
            insert.Parameters.Add(new NpgsqlParameter { Value = validationJson });
            insert.Parameters.Add(new NpgsqlParameter { Value = inputs.Cells.Count });
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }
        await using (var cells = new NpgsqlCommand("""
            INSERT INTO rtm_cell (model_id, q, r, rrs, expected, fit_count, test_count, factors, geom_3857, fit_key_sum, test_key_sum)
            SELECT $1, t.q, t.r, t.rrs, t.expected, t.fit_count, t.test_count,
                   CASE WHEN t.factors = '' THEN '{}'::text[] ELSE string_to_array(t.factors, ',') END,
                   ST_Transform(hex_polygon($9, t.q, t.r), 3857), t.fit_key_sum, t.test_key_sum
            FROM unnest($2::int[], $3::int[], $4::float8[], $5::float8[], $6::int[], $7::int[], $8::text[], $10::bigint[], $11::bigint[])
                 AS t(q, r, rrs, expected, fit_count, test_count, factors, fit_key_sum, test_key_sum)
            """, connection, transaction))
        {
            cells.Parameters.Add(new NpgsqlParameter { Value = id });
            cells.Parameters.Add(new NpgsqlParameter { Value = inputs.Cells.Select(c => c.Q).ToArray() });
            cells.Parameters.Add(new NpgsqlParameter { Value = inputs.Cells.Select(c => c.R).ToArray() });
            cells.Parameters.Add(new NpgsqlParameter { Value = fit.Rrs });
            cells.Parameters.Add(new NpgsqlParameter { Value = fit.Expected });
            cells.Parameters.Add(new NpgsqlParameter { Value = inputs.FitCounts.Select(v => (int)v).ToArray() });
            cells.Parameters.Add(new NpgsqlParameter { Value = inputs.TestCounts.Select(v => (int)v).ToArray() });
            cells.Parameters.Add(new NpgsqlParameter { Value = fit.Present.Select(p => string.Join(',', p)).ToArray() });
            cells.Parameters.Add(new NpgsqlParameter { Value = CellSizeM });
            cells.Parameters.Add(new NpgsqlParameter { Value = inputs.FitKeySums });
            cells.Parameters.Add(new NpgsqlParameter { Value = inputs.TestKeySums });
            await cells.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return (await ModelAsync(id, CallerScope.Unrestricted, cancellationToken))!;
    }

    // ---- reading --------------------------------------------------------------------------

    private const string CardColumns = "m.id, m.study_area, m.version, m.name, m.cell_size_m, m.created_at, m.cell_count, m.inputs::text, m.fit::text, m.validation::text";

    /// <summary>
    /// A model whose study area is in the caller's reach, else null. A suppressed caller gets the
    /// card as <see cref="PublishedCard"/> makes it.
    /// </summary>
    public async Task<RtmModelCard?> ModelAsync(long id, CallerScope scope, CancellationToken cancellationToken)
    {
        var models = await CardsAsync($"""
            SELECT {CardColumns} FROM rtm_model m JOIN area a ON a.code = m.study_area AND a.valid_to IS NULL
            WHERE m.id = $1 AND area_in_reach(a.geom, scope_reach($2::text[]))
            """, id, scope, cancellationToken);
        return (await PublishedAsync(models, scope, cancellationToken)).SingleOrDefault();
    }

    /// <summary>The cards as the caller may see them: unchanged, or for a suppressed caller as <see cref="PublishedCard"/> makes them.</summary>
    private async Task<List<RtmModelCard>> PublishedAsync(List<RtmModelCard> cards, CallerScope scope, CancellationToken cancellationToken)
    {
        if (!scope.Suppressed || cards.Count == 0) return cards;
        await using var command = dataSource.CreateCommand("""
            SELECT model_id, sum(fit_count)::bigint, sum(fit_key_sum)::bigint, sum(test_count)::bigint, sum(test_key_sum)::bigint
            FROM rtm_cell WHERE model_id = ANY ($1) GROUP BY model_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = cards.Select(c => c.Id).ToArray() });
        var totals = new Dictionary<long, (long Fit, long FitKeys, long Test, long TestKeys)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                totals[reader.GetInt64(0)] = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        return cards.Select(c =>
        {
            var t = totals.GetValueOrDefault(c.Id);
            return PublishedCard(c, Suppression.Publish(t.Fit, t.FitKeys, scope.SuppressionK).Value,
                Suppression.Publish(t.Test, t.TestKeys, scope.SuppressionK).Value);
        }).ToList();
    }

    /// <summary>
    /// The card a suppressed caller gets: the study area's signal totals (the sums of the cells'
    /// counts) published by the cell-key method with the summed key sums, as the cells are; the
    /// validation's hit counts withheld and its hit rates and PAI rounded to two decimals, so that
    /// two models of one study area that differ by a category do not give the difference away.
    /// The fitted coefficients and intervals are statistics of the fit, not counts, and stay.
    /// </summary>
    private static RtmModelCard PublishedCard(RtmModelCard card, long? fitSignals, long? testSignals)
    {
        var fit = JsonNode.Parse(card.Fit.GetRawText())!.AsObject();
        fit["signals"] = fitSignals;
        fit["test_signals"] = testSignals;
        var validation = JsonNode.Parse(card.Validation.GetRawText());
        if (validation is JsonObject parts)
            foreach (var (_, part) in parts)
                if (part is JsonObject figures)
                {
                    if (figures.ContainsKey("signals")) figures["signals"] = testSignals;
                    if (figures.ContainsKey("hits")) figures["hits"] = null;
                    foreach (var name in new[] { "hit_rate", "pai" })
                        if (figures[name] is JsonValue v && v.TryGetValue(out double x))
                            figures[name] = Math.Round(x, 2, MidpointRounding.AwayFromZero);
                }
        return card with { Fit = JsonElement(fit.ToJsonString()), Validation = JsonElement(validation?.ToJsonString() ?? "null") };
    }

    /// <summary>The models in the caller's reach, newest first; optionally of one study area.</summary>
    public async Task<List<RtmModelCard>> ModelsAsync(string? studyArea, CallerScope scope, CancellationToken cancellationToken) =>
        await PublishedAsync(await CardsAsync($"""
            SELECT {CardColumns} FROM rtm_model m JOIN area a ON a.code = m.study_area AND a.valid_to IS NULL
            WHERE ($1::text IS NULL OR m.study_area = $1) AND area_in_reach(a.geom, scope_reach($2::text[]))
            ORDER BY m.created_at DESC, m.id DESC LIMIT 200
            """, studyArea, scope, cancellationToken), scope, cancellationToken);

    private async Task<List<RtmModelCard>> CardsAsync(string sql, object? first, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(first is long l ? new NpgsqlParameter { Value = l } : new NpgsqlParameter { Value = first ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scope.SqlScope ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var cards = new List<RtmModelCard>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cards.Add(new RtmModelCard(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetInt32(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt32(6),
                JsonElement(reader.GetString(7)), JsonElement(reader.GetString(8)), JsonElement(reader.GetString(9))));
        }
        return cards;
    }

    private static JsonElement JsonElement(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>
    /// The cells of a model (q, r order); optionally only those whose centre lies in an area.
    /// Suppressed callers get each count as <see cref="Suppression.Publish"/> gives it with the key
    /// sum stored beside it (cell-key method), so that two models of one study area cannot be
    /// subtracted cell by cell.
    /// </summary>
    public async Task<List<RtmCellRow>> CellsAsync(long modelId, string? within, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH w AS (SELECT geom FROM area WHERE code = $2 AND valid_to IS NULL)
            SELECT c.q, c.r, ST_X(p.pt), ST_Y(p.pt), c.rrs, c.expected, c.fit_count, c.test_count, c.factors, c.fit_key_sum, c.test_key_sum
            FROM rtm_cell c
            JOIN rtm_model m ON m.id = c.model_id
            CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(1.5 * m.cell_size_m * c.q, sqrt(3) * m.cell_size_m * (c.r + c.q / 2.0)), 28992) AS rd) x
            CROSS JOIN LATERAL (SELECT ST_Transform(x.rd, 4326) AS pt) p
            WHERE c.model_id = $1 AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM w WHERE ST_Intersects(w.geom, x.rd)))
            ORDER BY c.q, c.r
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = modelId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)within ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var rows = new List<RtmCellRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new RtmCellRow(reader.GetInt32(0), reader.GetInt32(1), Math.Round(reader.GetDouble(2), 6), Math.Round(reader.GetDouble(3), 6),
                reader.GetDouble(4), reader.GetDouble(5),
                Suppression.Count(reader.GetInt32(6), reader.GetInt64(9), scope).Value, Suppression.Count(reader.GetInt32(7), reader.GetInt64(10), scope).Value,
                reader.GetFieldValue<string[]>(8)));
        }
        return rows;
    }

    /// <summary>
    /// Blind spots of a model: among the top <paramref name="share"/> of the study area's cells by
    /// RRS, those with at most <paramref name="maxSignals"/> signals over both periods; optionally
    /// only those in a sub-area. No signal-level data: viewers may see them.
    /// </summary>
    public async Task<List<BlindSpot>> BlindSpotsAsync(long modelId, string? within, double share, int maxSignals, CancellationToken cancellationToken)
    {
        var all = await CellsAsync(modelId, null, CallerScope.Unrestricted, cancellationToken);
        var picked = RtmValidationMeasures.BlindSpots(all.Select(c => c.Rrs).ToArray(),
            all.Select(c => (double)(c.FitCount!.Value + c.TestCount!.Value)).ToArray(), share, maxSignals);
        HashSet<(int, int)>? inside = null;
        if (within is not null)
            inside = (await CellsAsync(modelId, within, CallerScope.Unrestricted, cancellationToken)).Select(c => (c.Q, c.R)).ToHashSet();
        return picked.Select(i => all[i]).Where(c => inside is null || inside.Contains((c.Q, c.R)))
            .Select((c, rank) => new BlindSpot(rank + 1, c.Q, c.R, c.Lon, c.Lat, c.Rrs, c.Expected, c.Factors)).ToList();
    }

    public async Task<bool> AreaExistsAsync(string code, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM area WHERE code = $1 AND valid_to IS NULL)");
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
