using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GeoRisk.Core.Scoring;
using GeoRisk.Data;
using GeoRisk.Data.Scoring;
using GeoRisk.IntegrationTests.Infrastructure;
using GeoRisk.IntegrationTests.Intake;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.IntegrationTests.Scoring;

/// <summary>
/// What signal_area must always equal: a fresh ST_Intersects join of every area and signal,
/// with the signal's time, import time, category, source, reliability, record key and position
/// (RD x and y of its point, exactly) copied as they are now.
/// </summary>
internal static class SignalAreaCheck
{
    private const string Columns = "area_id, signal_id, observed_at, imported_at, category, source, reliability, record_key, x, y";

    public const string Mismatches = $"""
        WITH fresh AS (
            SELECT a.id AS area_id, s.id AS signal_id, s.observed_at, s.imported_at, s.category, s.source, s.reliability,
                   s.record_key, ST_X(s.geom) AS x, ST_Y(s.geom) AS y
            FROM area a JOIN signal s ON ST_Intersects(a.geom, s.geom))
        SELECT count(*) FROM (
            (SELECT {Columns} FROM signal_area
             EXCEPT ALL SELECT * FROM fresh)
            UNION ALL
            (SELECT * FROM fresh
             EXCEPT ALL SELECT {Columns} FROM signal_area)) d
        """;
}

