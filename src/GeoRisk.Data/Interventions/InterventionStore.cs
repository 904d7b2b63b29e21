using System.Text.Json;
using System.Text.Json.Serialization;
using GeoRisk.Core.Access;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Interventions;

/// <summary>One version of an intervention as stored; <see cref="Target"/> is a GeoJSON geometry (WGS84).</summary>
public sealed record Intervention(
    long Id, string Code, int Version, string Name, string Kind, string CasustafelId, string? AreaCode,
    DateOnly StartDate, DateOnly? EndDate, string Description, JsonElement Target, double TargetKm2,
    string CreatedBy, DateTimeOffset CreatedAt, bool Current);

/// <summary>What a caller asks to store: the target is an area code or a GeoJSON polygon (WGS84 or RD New).</summary>
public sealed record InterventionDraft(
    string Code, string Name, string Kind, string CasustafelId, string? AreaCode, string? TargetGeoJson,
    DateOnly StartDate, DateOnly? EndDate, string Description);

/// <summary>One zone's signals in the before and after windows, per category.</summary>
public sealed record ZoneWindowCount(
    [property: JsonPropertyName("zone")] string Zone,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("before")] long Before,
    [property: JsonPropertyName("after")] long After);

/// <summary>One month of one zone.</summary>
public sealed record ZoneMonth(
    [property: JsonPropertyName("zone")] string Zone,
    [property: JsonPropertyName("month")] DateOnly Month,
    [property: JsonPropertyName("count")] long Count);

/// <summary>A zone's outline (GeoJSON, WGS84) and size.</summary>
public sealed record ZoneShape(
    [property: JsonPropertyName("zone")] string Zone,
    [property: JsonPropertyName("km2")] double Km2,
    [property: JsonPropertyName("geometry")] JsonElement Geometry);

/// <summary>The raw material of an analysis, as counted by PostgreSQL.</summary>
public sealed record ZoneCounts(
    [property: JsonPropertyName("zones")] IReadOnlyList<ZoneShape> Zones,
    [property: JsonPropertyName("windows")] IReadOnlyList<ZoneWindowCount> Windows,
    [property: JsonPropertyName("series")] IReadOnlyList<ZoneMonth> Series);

/// <summary>Windows and zones of one analysis; dates are Europe/Amsterdam calendar days.</summary>
public sealed record ZoneQuery(
    long InterventionId, double? BufferM, IReadOnlyList<string> ControlCodes, DateOnly BeforeFrom, DateOnly AfterFrom,
    int WindowDays, DateOnly SeriesFrom, DateOnly SeriesTo, IReadOnlyList<string>? Categories);

/// <summary>Why a draft cannot be stored; <see cref="Field"/> names the offending field.</summary>
public sealed class InterventionRejectedException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// The interventions register and the counts its analyses need. A scoped caller (casustafel
/// member) reads and writes only the interventions of its own casustafels; everything else is
/// invisible, as if it did not exist.
/// </summary>
public sealed class InterventionStore(NpgsqlDataSource dataSource)
{
    private static string Sql(string name) => SqlResource.Load(typeof(InterventionStore).Assembly, name);

    private const string Columns = """
        i.id, i.code, i.version, i.name, i.kind, i.casustafel_id, i.area_code, i.start_date, i.end_date, i.description,
        ST_AsGeoJSON(i.geom_4326, 6), ST_Area(i.geom) / 1e6, i.created_by, i.created_at, i.superseded_at IS NULL
        """;

