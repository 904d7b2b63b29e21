using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.Core.Scoring;
using GeoRisk.Data.Scoring;
using GeoRisk.IntegrationTests.Foundation;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Scoring;

/// <summary>The relative-risk profile (riec-standaard v2) in PostgreSQL against the C# model on a random world.</summary>
public sealed class RelativeRiskSqlTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private static readonly DateOnly Date = SmallWorld.ReferenceDate;
    private static readonly string[] Categories = ["drugshandel", "witwassen", "explosies", "burgermelding"];

    private sealed record Rect(string Code, string Kind, double X, double Y, double W, double H, double? Exposure);

    private readonly List<Rect> _areas = [];

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var random = new Random(2026);
        for (int i = 0; i < 14; i++)
        {
            // Some areas overlap (both count a signal), some have an exposure in addresses, two kinds have one area each.
            var kind = i switch { 0 => "postcode", 1 => "mainport", _ => i % 2 == 0 ? "wijk" : "buurt" };
            var rect = new Rect($"R{i:00}", kind, 100_000 + random.Next(0, 6) * 700, 450_000 + random.Next(0, 6) * 700,
                400 + random.Next(900), 400 + random.Next(900), i % 3 == 0 ? 200 + random.Next(3000) : null);
            _areas.Add(rect);
            await SmallWorld.AddAreaAsync(_db, rect.Code, rect.Kind, rect.X, rect.Y, rect.W, rect.H, rect.Exposure);
        }
        string[] sources = ["politie", "gemeente", "om", "fiod", "belastingdienst"];
        for (int i = 0; i < 1500; i++)
            await SmallWorld.AddSignalAsync(_db, 100_000 + random.NextDouble() * 4500, 450_000 + random.NextDouble() * 4500,
                Categories[random.Next(Categories.Length)], sources[random.Next(sources.Length)], 0.2 + 0.8 * random.NextDouble(),
                random.NextDouble() * 800);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Every signal as C# sees it: read back from the table (the stored reliability is a float4), placed in every rectangle holding it.</summary>
    private async Task<List<SignalObservation>> SignalsAsync()
    {
        var list = new List<SignalObservation>();
        await using var command = _db.DataSource.CreateCommand("SELECT category, source, reliability::float8, observed_at, ST_X(geom), ST_Y(geom) FROM signal");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            double x = reader.GetDouble(4), y = reader.GetDouble(5);
            foreach (var a in _areas.Where(a => x >= a.X && x <= a.X + a.W && y >= a.Y && y <= a.Y + a.H))
                list.Add(new SignalObservation(a.Code, reader.GetString(0), reader.GetString(1), reader.GetDouble(2),
                    reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return list;
    }

    private static void Same(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{what}: C# {expected:R}, SQL {actual:R}");

    [Theory]
    [InlineData(null, null)]
    [InlineData(180, null)]
    [InlineData(null, "drugshandel,explosies")]
    public async Task Sql_observations_and_the_Csharp_model_agree_to_1e9(int? windowDays, string? categories)
    {
        var store = new ScoreStore(_db.DataSource);
        var profile = (await store.ProfileAsync("riec-standaard", 2, CancellationToken.None))!;
        var selection = categories?.Split(',');
        var sql = (await store.ComputeAsync(profile, Date, windowDays, selection, CancellationToken.None)).ToDictionary(s => s.Code);

        var window = ScoreWindow.For(Date, windowDays ?? 365);
        var observations = RelativeRiskModel.Observe(profile, window,
            _areas.Select(a => (a.Code, a.Kind, a.Exposure ?? a.W * a.H / 1e6, a.Exposure is null ? "km2" : "adressen")), await SignalsAsync(), selection);
        var csharp = RelativeRiskModel.Score(profile, observations, Date, window, selection);

        Assert.Equal(_areas.Count, sql.Count);
        Assert.Contains(csharp, c => c.SignalCount > 10);
        foreach (var c in csharp)
        {
            var s = sql[c.Code];
            Assert.Equal(c.SignalCount, s.SignalCount);
            Assert.Equal(c.SourceCount, s.SourceCount);
            Assert.Equal(c.Trend.PreviousSignalCount, s.Trend.PreviousSignalCount);
            Same(c.Observed, s.Observed, $"{c.Code} O");
            Same(c.Expected, s.Expected, $"{c.Code} E");
            Same(c.RelativeRisk.Mean, s.RelativeRisk.Mean, $"{c.Code} RR");
            Same(c.RelativeRisk.Lower, s.RelativeRisk.Lower, $"{c.Code} RR lower");
            Same(c.RelativeRisk.Upper, s.RelativeRisk.Upper, $"{c.Code} RR upper");
            Same(c.Score, s.Score, $"{c.Code} score");
            Same(c.Trend.PValue ?? -1, s.Trend.PValue ?? -1, $"{c.Code} trend p");
            Assert.Equal(c.Trend.Direction, s.Trend.Direction);
            Assert.Equal(c.Kandidaat, s.Kandidaat);
            Assert.Equal(c.Components.Select(x => x.Category), s.Components.Select(x => x.Category));
            foreach (var (cc, sc) in c.Components.Zip(s.Components)) Same(cc.Observed, sc.Observed, $"{c.Code} {cc.Category}");
            Assert.Equal(windowDays is null && selection is null ? RiskScore.Stored : RiskScore.Live, s.Basis);
        }
        if (selection is not null)
            Assert.All(sql.Values, s => Assert.Equal(selection.Order(), s.Components.Select(c => c.Category)));
    }

    [Fact]
    public async Task A_stored_run_reads_back_identically_ranked_within_the_kind_and_verifies()
    {
        var store = new ScoreStore(_db.DataSource);
        var run = await store.RunAsync("riec-standaard", 2, Date, null, CancellationToken.None);
        Assert.Equal(_areas.Count, run.Areas);
        var profile = (await store.ProfileAsync("riec-standaard", 2, CancellationToken.None))!;
        var computed = RelativeRiskModel.WithRanks(await store.ComputeAsync(profile, Date, null, null, CancellationToken.None)).ToDictionary(s => s.Code);
        var stored = await store.StoredScoresAsync(profile, null, null, null, CallerScope.Unrestricted, CancellationToken.None);
        Assert.Equal(_areas.Count, stored.Count);
        foreach (var s in stored)
            Assert.Equal(RiskScoreJson.Serialize(computed[s.Code]), RiskScoreJson.Serialize(s));
        Assert.Equal(new ScoreRank(1, 1, null), stored.Single(s => s.Code == "R00").Rank);  // alone in its kind
        Assert.Equal(stored.Count(s => s.Kind == "wijk"), stored.First(s => s.Kind == "wijk").Rank!.Of);

        var verification = await store.VerifyAsync("riec-standaard", 2, Date, null, CancellationToken.None);
        Assert.Equal(_areas.Count, verification.Identical);
        // A new signal in R03 makes its stored score differ from a recomputation.
        var r3 = _areas.Single(a => a.Code == "R03");
        await SmallWorld.AddSignalAsync(_db, r3.X + 1, r3.Y + 1, "explosies", "politie", 1, 3);
        Assert.Contains("R03", (await store.VerifyAsync("riec-standaard", 2, Date, null, CancellationToken.None)).Differing);
    }

    [Fact]
    public async Task A_stored_run_keeps_the_numbers_not_documents_and_a_row_stored_as_a_document_reads_the_same()
    {
        // One busy area, so that the run has a kandidaat.
        await SmallWorld.AddAreaAsync(_db, "BUSY", "gemeente", 200_000, 400_000, 500, 500, 100);
        for (int i = 0; i < 30; i++)
            await SmallWorld.AddSignalAsync(_db, 200_100 + i, 400_100, "drugshandel", i % 2 == 0 ? "politie" : "gemeente", 1, 5 + i);
        var areas = _areas.Count + 1;
        var store = new ScoreStore(_db.DataSource);
        await store.RunAsync("riec-standaard", 2, Date, null, CancellationToken.None);
        var profile = (await store.ProfileAsync("riec-standaard", 2, CancellationToken.None))!;
        var computed = (await store.ComputeAsync(profile, Date, null, null, CancellationToken.None)).ToDictionary(s => s.Code);
        // Each row holds the model's numbers in typed columns, no JSON, and the flag the map and OGC read.
        await using (var command = _db.DataSource.CreateCommand("""
            SELECT a.code, s.flags IS NULL AND s.components IS NULL, score_kandidaat(s.kandidaat, s.flags),
                   s.score, s.raw, s.expected, s.rr_lower, s.reference_rate, s.prior_shape, s.component_observed, s.component_expected,
                   s.previous_observed, s.previous_signal_count, s.trend_direction
            FROM score s JOIN area a ON a.id = s.area_id
            WHERE s.profile_name = 'riec-standaard' AND s.profile_version = 2
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            var rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
                var c = computed[reader.GetString(0)];
                Assert.True(reader.GetBoolean(1));
                Assert.Equal(c.Kandidaat, reader.GetBoolean(2));
                Assert.Equal(c.Score, reader.GetDouble(3));
                Assert.Equal(c.Observed, reader.GetDouble(4));
                Assert.Equal(c.Expected, reader.GetDouble(5));
                Assert.Equal(c.RelativeRisk.Lower, reader.GetDouble(6));
                Assert.Equal(c.Expectation.ReferenceRate, reader.GetDouble(7));
                Assert.Equal(c.Expectation.PriorShape, reader.GetDouble(8));
                Assert.Equal(c.Components.Select(x => x.Observed), reader.GetFieldValue<double[]>(9));
                Assert.Equal(c.Components.Select(x => x.Expected), reader.GetFieldValue<double[]>(10));
                Assert.Equal(c.Trend.PreviousObserved, reader.GetDouble(11));
                Assert.Equal(c.Trend.PreviousSignalCount, reader.GetInt32(12));
                Assert.Equal(c.Trend.Direction, reader.GetString(13));
            }
            Assert.Equal(areas, rows);
        }
        Assert.Contains(computed.Values, s => s.Kandidaat);

        // A row stored before the numbers had columns (its RiskScore JSON in flags) is read as it was
        // written, and the kandidaat flag comes from its document.
        var before = (await store.StoredScoresAsync(profile, null, null, null, CallerScope.Unrestricted, CancellationToken.None))
            .ToDictionary(s => s.Code, RiskScoreJson.Serialize);
        var kandidaat = computed.Values.First(s => s.Kandidaat);
        foreach (var code in new[] { kandidaat.Code, "R05" })
        {
            await using var legacy = _db.DataSource.CreateCommand("""
                UPDATE score SET flags = $2::jsonb, components = $3::jsonb,
                       kandidaat = NULL, expected = NULL, rr_mean = NULL, rr_lower = NULL, rr_upper = NULL, exposure = NULL,
                       exposure_unit = NULL, reference_rate = NULL, prior_shape = NULL, corroboration = NULL,
                       component_observed = NULL, component_expected = NULL, previous_rr = NULL, previous_observed = NULL,
                       previous_expected = NULL, previous_signal_count = NULL, rate_ratio = NULL, p_value = NULL, trend_direction = NULL
                WHERE area_id = (SELECT id FROM area WHERE code = $1) AND profile_name = 'riec-standaard' AND profile_version = 2
                """);
            legacy.Parameters.Add(new NpgsqlParameter { Value = code });
            legacy.Parameters.Add(new NpgsqlParameter { Value = RiskScoreJson.Serialize(computed[code] with { Rank = null }) });
            legacy.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(computed[code].Components.ToDictionary(c => c.Category, c => c.Observed)) });
            Assert.Equal(1, await legacy.ExecuteNonQueryAsync());
        }
        var after = await store.StoredScoresAsync(profile, null, null, null, CallerScope.Unrestricted, CancellationToken.None);
        Assert.Equal(before.Count, after.Count);
        Assert.All(after, s => Assert.Equal(before[s.Code], RiskScoreJson.Serialize(s)));
        await using var flag = _db.DataSource.CreateCommand("""
            SELECT score_kandidaat(s.kandidaat, s.flags) FROM score s JOIN area a ON a.id = s.area_id
            WHERE a.code = $1 AND s.profile_name = 'riec-standaard' AND s.profile_version = 2 AND s.kandidaat IS NULL
            """);
        flag.Parameters.Add(new NpgsqlParameter { Value = kandidaat.Code });
        Assert.Equal(true, await flag.ExecuteScalarAsync());
        Assert.Equal(areas, (await store.VerifyAsync("riec-standaard", 2, Date, null, CancellationToken.None)).Identical);
    }

    [Fact]
    public async Task An_area_alone_in_its_kind_can_be_a_kandidaat_and_can_score_0()
    {
        // Fixed prior: two areas alone in their kinds in one address pool; one busy, one quiet.
        await SmallWorld.AddProfileAsync(_db, "alleen", """
            {"model": "relative-risk", "half_life_days": 180, "window_days": 365,
             "category_weights": {"drugshandel": 1}, "corroboration_factor": 0.25,
             "reference": "region", "prior_shape": 1,
             "thresholds": {"min_signals": 10, "min_sources": 2, "min_rr_lower": 1.5}}
            """);
        await SmallWorld.AddAreaAsync(_db, "BUSY", "gemeente", 200_000, 400_000, 500, 500, 100);
        await SmallWorld.AddAreaAsync(_db, "QUIET", "custom", 210_000, 400_000, 500, 500, 50_000);
        for (int i = 0; i < 30; i++)
            await SmallWorld.AddSignalAsync(_db, 200_100 + i, 400_100, "drugshandel", i % 2 == 0 ? "politie" : "gemeente", 1, 5 + i);
        var store = new ScoreStore(_db.DataSource);
        var profile = (await store.ProfileAsync("alleen", 1, CancellationToken.None))!;
        var scores = (await store.ComputeAsync(profile, Date, null, null, CancellationToken.None)).ToDictionary(s => s.Code);
        Assert.True(scores["BUSY"].Kandidaat);
        Assert.Equal(new ScoreRank(1, 1, null), scores["BUSY"].Rank);
        Assert.True(scores["BUSY"].Score > 90);
        Assert.True(scores["QUIET"].Score < 0.5, $"QUIET scores {scores["QUIET"].Score} (E {scores["QUIET"].Expected})");
        Assert.Equal(new ScoreRank(1, 1, null), scores["QUIET"].Rank);
        // Nothing observed against a large expectation from the shared address pool.
        Assert.True(scores["QUIET"].Expected > 30);
    }
}

/// <summary>riec-standaard v2 through the API on the demo database.</summary>
public sealed class RelativeRiskApiTests(DemoApiFixture fixture) : IClassFixture<DemoApiFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateClient();

    private async Task<JsonElement> GetAsync(string url)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task The_default_area_score_is_the_typed_v2_record()
    {
        var json = await GetAsync("/api/areas/PC4-1012/score");
        var score = json.Deserialize<RiskScore>(RiskScoreJson.Options)!;
        Assert.Equal(2, score.Version);
        Assert.Equal(RiskScore.Stored, score.Basis);
        Assert.Equal(new DateOnly(2026, 11, 15), score.ReferenceDate);
        Assert.Equal(ScoreScale.FromRelativeRisk(score.RelativeRisk.Mean), score.Score, 12);
        Assert.InRange(score.RelativeRisk.Mean, score.RelativeRisk.Lower, score.RelativeRisk.Upper);
        Assert.Equal(score.Observed, score.Components.Sum(c => c.Observed), 1e-9 * score.Observed);
        Assert.Equal(["min_rr_lower", "min_signals", "min_sources"], score.Reasons.Select(r => r.Threshold));
        Assert.Equal(score.Reasons.All(r => r.Passed), score.Kandidaat);
        Assert.Equal(new ScoreRank(1, 1, null), score.Rank);   // the only postcode area: rank 1 of 1, no percentile
        Assert.Equal("adressen", score.Expectation.Unit);
        Assert.Equal(9800, score.Expectation.Exposure);
        Assert.Equal(score.Expectation.ReferenceRate * 9800, score.Expected, 1e-9 * score.Expected);
        // The JSON carries the documented snake_case names (what the web map reads).
        Assert.True(json.GetProperty("relative_risk").TryGetProperty("lower", out _));
        Assert.True(json.GetProperty("trend").TryGetProperty("p_value", out _));
    }

    [Fact]
    public async Task A_category_selection_is_scored_live_and_labelled_so()
    {
        var live = (await GetAsync("/api/areas/MP-WESTHAVEN/score?categories=havenincident,drugshandel&date=2026-11-15"))
            .Deserialize<RiskScore>(RiskScoreJson.Options)!;
        var stored = (await GetAsync("/api/areas/MP-WESTHAVEN/score")).Deserialize<RiskScore>(RiskScoreJson.Options)!;
        Assert.Equal(RiskScore.Live, live.Basis);
        Assert.Equal(["drugshandel", "havenincident"], live.Categories);
        Assert.Equal(["drugshandel", "havenincident"], live.Components.Select(c => c.Category));
        Assert.True(live.SignalCount < stored.SignalCount);
        Assert.NotEqual(stored.Score, live.Score);
        // The whole profile asked for live (no selection, the profile's window) is the stored score again.
        var again = (await GetAsync("/api/areas/MP-WESTHAVEN/score?window_days=365&date=2026-11-15")).Deserialize<RiskScore>(RiskScoreJson.Options)!;
        Assert.Equal(stored.Score, again.Score);
    }

    [Fact]
    public async Task The_ranking_is_typed_and_says_of_how_many()
    {
        var ranking = await GetAsync("/api/scores?kind=mainport");
        Assert.Equal(2, ranking.GetProperty("version").GetInt32());
        var areas = ranking.GetProperty("areas").Deserialize<List<RiskScore>>(RiskScoreJson.Options)!;
        Assert.Equal(2, areas.Count);
        Assert.All(areas, a => Assert.Equal(2, a.Rank!.Of));
        Assert.Equal(areas.Select(a => a.Score).OrderDescending(), areas.Select(a => a.Score));
        // Both mainports are scored against the same reference: the quieter one is not 0 by construction.
        Assert.All(areas, a => Assert.InRange(a.Score, 5, 100));
    }

    [Fact]
    public async Task The_csv_has_the_numbers_and_trend_of_the_API()
    {
        var ranking = (await GetAsync("/api/scores?kind=mainport")).GetProperty("areas").Deserialize<List<RiskScore>>(RiskScoreJson.Options)!;
        var response = await _client.GetAsync(new Uri("/api/scores?kind=mainport&format=csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimEnd('\r').Split(',');
        Assert.Equal(GeoRisk.Reports.Scores.RiskScoreCsv.Columns, header);
        Assert.Equal(ranking.Count + 1, lines.Length);
        using var csv = new CsvHelper.CsvReader(new StringReader(string.Join('\n', lines)), System.Globalization.CultureInfo.InvariantCulture);
        csv.Read(); csv.ReadHeader();
        foreach (var score in ranking)
        {
            Assert.True(csv.Read());
            Assert.Equal(score.Code, csv.GetField("code"));
            Assert.Equal(score.Score, double.Parse(csv.GetField("score")!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(score.RelativeRisk.Lower, double.Parse(csv.GetField("rr_lower")!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(score.Trend.Direction, csv.GetField("trend_direction"));
            Assert.Equal(GeoRisk.Reports.Factsheets.TrendText.Format(score.Trend, "nl"), csv.GetField("trend_text"));
            Assert.Equal($"{score.Rank!.InKind}", csv.GetField("rank_in_kind"));
        }
    }

    [Fact]
    public async Task The_factsheet_shows_the_trend_of_the_API()
    {
        var score = (await GetAsync("/api/areas/PC4-1012/score")).Deserialize<RiskScore>(RiskScoreJson.Options)!;
        var response = await _client.GetAsync(new Uri("/api/casustafels/1012/factsheet.pdf?area=PC4-1012&from=2025-11-16&to=2026-11-16", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(Path.GetTempPath(), $"factsheet-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("pdftotext") { RedirectStandardOutput = true };
            foreach (var a in new[] { "-layout", path, "-" }) psi.ArgumentList.Add(a);
            using var process = System.Diagnostics.Process.Start(psi)!;
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Contains(GeoRisk.Reports.Factsheets.TrendText.Format(score.Trend, "nl"), text, StringComparison.Ordinal);
            Assert.Contains(GeoRisk.Reports.Factsheets.TrendText.RelativeRisk(score, "nl"), text, StringComparison.Ordinal);
            Assert.Contains("rang 1 van 1", text, StringComparison.Ordinal);
        }
        finally { File.Delete(path); }
    }

    private static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"factsheet-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("pdftotext") { RedirectStandardOutput = true };
            foreach (var a in new[] { "-layout", path, "-" }) psi.ArgumentList.Add(a);
            using var process = System.Diagnostics.Process.Start(psi)!;
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return text;
        }
        finally { File.Delete(path); }
    }

    private async Task<List<Dictionary<string, string>>> CsvAsync(string url)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var csv = new CsvHelper.CsvReader(new StringReader(await response.Content.ReadAsStringAsync()), System.Globalization.CultureInfo.InvariantCulture);
        csv.Read(); csv.ReadHeader();
        Assert.Equal(GeoRisk.Reports.Scores.RiskScoreCsv.Columns, csv.HeaderRecord);
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read()) rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h)!));
        return rows;
    }

    private static double Invariant(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_category_selection_gives_the_live_score_in_the_ranking_its_csv_and_the_factsheet()
    {
        var live = (await GetAsync("/api/areas/PC4-1012/score?categories=drugshandel&date=2026-11-15")).Deserialize<RiskScore>(RiskScoreJson.Options)!;
        var stored = (await GetAsync("/api/areas/PC4-1012/score")).Deserialize<RiskScore>(RiskScoreJson.Options)!;
        Assert.Equal(RiskScore.Live, live.Basis);
        Assert.NotEqual(stored.RelativeRisk.Mean, live.RelativeRisk.Mean);

        // The ranking (JSON and CSV) of the same selection holds the same record.
        var ranking = (await GetAsync("/api/scores?kind=postcode&categories=drugshandel&date=2026-11-15"))
            .GetProperty("areas").Deserialize<List<RiskScore>>(RiskScoreJson.Options)!;
        Assert.Equal(RiskScoreJson.Serialize(live), RiskScoreJson.Serialize(ranking.Single(s => s.Code == "PC4-1012")));
        var row = (await CsvAsync("/api/scores?kind=postcode&format=csv&categories=drugshandel&date=2026-11-15")).Single(r => r["code"] == "PC4-1012");
        Assert.Equal(live.Score, Invariant(row["score"]));
        Assert.Equal(live.RelativeRisk.Mean, Invariant(row["relative_risk"]));
        Assert.Equal(live.RelativeRisk.Lower, Invariant(row["rr_lower"]));
        Assert.Equal("live", row["basis"]);
        Assert.Equal("drugshandel", row["categories"]);
        Assert.Equal("365", row["window_days"]);
        Assert.Equal("2025-11-16", row["window_from"]);
        Assert.Equal(GeoRisk.Reports.Factsheets.TrendText.Basis(live, "nl"), row["basis_text"]);
        Assert.StartsWith("Live berekend voor categorieën drugshandel, venster 365 dagen", row["basis_text"], StringComparison.Ordinal);

        // The factsheet for the list filtered on drugshandel, up to the same date, prints the live score and says so.
        var response = await _client.GetAsync(new Uri("/api/casustafels/1012/factsheet.pdf?area=PC4-1012&category=drugshandel&to=2026-11-15", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await PdfTextAsync(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains(GeoRisk.Reports.Factsheets.TrendText.RelativeRisk(live, "nl"), text, StringComparison.Ordinal);
        Assert.Contains(GeoRisk.Reports.Factsheets.TrendText.Format(live.Trend, "nl"), text, StringComparison.Ordinal);
        Assert.Contains("Live berekend voor categorieën Drugshandel", text, StringComparison.Ordinal);
        Assert.DoesNotContain(GeoRisk.Reports.Factsheets.TrendText.RelativeRisk(stored, "nl"), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_window_is_live_in_csv_and_factsheet_and_no_filter_stays_the_stored_score()
    {
        var live = (await GetAsync("/api/areas/PC4-1012/score?window_days=120&date=2026-11-15")).Deserialize<RiskScore>(RiskScoreJson.Options)!;
        var stored = (await GetAsync("/api/areas/PC4-1012/score")).Deserialize<RiskScore>(RiskScoreJson.Options)!;
        Assert.Equal(120, live.Window.Days);
        var row = (await CsvAsync("/api/scores?kind=postcode&format=csv&window_days=120&date=2026-11-15&lang=en")).Single(r => r["code"] == "PC4-1012");
        Assert.Equal(live.Score, Invariant(row["score"]));
        Assert.Equal("", row["categories"]);
        Assert.Equal("120", row["window_days"]);
        Assert.Equal(GeoRisk.Reports.Factsheets.TrendText.Basis(live, "en"), row["basis_text"]);
        var pdf = await _client.GetByteArrayAsync(new Uri("/api/casustafels/1012/factsheet.pdf?area=PC4-1012&window_days=120&to=2026-11-15&lang=en", UriKind.Relative));
        var text = await PdfTextAsync(pdf);
        Assert.Contains(GeoRisk.Reports.Factsheets.TrendText.RelativeRisk(live, "en"), text, StringComparison.Ordinal);
        Assert.Contains("Live score for categories every", text, StringComparison.Ordinal);

        // Without a selection: the stored score, in the CSV labelled as the profile's, in the PDF without a live line.
        var plain = (await CsvAsync("/api/scores?kind=postcode&format=csv")).Single(r => r["code"] == "PC4-1012");
        Assert.Equal(stored.Score, Invariant(plain["score"]));
        Assert.Equal("stored", plain["basis"]);
        Assert.StartsWith("Opgeslagen score van profiel riec-standaard v2", plain["basis_text"], StringComparison.Ordinal);
        var plainText = await PdfTextAsync(await _client.GetByteArrayAsync(new Uri("/api/casustafels/1012/factsheet.pdf?area=PC4-1012&to=2026-11-15", UriKind.Relative)));
        Assert.Contains(GeoRisk.Reports.Factsheets.TrendText.RelativeRisk(stored, "nl"), plainText, StringComparison.Ordinal);
        Assert.DoesNotContain("Live berekend", plainText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/scores?categories=fraude", "categories")]
    [InlineData("/api/scores?format=csv&window_days=3", "window_days")]
    [InlineData("/api/scores?version=1&categories=drugshandel", "categories")]
    [InlineData("/api/casustafels/1012/factsheet.pdf?area=PC4-1012&window_days=x", "window_days")]
    [InlineData("/api/casustafels/1012/factsheet.pdf?area=PC4-1012&window_days=4000", "window_days")]
    [InlineData("/api/areas/PC4-1012/score?categories=fraude", "categories")]
    [InlineData("/api/areas/PC4-1012/score?window_days=2", "window_days")]
    [InlineData("/api/areas/PC4-1012/score?version=1&categories=drugshandel", "categories")]
    public async Task Bad_selections_of_the_ranking_factsheet_and_live_score_are_400_problems(string url, string named)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
