using System.Text.Json;
using GeoRisk.Core.Scoring;
using GeoRisk.Data.Scoring;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Scoring;

/// <summary>The SQL scoring (score_compute/score_run) against hand-computed values and against the C# reference model.</summary>
public sealed class ScoringSqlTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private const string HandProfile = """
        {"half_life_days": 100, "window_days": 365,
         "category_weights": {"drugshandel": 1.0, "witwassen": 2.0, "burgermelding": 0.0},
         "corroboration_factor": 0.5, "normalisation": "area", "shrinkage": false,
         "thresholds": {"min_signals": 3, "min_sources": 2, "min_score": 50}, "suppression_k": 5}
        """;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _db.DisposeAsync();

    private sealed record Row(string Code, double Score, double Raw, int Signals, int Sources, Dictionary<string, double> Components, JsonElement Flags);

    private async Task<Dictionary<string, Row>> StoredAsync(string profile)
    {
        await using var command = _db.DataSource.CreateCommand("""
            SELECT a.code, s.score, s.raw, s.signal_count, s.source_count, s.components::text, s.flags::text
            FROM score s JOIN area a ON a.id = s.area_id WHERE s.profile_name = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = profile });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, Row>();
        while (await reader.ReadAsync())
            rows[reader.GetString(0)] = new Row(reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetInt32(3), reader.GetInt32(4),
                JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(5))!, JsonDocument.Parse(reader.GetString(6)).RootElement.Clone());
        return rows;
    }

    [Fact]
    public async Task Small_world_by_hand_in_SQL()
    {
        // The same world as the unit test RiskModelTests.Small_world_scored_by_hand: A 1 km², B 2 km², C 0.5 km².
        await SmallWorld.AddProfileAsync(_db, "hand", HandProfile);
        await SmallWorld.AddAreaAsync(_db, "A", "wijk", 100000, 400000, 1000, 1000);
        await SmallWorld.AddAreaAsync(_db, "B", "wijk", 110000, 400000, 1000, 2000);
        await SmallWorld.AddAreaAsync(_db, "C", "wijk", 120000, 400000, 500, 1000);
        await SmallWorld.AddSignalAsync(_db, 100500, 400500, "drugshandel", "politie", 1.0, 0.0001);
        await SmallWorld.AddSignalAsync(_db, 100500, 400500, "drugshandel", "gemeente", 0.5, 100);
        await SmallWorld.AddSignalAsync(_db, 100500, 400500, "witwassen", "fiod", 1.0, 200);
        for (int i = 0; i < 3; i++) await SmallWorld.AddSignalAsync(_db, 110500, 401000, "drugshandel", "politie", 1.0, 100);
        await SmallWorld.AddSignalAsync(_db, 110500, 401000, "burgermelding", "gemeente", 1.0, 10);
        await SmallWorld.AddSignalAsync(_db, 120250, 400500, "witwassen", "politie", 0.8, 0.0001);
        await SmallWorld.AddSignalAsync(_db, 120250, 400500, "witwassen", "gemeente", 1.0, 300);
        await SmallWorld.AddSignalAsync(_db, 120250, 400500, "drugshandel", "politie", 1.0, 400); // outside the window

        var result = await new ScoreStore(_db.DataSource).RunAsync("hand", 1, SmallWorld.ReferenceDate, null, CancellationToken.None);
        Assert.Equal(3, result.Areas);
        Assert.Equal(1, result.Kandidaten);
        var rows = await StoredAsync("hand");

        // age 0.0001 days: 2^(-0.000001) differs from 1 by 7e-7: tolerance 1e-5.
        Assert.Equal(3.5, rows["A"].Raw, 1e-5);
        Assert.Equal(2.5, rows["A"].Components["drugshandel"], 1e-5);
        Assert.Equal(1.0, rows["A"].Components["witwassen"], 1e-5);
        Assert.Equal(1.125, rows["B"].Raw, 1e-9);
        Assert.Equal(5.55, rows["C"].Raw, 1e-5);
        Assert.Equal(2, rows["C"].Signals);
        Assert.Equal(4, rows["B"].Signals);
        Assert.Equal((0.0, 50.0, 100.0), (rows["B"].Score, rows["A"].Score, rows["C"].Score));
        Assert.True(rows["A"].Flags.GetProperty("kandidaat").GetBoolean());
        Assert.False(rows["C"].Flags.GetProperty("kandidaat").GetBoolean());
        var failedC = rows["C"].Flags.GetProperty("reasons").EnumerateArray().Where(r => !r.GetProperty("passed").GetBoolean())
            .Select(r => r.GetProperty("threshold").GetString()).ToList();
        Assert.Equal(["min_signals"], failedC);
        foreach (var row in rows.Values)
            Assert.Equal(row.Raw, row.Components.Values.Sum(), 1e-9 * Math.Max(1, row.Raw));
    }

    [Fact]
    public async Task SQL_scores_equal_the_CSharp_model_on_a_random_world_with_shrinkage()
    {
        var profileJson = """
            {"half_life_days": 90, "window_days": 365,
             "category_weights": {"drugshandel": 1.0, "witwassen": 1.5, "vastgoed": 0.5},
             "corroboration_factor": 0.25, "normalisation": "auto", "shrinkage": true,
             "thresholds": {"min_signals": 5, "min_sources": 2, "min_score": 70}, "suppression_k": 5}
            """;
        await SmallWorld.AddProfileAsync(_db, "random", profileJson);
        var random = new Random(404);
        var areas = new List<(string Code, string Kind, double X, double Y, double W, double H, double? Exposure)>();
        for (int i = 0; i < 24; i++)
        {
            string kind = i % 3 == 0 ? "buurt" : i % 3 == 1 ? "wijk" : "postcode";
            double w = 200 + random.Next(2000), h = 200 + random.Next(2000);
            double? exposure = kind == "postcode" ? 500 + random.Next(5000) : null; // every postcode has one: per 1,000 adressen
            areas.Add(($"R{i:00}", kind, 130000 + i * 3000, 450000, w, h, exposure));
            await SmallWorld.AddAreaAsync(_db, $"R{i:00}", kind, 130000 + i * 3000, 450000, w, h, exposure);
        }
        var categories = new[] { "drugshandel", "witwassen", "vastgoed", "burgermelding" };
        var sources = new[] { "politie", "gemeente", "fiod", "om", "kvk" };
        var inputs = new List<SignalInput>();
        for (int k = 0; k < 300; k++)
        {
            var a = areas[random.Next(areas.Count)];
            var (category, source) = (categories[random.Next(categories.Length)], sources[random.Next(sources.Length)]);
            double reliability = Math.Round(random.NextDouble(), 2), age = 1 + random.NextDouble() * 360;
            await SmallWorld.AddSignalAsync(_db, a.X + random.NextDouble() * a.W, a.Y + random.NextDouble() * a.H, category, source, reliability, age);
            inputs.Add(new SignalInput(a.Code, category, source, (float)reliability, age));
        }
        await new ScoreStore(_db.DataSource).RunAsync("random", 1, SmallWorld.ReferenceDate, null, CancellationToken.None);
        var rows = await StoredAsync("random");

        var profile = ScoringProfile.Parse("random", 1, profileJson);
        var km2 = await AreaKm2Async();
        var expected = RiskModel.Score(profile,
            areas.Select(a => new AreaInput(a.Code, a.Kind, RiskModel.Denominator(km2[a.Code], a.Exposure, a.Exposure is not null))).ToList(), inputs);
        Assert.Equal(24, rows.Count);
        foreach (var e in expected)
        {
            var row = rows[e.Code];
            Assert.Equal(e.Raw, row.Raw, 1e-9 * Math.Max(1, e.Raw));
            Assert.Equal(e.Score, row.Score, 1e-9);
            Assert.Equal(e.SignalCount, row.Signals);
            Assert.Equal(e.SourceCount, row.Sources);
            Assert.Equal(e.Kandidaat, row.Flags.GetProperty("kandidaat").GetBoolean());
            Assert.Equal(e.ShrinkageWeight, row.Flags.GetProperty("shrinkage_weight").GetDouble(), 1e-9);
            foreach (var (category, value) in e.Components)
                Assert.Equal(value, row.Components[category], 1e-9 * Math.Max(1, Math.Abs(value)));
            Assert.Equal(row.Raw, row.Components.Values.Sum(), 1e-9 * Math.Max(1, row.Raw));
        }
    }

    [Fact]
    public async Task A_stored_run_is_reproducible_and_verification_notices_new_data()
    {
        await SmallWorld.AddProfileAsync(_db, "hand", HandProfile);
        await SmallWorld.AddAreaAsync(_db, "T1", "buurt", 200000, 400000, 1000, 1000);
        await SmallWorld.AddAreaAsync(_db, "T2", "buurt", 202000, 400000, 1000, 1000);
        await SmallWorld.AddAreaAsync(_db, "T3", "buurt", 204000, 400000, 1000, 1000);
        // T1 and T2 get identical signals: a tie that must give equal scores, run after run.
        foreach (var x in new[] { 200500.0, 202500.0 })
        {
            await SmallWorld.AddSignalAsync(_db, x, 400500, "drugshandel", "politie", 0.7, 30);
            await SmallWorld.AddSignalAsync(_db, x, 400500, "witwassen", "gemeente", 0.9, 45);
        }
        await SmallWorld.AddSignalAsync(_db, 204500, 400500, "drugshandel", "politie", 0.7, 30);
        var store = new ScoreStore(_db.DataSource);
        await store.RunAsync("hand", 1, SmallWorld.ReferenceDate, null, CancellationToken.None);
        var first = await StoredAsync("hand");
        Assert.Equal(first["T1"].Score, first["T2"].Score);
        Assert.Equal(first["T1"].Raw, first["T2"].Raw);
        // Two tied areas above one: both have one area below them, 100 · 1 / (3 − 1) = 50.
        Assert.Equal(50, first["T1"].Score);
        Assert.Equal(0, first["T3"].Score);

        var verification = await store.VerifyAsync("hand", 1, SmallWorld.ReferenceDate, null, CancellationToken.None);
        Assert.Equal((3, 3, 0), (verification.Compared, verification.Identical, verification.Missing));

        await store.RunAsync("hand", 1, SmallWorld.ReferenceDate, null, CancellationToken.None);
        var second = await StoredAsync("hand");
        foreach (var code in first.Keys)
            Assert.Equal((first[code].Score, first[code].Raw, first[code].Signals), (second[code].Score, second[code].Raw, second[code].Signals));

        await SmallWorld.AddSignalAsync(_db, 204500, 400500, "witwassen", "fiod", 1.0, 5);
        var after = await store.VerifyAsync("hand", 1, SmallWorld.ReferenceDate, null, CancellationToken.None);
        Assert.Contains("T3", after.Differing);
    }

    [Fact]
    public async Task The_trend_compares_with_the_previous_window()
    {
        await SmallWorld.AddProfileAsync(_db, "hand", HandProfile);
        await SmallWorld.AddAreaAsync(_db, "UP", "buurt", 300000, 400000, 1000, 1000);
        await SmallWorld.AddSignalAsync(_db, 300500, 400500, "drugshandel", "politie", 1.0, 400); // previous window, age 35 days there
        await SmallWorld.AddSignalAsync(_db, 300500, 400500, "drugshandel", "politie", 1.0, 35);
        await SmallWorld.AddSignalAsync(_db, 300500, 400500, "drugshandel", "gemeente", 1.0, 35);
        await new ScoreStore(_db.DataSource).RunAsync("hand", 1, SmallWorld.ReferenceDate, null, CancellationToken.None);
        var trend = (await StoredAsync("hand"))["UP"].Flags.GetProperty("trend");
        // Now: 2 · 2^(−0.35) · 1.5 (two sources); before: 1 · 2^(−0.35) (age counted from that window's end).
        Assert.Equal(Math.Pow(2, -0.35), trend.GetProperty("previous_raw").GetDouble(), 1e-9);
        Assert.Equal("up", trend.GetProperty("direction").GetString());
        Assert.Equal(1, trend.GetProperty("previous_signal_count").GetInt32());
    }

    private async Task<Dictionary<string, double>> AreaKm2Async()
    {
        await using var command = _db.DataSource.CreateCommand("SELECT code, area_km2 FROM area");
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, double>();
        while (await reader.ReadAsync()) result[reader.GetString(0)] = reader.GetDouble(1);
        return result;
    }
}