    public async Task<IReadOnlyList<(string Code, string LabelNl, string LabelEn)>> KindsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT code, label_nl, label_en FROM intervention_kind ORDER BY sort_order, code");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var kinds = new List<(string, string, string)>();
        while (await reader.ReadAsync(cancellationToken)) kinds.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return kinds;
    }

    /// <summary>Current interventions within the caller's scope, newest start first; optionally of one casustafel.</summary>
    public async Task<IReadOnlyList<Intervention>> ListAsync(CallerScope scope, string? casustafelId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM intervention i
            WHERE i.superseded_at IS NULL
              AND ($1::text[] IS NULL OR i.casustafel_id = ANY ($1))
              AND ($2::text IS NULL OR i.casustafel_id = $2)
            ORDER BY i.start_date DESC, i.code
            """);
        command.Parameters.Add(TextArray(scope.SqlScope));
        command.Parameters.Add(Text(casustafelId));
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>The current version (or the given one) within scope; null when unknown or out of scope.</summary>
    public async Task<Intervention?> GetAsync(string code, int? version, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM intervention i
            WHERE i.code = $1 AND ($2::int IS NULL AND i.superseded_at IS NULL OR i.version = $2)
              AND ($3::text[] IS NULL OR i.casustafel_id = ANY ($3))
            """);
        command.Parameters.Add(Text(code));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)version ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(TextArray(scope.SqlScope));
        var rows = await ReadAllAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Every version of an intervention within scope, oldest first.</summary>
    public async Task<IReadOnlyList<Intervention>> VersionsAsync(string code, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM intervention i
            WHERE i.code = $1 AND ($2::text[] IS NULL OR i.casustafel_id = ANY ($2))
            ORDER BY i.version
            """);
        command.Parameters.Add(Text(code));
        command.Parameters.Add(TextArray(scope.SqlScope));
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>
    /// Stores a new intervention (<paramref name="expectNew"/>) or a new version of an existing
    /// one, closing the previous version, in one transaction. Throws
    /// <see cref="InterventionRejectedException"/> for a draft that names what does not exist,
    /// a target outside the Netherlands or outside a scoped caller's reach.
    /// </summary>
    public async Task<Intervention> SaveAsync(InterventionDraft draft, bool expectNew, string actor, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Serialises writers of one code, so two concurrent edits cannot both become version n + 1.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('intervention:' || $1, 0))", connection, transaction))
        {
            lockCommand.Parameters.Add(Text(draft.Code));
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        int? current;
        await using (var existing = new NpgsqlCommand(
            "SELECT version, casustafel_id FROM intervention WHERE code = $1 AND superseded_at IS NULL", connection, transaction))
        {
            existing.Parameters.Add(Text(draft.Code));
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken);
            current = null;
            if (await reader.ReadAsync(cancellationToken))
            {
                current = reader.GetInt32(0);
                var owner = reader.GetString(1);
                if (scope.Casustafels is not null && !scope.Casustafels.Contains(owner))
                    throw new InterventionRejectedException("code", "That intervention code is taken; choose another.");
            }
        }
        if (expectNew && current is not null)
            throw new InterventionRejectedException("code", "An intervention with that code exists; edit it (PUT) to add a version.");
        if (!expectNew && current is null)
            throw new InterventionRejectedException("code", "No intervention with that code.");

        await using (var check = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM intervention_kind WHERE code = $1),
                   EXISTS (SELECT 1 FROM casustafel WHERE id = $2),
                   $3::text IS NULL OR EXISTS (SELECT 1 FROM area WHERE code = $3 AND valid_to IS NULL)
            """, connection, transaction))
        {
            check.Parameters.Add(Text(draft.Kind));
            check.Parameters.Add(Text(draft.CasustafelId));
            check.Parameters.Add(Text(draft.AreaCode));
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (!reader.GetBoolean(0)) throw new InterventionRejectedException("kind", "'kind' must be one of the codes of GET /api/intervention-kinds.");
            if (!reader.GetBoolean(1)) throw new InterventionRejectedException("casustafel", "'casustafel' is not a known casustafel.");
            if (!reader.GetBoolean(2)) throw new InterventionRejectedException("area", "'area' is not the code of a current area.");
        }

        if (current is not null)
        {
            await using var close = new NpgsqlCommand("UPDATE intervention SET superseded_at = now() WHERE code = $1 AND superseded_at IS NULL", connection, transaction);
            close.Parameters.Add(Text(draft.Code));
            await close.ExecuteNonQueryAsync(cancellationToken);
        }
        long id;
        await using (var insert = new NpgsqlCommand(Sql("Interventions.insert.sql"), connection, transaction))
        {
            insert.Parameters.Add(Text(draft.Code));
            insert.Parameters.Add(new NpgsqlParameter { Value = (current ?? 0) + 1, NpgsqlDbType = NpgsqlDbType.Integer });
            insert.Parameters.Add(Text(draft.Name));
            insert.Parameters.Add(Text(draft.Kind));
            insert.Parameters.Add(Text(draft.CasustafelId));
            insert.Parameters.Add(Text(draft.AreaCode));
            insert.Parameters.Add(Text(draft.TargetGeoJson));
            insert.Parameters.Add(new NpgsqlParameter { Value = draft.StartDate, NpgsqlDbType = NpgsqlDbType.Date });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)draft.EndDate ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
            insert.Parameters.Add(Text(draft.Description));
            insert.Parameters.Add(Text(actor));
            insert.Parameters.Add(TextArray(scope.SqlScope));
            try
            {
                await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                id = reader.GetInt64(0);
                var problem = reader.IsDBNull(1) ? null : reader.GetString(1);
                if (problem is not null) throw new InterventionRejectedException("target", problem);
            }
            catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState.StartsWith("XX", StringComparison.Ordinal)
                                                  || e.SqlState == PostgresErrorCodes.CheckViolation)
            {
                // GEOS/JSON errors from a malformed polygon: the caller's input, not a server fault.
                throw new InterventionRejectedException("target", "'target' must be a valid GeoJSON Polygon or MultiPolygon.");
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return (await GetAsync(draft.Code, null, CallerScope.Unrestricted, cancellationToken))!;
    }

    /// <summary>Counts and series of the three zones; the caller has checked the intervention is in scope.</summary>
    public async Task<ZoneCounts> ZoneCountsAsync(ZoneQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql("Interventions.zones.sql"));
        command.CommandTimeout = 120;
        command.Parameters.Add(new NpgsqlParameter { Value = query.InterventionId, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.BufferM ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(TextArray(query.ControlCodes.ToArray()));
        command.Parameters.Add(Date(query.BeforeFrom));
        command.Parameters.Add(Date(query.AfterFrom));
        command.Parameters.Add(new NpgsqlParameter { Value = query.WindowDays, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(Date(query.SeriesFrom));
        command.Parameters.Add(Date(query.SeriesTo));
        command.Parameters.Add(TextArray(query.Categories?.ToArray()));
        var json = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        return JsonSerializer.Deserialize<ZoneCounts>(json)!;
    }

    /// <summary>Candidate control areas with their monthly counts over [from, to) (month starts).</summary>
    public async Task<IReadOnlyList<(string Code, string Name, long[] Series)>> ControlCandidatesAsync(
        long interventionId, double? bufferM, DateOnly from, DateOnly to, IReadOnlyList<string>? categories, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql("Interventions.controls.sql"));
        command.CommandTimeout = 120;
        command.Parameters.Add(new NpgsqlParameter { Value = interventionId, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)bufferM ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(Date(from));
        command.Parameters.Add(Date(to));
        command.Parameters.Add(TextArray(categories?.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<(string, string, long[])>();
        while (await reader.ReadAsync(cancellationToken))
            list.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<long[]>(2)));
        return list;
    }

    /// <summary>Which of these codes are current areas.</summary>
    public async Task<IReadOnlyList<string>> UnknownAreasAsync(IReadOnlyList<string> codes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c FROM unnest($1::text[]) c
            WHERE NOT EXISTS (SELECT 1 FROM area a WHERE a.code = c AND a.valid_to IS NULL)
            """);
        command.Parameters.Add(TextArray(codes.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var unknown = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) unknown.Add(reader.GetString(0));
        return unknown;
    }

    public async Task<bool> CategoriesExistAsync(IReadOnlyList<string> categories, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) = cardinality($1::text[]) FROM category WHERE code = ANY ($1::text[])");
        command.Parameters.Add(TextArray(categories.Distinct().ToArray()));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<IReadOnlyList<Intervention>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<Intervention>();
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new Intervention(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateOnly>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8), reader.GetString(9), ParseJson(reader.GetString(10)), reader.GetDouble(11),
                reader.GetString(12), reader.GetFieldValue<DateTimeOffset>(13), reader.GetBoolean(14)));
        return list;
    }

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
    private static NpgsqlParameter Date(DateOnly value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Date };
    private static NpgsqlParameter TextArray(string[]? values) => new()
    {
        Value = (object?)values ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
    };
}