/// <summary>
/// signal_area through the real intake: signals and boundaries imported by the API land in the
/// right areas, and moves, deletes and boundary re-imports keep the table exactly equal to a
/// fresh ST_Intersects join.
/// </summary>
public sealed class SignalAreaIntakeTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateClient();

    internal const string BuurtQuery = "?kind=buurt&code_field=buurtcode&name_field=buurtnaam&parent_field=wijkcode";
    internal const string West = "[[4.85,52.30],[4.86,52.30],[4.86,52.31],[4.85,52.31],[4.85,52.30]]";
    internal const string Wide = "[[4.85,52.30],[4.87,52.30],[4.87,52.31],[4.85,52.31],[4.85,52.30]]";
    internal const string East = "[[4.86,52.30],[4.87,52.30],[4.87,52.31],[4.86,52.31],[4.86,52.30]]";

    internal static string Boundaries(params (string Code, string Ring)[] features) =>
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:OGC:1.3:CRS84\"}},\"features\":["
        + string.Join(",", features.Select(f =>
            $"{{\"type\":\"Feature\",\"properties\":{{\"buurtcode\":\"{f.Code}\",\"buurtnaam\":\"Toets {f.Code}\",\"wijkcode\":\"WK036298\"}},"
            + $"\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{f.Ring}]}}}}"))
        + "]}";

    private async Task ImportBoundariesAsync(string geojson, string validFrom)
    {
        var response = await _client.PostAsync(new Uri($"/api/areas/import{BuurtQuery}&valid_from={validFrom}", UriKind.Relative),
            new StringContent(geojson, Encoding.UTF8, "application/geo+json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task ImportSignalsAsync(string rows)
    {
        var response = await _client.PostAsync(new Uri("/api/signals/import", UriKind.Relative),
            new StringContent("external_id,category,source,observed_at,lon,lat\n" + rows, Encoding.UTF8, "text/csv"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The codes and validity of the areas a signal is assigned to, as "CODE@valid_from" in order.</summary>
    private Task<string> AreasOfAsync(string externalId) => fixture.Database.ScalarAsync<string>("""
        SELECT coalesce(string_agg(a.code || '@' || a.valid_from, ' ' ORDER BY a.code, a.valid_from), '')
        FROM signal s JOIN signal_area sa ON sa.signal_id = s.id JOIN area a ON a.id = sa.area_id
        WHERE s.external_id = $1
        """, externalId);

    private Task<long> MismatchesAsync() => fixture.Database.ScalarAsync<long>(SignalAreaCheck.Mismatches);

    [Fact]
    public async Task Imports_moves_deletes_and_boundary_reimports_keep_the_assignment_exact()
    {
        await ImportBoundariesAsync(Boundaries(("BU0362SA01", West), ("BU0362SA02", East)), "2020-01-01");
        // In the west square, in the east square, in neither; one file through the privacy gate and COPY.
        await ImportSignalsAsync("""
            SA-1,drugshandel,politie,2025-03-01,4.855,52.305
            SA-2,witwassen,fiod,2025-03-02,4.865,52.305
            SA-3,vastgoed,kvk,2025-03-03,4.95,52.40

            """);
        Assert.Equal("BU0362SA01@2020-01-01", await AreasOfAsync("SA-1"));
        Assert.Equal("BU0362SA02@2020-01-01", await AreasOfAsync("SA-2"));
        Assert.Equal("", await AreasOfAsync("SA-3"));
        Assert.Equal(0, await MismatchesAsync());

        // One signal through POST /api/signals lands as well.
        var single = await _client.PostAsJsonAsync(new Uri("/api/signals", UriKind.Relative), new Dictionary<string, object>
        {
            ["external_id"] = "SA-4", ["category"] = "explosies", ["source"] = "politie", ["observed_at"] = "2025-04-01",
            ["wkt"] = "SRID=4326;POINT(4.8525 52.3025)",
        });
        Assert.Equal(HttpStatusCode.Created, single.StatusCode);
        Assert.Equal("BU0362SA01@2020-01-01", await AreasOfAsync("SA-4"));

        // A re-import with a new position moves the signal (the importer updates it in place).
        await ImportSignalsAsync("SA-1,drugshandel,politie,2025-03-01,4.866,52.306\n");
        Assert.Equal("BU0362SA02@2020-01-01", await AreasOfAsync("SA-1"));
        // A follow-up status change does not move anything; a move by SQL does.
        await fixture.Database.ScalarAsync<int>("WITH u AS (UPDATE signal SET followup_status = 'verkennen' WHERE external_id LIKE 'SA-%' RETURNING 1) SELECT count(*)::int FROM u");
        await fixture.Database.ScalarAsync<int>("""
            WITH u AS (UPDATE signal SET geom = ST_Transform(ST_SetSRID(ST_MakePoint(4.8555, 52.3055), 4326), 28992)
                       WHERE external_id = 'SA-3' RETURNING 1) SELECT count(*)::int FROM u
            """);
        Assert.Equal("BU0362SA01@2020-01-01", await AreasOfAsync("SA-3"));
        Assert.Equal(0, await MismatchesAsync());

        // A re-import that changes category and time but not the place, and a reliability changed
        // by SQL: the copies in the pairs follow (the counts filter and group by them).
        await ImportSignalsAsync("SA-2,vastgoed,fiod,2025-06-30,4.865,52.305\n");
        await fixture.Database.ScalarAsync<int>("WITH u AS (UPDATE signal SET reliability = 0.25 WHERE external_id = 'SA-4' RETURNING 1) SELECT count(*)::int FROM u");
        Assert.Equal("vastgoed 2025-06-30", await fixture.Database.ScalarAsync<string>("""
            SELECT string_agg(DISTINCT sa.category || ' ' || (sa.observed_at AT TIME ZONE 'Europe/Amsterdam')::date, ',')
            FROM signal_area sa JOIN signal s ON s.id = sa.signal_id WHERE s.external_id = 'SA-2'
            """));
        Assert.Equal(0.25f, await fixture.Database.ScalarAsync<float>("""
            SELECT max(sa.reliability) FROM signal_area sa JOIN signal s ON s.id = sa.signal_id WHERE s.external_id = 'SA-4'
            """));
        Assert.Equal(0, await MismatchesAsync());

        // The west square is re-imported twice as wide: the old version keeps its signals for past
        // dates, the new one holds everything in the wider boundary.
        await ImportBoundariesAsync(Boundaries(("BU0362SA01", Wide), ("BU0362SA02", East)), "2024-01-01");
        Assert.Equal("BU0362SA01@2024-01-01 BU0362SA02@2020-01-01", await AreasOfAsync("SA-1"));
        Assert.Equal("BU0362SA01@2020-01-01 BU0362SA01@2024-01-01", await AreasOfAsync("SA-3"));
        Assert.Equal(0, await MismatchesAsync());

        // A boundary changed in place, an area deleted, a signal deleted.
        await fixture.Database.ScalarAsync<int>("""
            WITH u AS (UPDATE area SET geom = ST_Multi(ST_Translate(geom, 5000, 0)) WHERE code = 'BU0362SA02' RETURNING 1)
            SELECT count(*)::int FROM u
            """);
        Assert.Equal("BU0362SA01@2024-01-01", await AreasOfAsync("SA-1"));
        Assert.Equal(0, await MismatchesAsync());
        await fixture.Database.ScalarAsync<int>(
            "WITH d AS (DELETE FROM area WHERE code = 'BU0362SA01' AND valid_to IS NOT NULL RETURNING 1) SELECT count(*)::int FROM d");
        Assert.Equal("BU0362SA01@2024-01-01", await AreasOfAsync("SA-3"));
        await fixture.Database.ScalarAsync<int>("WITH d AS (DELETE FROM signal WHERE external_id = 'SA-4' RETURNING 1) SELECT count(*)::int FROM d");
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM signal_area sa WHERE NOT EXISTS (SELECT 1 FROM signal s WHERE s.id = sa.signal_id)"));
        Assert.Equal(0, await MismatchesAsync());
        Assert.True(await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM signal_area") >= 3);
    }
}

/// <summary>
/// On the demo: signal_area equals the ST_Intersects join, and the relative-risk scores computed
/// through it equal those of the spatial join it replaced.
/// </summary>
public sealed class SignalAreaDemoTests
{
    private static readonly DateOnly ReferenceDate = new(2026, 11, 15);

    [Fact]
    public async Task The_demo_assignment_equals_a_fresh_spatial_join()
    {
        await using var dataSource = NpgsqlDataSource.Create(DemoDatabase.ConnectionString);
        await using var command = dataSource.CreateCommand(SignalAreaCheck.Mismatches);
        command.CommandTimeout = 300;
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        await using var total = dataSource.CreateCommand("SELECT count(*) FROM signal_area");
        Assert.True((long)(await total.ExecuteScalarAsync())! > 50_000);
    }

    [Fact]
    public async Task Demo_scores_through_the_assignment_equal_those_of_the_spatial_join()
    {
        await using var dataSource = NpgsqlDataSource.Create(DemoDatabase.ConnectionString);
        var store = new ScoreStore(dataSource);
        var profile = (await store.ProfileAsync("riec-standaard", 2, CancellationToken.None))!;
        var current = await store.ComputeAsync(profile, ReferenceDate, null, null, CancellationToken.None);

        // The counting query as it was: the same file with the pairs found by ST_Intersects.
        const string pairs = "FROM signal_area sa\n";
        var sql = SqlResource.Load(typeof(ScoreStore).Assembly, "Scores.observations.sql").ReplaceLineEndings("\n");
        Assert.Contains(pairs, sql, StringComparison.Ordinal);
        sql = sql.Replace(pairs, "FROM (SELECT ag.id AS area_id, s.category, s.source, s.reliability, s.observed_at, s.record_key " +
            "FROM signal s JOIN area ag ON ST_Intersects(ag.geom, s.geom)) sa\n", StringComparison.Ordinal);
        List<AreaObservation> areas;
        await using (var connection = await dataSource.OpenConnectionAsync())
            areas = await ScoreStore.ObserveAsync(connection, sql, profile, ReferenceDate, (int)profile.WindowDays, null, CancellationToken.None);
        var before = RelativeRiskModel.Score(profile, areas, ReferenceDate, ScoreWindow.For(ReferenceDate, (int)profile.WindowDays))
            .ToDictionary(s => s.Code);

        Assert.True(current.Count > 600, $"only {current.Count} demo areas scored");
        Assert.Equal(before.Count, current.Count);
        Assert.Contains(current, s => s.Kandidaat);
        foreach (var now in current)
        {
            var then = before[now.Code];
            Assert.Equal((now.Code, then.SignalCount, then.SourceCount, then.Trend.PreviousSignalCount, then.Kandidaat),
                (now.Code, now.SignalCount, now.SourceCount, now.Trend.PreviousSignalCount, now.Kandidaat));
            Assert.True(Math.Abs(now.Score - then.Score) <= 1e-9, $"{now.Code}: score {now.Score} vs {then.Score}");
            Assert.True(Math.Abs(now.Observed - then.Observed) <= 1e-9 * Math.Max(1, then.Observed), $"{now.Code}: observed {now.Observed} vs {then.Observed}");
            Assert.True(Math.Abs(now.RelativeRisk.Lower - then.RelativeRisk.Lower) <= 1e-9, $"{now.Code}: lower {now.RelativeRisk.Lower} vs {then.RelativeRisk.Lower}");
        }
    }

    [Fact]
    public async Task The_demo_observations_do_not_depend_on_the_plan()
    {
        // A stored run is verified by recomputing it with exact comparison: the sums must not
        // change when ANALYZE or the load of the machine gives the planner another join order.
        var sql = SqlResource.Load(typeof(ScoreStore).Assembly, "Scores.observations.sql");
        await using var profileSource = NpgsqlDataSource.Create(DemoDatabase.ConnectionString);
        var profile = (await new ScoreStore(profileSource).ProfileAsync("riec-standaard", 2, CancellationToken.None))!;
        var answers = new List<string>();
        foreach (var settings in new[] { "SET enable_hashjoin = on; SET enable_nestloop = on", "SET enable_nestloop = off; SET enable_mergejoin = off",
                                         "SET enable_hashjoin = off; SET enable_hashagg = off" })
        {
            await using var connection = new NpgsqlConnection(DemoDatabase.ConnectionString);
            await connection.OpenAsync();
            await using (var set = new NpgsqlCommand(settings, connection)) await set.ExecuteNonQueryAsync();
            var rows = new StringBuilder();
            foreach (var area in await ScoreStore.ObserveAsync(connection, sql, profile, ReferenceDate, 365, null, CancellationToken.None))
                foreach (var window in new[] { area.Current, area.Previous })
                {
                    rows.Append(area.Code).Append('|').Append(window.Signals).Append('|').Append(window.Sources);
                    foreach (var (category, weighted) in window.Weighted.OrderBy(w => w.Key, StringComparer.Ordinal))
                        rows.Append('|').Append(category).Append('=').Append(weighted.ToString("R", CultureInfo.InvariantCulture));
                    rows.Append('\n');
                }
            answers.Add(rows.ToString());
        }
        Assert.True(answers[0].Length > 10_000);
        Assert.All(answers, a => Assert.Equal(answers[0], a));
    }
}
