using System.Globalization;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.Core.Ports;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Ports;

/// <summary>A count and how much of it happened inside an active camera view; null values are suppressed (viewers).</summary>
public sealed record CoverageShare(string? Key, long? Total, long? Covered, double? Share, bool Suppressed);

/// <summary>Weighted signal sum (weight × reliability of the default scoring profile) and its covered part.</summary>
public sealed record RiskCoverage(double? Total, double? Covered, double? Share);

public sealed record CoverageMonth(string Month, long ActiveCameras, CoverageShare Signals, CoverageShare Incidents, double? RiskShare);

/// <summary>A Gi* hot-spot cell (90% or more) whose signals lie mostly outside camera view.</summary>
public sealed record UncoveredHotspot(int Q, int R, string Class, double Z, long? Signals, double? CoveredShare);

public sealed record CoverageReport(string Area, IReadOnlyList<string>? Programmes, DateOnly From, DateOnly To, string? Category,
    CoverageShare Signals, CoverageShare Incidents, RiskCoverage Risk, IReadOnlyList<CoverageShare> Categories,
    IReadOnlyList<CoverageShare> IncidentKinds, IReadOnlyList<CoverageMonth> Monthly, int CellSizeM,
    IReadOnlyList<UncoveredHotspot> UncoveredHotspots);

/// <summary>
/// Reads for port programmes: coverage of an area by active camera views, the demand and
/// candidate sites of a siting run, cameras and incidents for the map, and the monthly series
/// per mainport. Scope rules: a caller bound to casustafels sees cameras and incidents of those
/// programmes only; suppressed callers (viewers) get published counts and shares, never positions.
/// </summary>
public sealed class PortStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Programmes whose cameras and incidents a caller may see as points (tiles, cut-out): null =
    /// all, empty = none. Suppressed callers (viewers) get none, bound to a programme or not: they
    /// read coverage shares, never camera or incident positions.
    /// </summary>
    public static string[]? VisibleProgrammes(CallerScope scope) =>
        scope.Suppressed ? [] : scope.SqlScope;

    public async Task<bool> AreaInScopeAsync(string code, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM area a WHERE a.code = $1 AND a.valid_to IS NULL
                           AND area_in_scope(a.geom, $2::text[]))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(Scope(scope.SqlScope));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<bool> ProgrammeExistsAsync(string programme, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM casustafel WHERE id = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = programme });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<CoverageReport> CoverageAsync(string area, string[]? programmes, DateOnly from, DateOnly to, string? category,
        int cellSizeM, string? hotspotsJson, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SqlResource.Load(typeof(PortStore).Assembly, "Ports.coverage.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = area });
        command.Parameters.Add(Scope(programmes));
        command.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(Scope(scope.SqlScope));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)category ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = cellSizeM });
        var rows = new List<(string Section, string Key, long N, long Covered, double Risk, double RiskCovered, long KeySum, long CoveredKeySum)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDouble(4), reader.GetDouble(5),
                    Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(7), CultureInfo.InvariantCulture)));
        }
        var k = scope.SuppressionK;
        // Suppressed callers: both counts published by the cell-key method with their own key sums,
        // and the share computed from those published counts (withheld with the covered count): a
        // share of the exact counts times the published total would give the withheld count back.
        CoverageShare Share(string? key, (string Section, string Key, long N, long Covered, double Risk, double RiskCovered, long KeySum, long CoveredKeySum) row)
        {
            var (n, covered) = (row.N, row.Covered);
            if (!scope.Suppressed) return new CoverageShare(key, n, covered, Ratio(covered, n), false);
            var shownN = Suppression.Publish(n, row.KeySum, k);
            if (shownN.Suppressed) return new CoverageShare(key, null, null, null, true);
            var shownCovered = Suppression.Publish(covered, row.CoveredKeySum, k).Value;
            return new CoverageShare(key, shownN.Value, shownCovered, PublishedRatio(shownCovered, shownN.Value), false);
        }
        // The weighted share tells about as much as the count share: suppressed callers get it to
        // one decimal, and not where either published count is withheld.
        RiskCoverage Risk((string Section, string Key, long N, long Covered, double Risk, double RiskCovered, long KeySum, long CoveredKeySum) row)
        {
            if (!scope.Suppressed) return new RiskCoverage(row.Risk, row.RiskCovered, Ratio(row.RiskCovered, row.Risk));
            var withheld = Suppression.Publish(row.N, row.KeySum, k).Suppressed || Suppression.Publish(row.Covered, row.CoveredKeySum, k).Suppressed;
            return new RiskCoverage(null, null, withheld || Ratio(row.RiskCovered, row.Risk) is not { } share ? null : Math.Round(share, 1));
        }

        var signals = rows.Single(r => r.Section == "signals");
        var incidents = rows.Single(r => r.Section == "incidents");
        var monthSignals = rows.Where(r => r.Section == "month_signals").ToDictionary(r => r.Key);
        var monthIncidents = rows.Where(r => r.Section == "month_incidents").ToDictionary(r => r.Key);
        var monthly = rows.Where(r => r.Section == "month_cameras").OrderBy(r => r.Key, StringComparer.Ordinal).Select(m =>
        {
            var s = monthSignals[m.Key];
            var i = monthIncidents[m.Key];
            return new CoverageMonth(m.Key, m.N, Share(null, s), Share(null, i), Risk(s).Share);
        }).ToList();
        var cells = rows.Where(r => r.Section == "cell").ToDictionary(r => r.Key);
        var hotspots = new List<UncoveredHotspot>();
        if (hotspotsJson is not null)
        {
            using var doc = JsonDocument.Parse(hotspotsJson);
            foreach (var feature in doc.RootElement.GetProperty("features").EnumerateArray())
            {
                var p = feature.GetProperty("properties");
                if (p.GetProperty("gi_bin").GetInt32() <= 0) continue;
                var q = p.GetProperty("q").GetInt32();
                var r = p.GetProperty("r").GetInt32();
                if (!cells.TryGetValue(string.Create(CultureInfo.InvariantCulture, $"{q},{r}"), out var cell) || cell.N == 0) continue;
                var coveredShare = Ratio(cell.Covered, cell.N);
                if (coveredShare >= 0.5) continue;
                var shown = scope.Suppressed ? Suppression.Publish(cell.N, cell.KeySum, k).Value : cell.N;
                if (shown is null) continue;
                // Suppressed callers: the share of the published counts, none where the covered count is withheld.
                if (scope.Suppressed) coveredShare = PublishedRatio(Suppression.Publish(cell.Covered, cell.CoveredKeySum, k).Value, shown);
                hotspots.Add(new UncoveredHotspot(q, r, p.GetProperty("class").GetString()!, p.GetProperty("z").GetDouble(),
                    shown.Value, coveredShare));
            }
        }
        return new CoverageReport(area, programmes, from, to, category,
            Share(null, signals), Share(null, incidents), Risk(signals),
            rows.Where(r => r.Section == "category").OrderByDescending(r => r.Risk).Select(r => Share(r.Key, r)).ToList(),
            rows.Where(r => r.Section == "kind").OrderByDescending(r => r.N).Select(r => Share(r.Key, r)).ToList(),
            monthly, cellSizeM, hotspots.OrderByDescending(h => h.Z).ToList());
    }

    /// <summary>Signals (or incidents) of the period inside the area and outside every camera view active at its end, with their weight.</summary>
    public async Task<List<DemandPoint>> DemandAsync(string area, string[]? programmes, DateOnly from, DateOnly to, bool incidents,
        CallerScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SqlResource.Load(typeof(PortStore).Assembly, "Ports.siting_demand.sql"));
        command.Parameters.Add(new NpgsqlParameter { Value = area });
        command.Parameters.Add(Scope(programmes));
        command.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(Scope(scope.SqlScope));
        command.Parameters.Add(new NpgsqlParameter { Value = incidents });
        var demand = new List<DemandPoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            demand.Add(new DemandPoint(reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2)));
        return demand;
    }

    /// <summary>Grid points at <paramref name="spacingM"/> inside the area (RD New), at most <paramref name="limit"/> + 1 so a caller can refuse too many.</summary>
    public async Task<List<CandidateSite>> GridSitesAsync(string area, double spacingM, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH a AS (SELECT geom FROM area WHERE code = $1 AND valid_to IS NULL)
            SELECT gx, gy FROM a
            CROSS JOIN LATERAL generate_series(ceil(ST_XMin(a.geom) / $2)::bigint, floor(ST_XMax(a.geom) / $2)::bigint) AS i
            CROSS JOIN LATERAL generate_series(ceil(ST_YMin(a.geom) / $2)::bigint, floor(ST_YMax(a.geom) / $2)::bigint) AS j
            CROSS JOIN LATERAL (SELECT i * $2 AS gx, j * $2 AS gy) g
            WHERE ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(gx, gy), 28992))
            ORDER BY gx, gy
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = area });
        command.Parameters.Add(new NpgsqlParameter { Value = spacingM });
        command.Parameters.Add(new NpgsqlParameter { Value = limit + 1 });
        var sites = new List<CandidateSite>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (x, y) = (reader.GetDouble(0), reader.GetDouble(1));
            sites.Add(new CandidateSite(string.Create(CultureInfo.InvariantCulture, $"G{x:F0}-{y:F0}"), x, y));
        }
        return sites;
    }

    /// <summary>Uploaded sites in WGS84 to RD New (PostGIS transforms); RD input passes through.</summary>
    public async Task<List<CandidateSite>> ToRdAsync(IReadOnlyList<(string Id, double X, double Y)> sites, int srid, CancellationToken cancellationToken)
    {
        if (srid == 28992) return sites.Select(s => new CandidateSite(s.Id, s.X, s.Y)).ToList();
        await using var command = dataSource.CreateCommand("""
            SELECT ST_X(p), ST_Y(p) FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(x, y, n)
            CROSS JOIN LATERAL ST_Transform(ST_SetSRID(ST_MakePoint(t.x, t.y), 4326), 28992) AS p ORDER BY t.n
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = sites.Select(s => s.X).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = sites.Select(s => s.Y).ToArray() });
        var result = new List<CandidateSite>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var i = 0;
        while (await reader.ReadAsync(cancellationToken))
            result.Add(new CandidateSite(sites[i++].Id, reader.GetDouble(0), reader.GetDouble(1)));
        return result;
    }

    /// <summary>WGS84 position and sector (GeoJSON) of recommended cameras.</summary>
    public async Task<List<(double Lon, double Lat, string SectorGeoJson)>> SectorsAsync(IReadOnlyList<(double X, double Y, double Heading)> cameras,
        double fovDeg, double rangeM, CancellationToken cancellationToken)
    {
        var result = new List<(double, double, string)>();
        if (cameras.Count == 0) return result;
        await using var command = dataSource.CreateCommand("""
            SELECT ST_X(ST_Transform(p, 4326)), ST_Y(ST_Transform(p, 4326)),
                   ST_AsGeoJSON(ST_Transform(camera_viewshed(p, t.h, $4, $5), 4326), 6)
            FROM unnest($1::float8[], $2::float8[], $3::float8[]) WITH ORDINALITY AS t(x, y, h, n)
            CROSS JOIN LATERAL ST_SetSRID(ST_MakePoint(t.x, t.y), 28992) AS p
            ORDER BY t.n
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = cameras.Select(c => c.X).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = cameras.Select(c => c.Y).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = cameras.Select(c => c.Heading).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = fovDeg });
        command.Parameters.Add(new NpgsqlParameter { Value = rangeM });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result.Add((reader.GetDouble(0), reader.GetDouble(1), reader.GetString(2)));
        return result;
    }

    /// <summary>Cameras of visible programmes in an area, as a GeoJSON FeatureCollection (WGS84) with their view.</summary>
    public Task<string> CamerasGeoJsonAsync(string area, string[]? programmes, CancellationToken cancellationToken) =>
        JsonAsync("Ports.cameras_list.sql", cancellationToken, new NpgsqlParameter { Value = area }, Scope(programmes));

    /// <summary>Incidents of visible programmes in an area (optionally one kind, a period), GeoJSON with gated properties and counts per kind.</summary>
    public Task<string> IncidentsGeoJsonAsync(string area, string[]? programmes, string? kind, DateOnly? from, DateOnly? to, CancellationToken cancellationToken) =>
        JsonAsync("Ports.incidents_list.sql", cancellationToken, new NpgsqlParameter { Value = area }, Scope(programmes),
            new NpgsqlParameter { Value = (object?)kind ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = (object?)from ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date },
            new NpgsqlParameter { Value = (object?)to ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });

    /// <summary>Signals and incidents per mainport and month (the waterbed chart); counts suppressed for viewers.</summary>
    public Task<string> SeriesJsonAsync(DateOnly from, DateOnly to, CallerScope scope, CancellationToken cancellationToken) =>
        JsonAsync("Ports.series.sql", cancellationToken,
            new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date },
            new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date },
            // Incidents of the caller's own programmes (a bound viewer's too: these are counts, not positions).
            Scope(scope.SqlScope), Scope(scope.SqlScope),
            new NpgsqlParameter { Value = scope.Suppressed ? scope.SuppressionK : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });

    private async Task<string> JsonAsync(string resource, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = dataSource.CreateCommand(SqlResource.Load(typeof(PortStore).Assembly, resource));
        foreach (var p in parameters) command.Parameters.Add(p);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static double? Ratio(double part, double whole) => whole > 0 ? Math.Round(part / whole, 4) : null;

    /// <summary>A share of two published counts; none when the part is withheld.</summary>
    private static double? PublishedRatio(long? part, long? whole) =>
        part is { } p && whole is { } w ? Ratio(Math.Min(p, w), w) : null;

    private static NpgsqlParameter Scope(string[]? values) =>
        new() { Value = (object?)values ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
