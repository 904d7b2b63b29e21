using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using static GeoRisk.IntegrationTests.Scans.ScanWorld;

namespace GeoRisk.IntegrationTests.Scans;

/// <summary>
/// Scan model rr-score-3 over real HTTP: a sub-area's relative risk against the region is its area
/// score v2 (stored run and live window alike), the observed quantity is the score's weighted one, and
/// the cut-off freezes it like the counts.
/// </summary>
public sealed class ScanScoreModelTests : IAsyncLifetime, IDisposable
{
    private const string ScoreProfile = "riec-standaard";
    private const int ScoreVersion = 2;
    private static readonly string Date = WindowTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private TestDatabase _db = null!;
    private GeoRiskApiFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await CreateAsync(_db);
        await AddSignalsAsync(_db, "BU1", 23, WindowTo);
        await AddSignalsAsync(_db, "BU1", 9, WindowTo, source: "gemeente", category: "witwassen");
        await AddSignalsAsync(_db, "BU2", 3, WindowTo);
        await AddSignalsAsync(_db, "BU3", 12, WindowTo, source: "gemeente");
        await AddSignalsAsync(_db, "BU5", 40, WindowTo);
        _factory = new GeoRiskApiFactory(_db.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _db.DisposeAsync();
    }

    public void Dispose() => _factory?.Dispose();

    private static object Body(string name, string model, int? windowDays = null, string profile = ScoreProfile, int version = ScoreVersion) =>
        new { name, parent = Gemeente, level = "buurt", window_to = Date, window_days = windowDays, profile, version, model };

    private static void AssertSameRelativeRisk(JsonElement scanRow, JsonElement score)
    {
        var rr = score.GetProperty("relative_risk");
        foreach (var (scanField, scoreField) in new[] { ("rr_region", "mean"), ("rr_region_low", "lower"), ("rr_region_high", "upper") })
        {
            var expected = rr.GetProperty(scoreField).GetDouble();
            Assert.Equal(expected, scanRow.GetProperty(scanField).GetDouble(), 1e-12 * Math.Max(1, expected));
        }
        var observed = scanRow.GetProperty("observed");
        Assert.Equal(score.GetProperty("observed").GetDouble(), observed.GetProperty("observed").GetDouble(), 1e-9);
        Assert.Equal(score.GetProperty("expected").GetDouble(), observed.GetProperty("expected_region").GetDouble(), 1e-9);
    }

    [Fact]
    public async Task A_scan_with_the_score_model_gives_every_buurt_its_area_scores_relative_risk()
    {
        using var analyst = await _factory.CreateClientAsync(Role.Analyst);
        Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsJsonAsync("/api/scores/run",
            new { profile = ScoreProfile, version = ScoreVersion, reference_date = Date })).StatusCode);

        var created = await analyst.PostAsJsonAsync("/api/scans", Body("score-model", "rr-score-3"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var scan = await analyst.GetFromJsonAsync<JsonElement>("/api/scans/score-model");
        Assert.Equal("rr-score-3", scan.GetProperty("scan").GetProperty("model").GetString());
        var rows = scan.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("code").GetString()!);
        Assert.Equal(4, rows.Count);
        foreach (var (code, row) in rows)
        {
            // The stored run of the same profile and date: the area score a user reads next to the scan.
            var score = await analyst.GetFromJsonAsync<JsonElement>($"/api/areas/{code}/score?date={Date}&profile={ScoreProfile}&version={ScoreVersion}");
            Assert.Equal("stored", score.GetProperty("basis").GetString());
            AssertSameRelativeRisk(row, score);
        }
        // The weighted observation is not the count (reliability 0.5, half a half-life old), so the
        // scan really took the score's quantity: BU1 has 32 signals from two partners.
        Assert.Equal(32, rows["BU1"].GetProperty("signal_count").GetProperty("value").GetInt32());
        Assert.NotEqual(32, rows["BU1"].GetProperty("observed").GetProperty("observed").GetDouble(), 3);
        var counts = await analyst.PostAsJsonAsync("/api/scans", Body("count-model", "rr-poisson-1"));
        Assert.Equal(HttpStatusCode.Created, counts.StatusCode);
        var countRows = (await analyst.GetFromJsonAsync<JsonElement>("/api/scans/count-model")).GetProperty("rows").EnumerateArray()
            .ToDictionary(r => r.GetProperty("code").GetString()!);
        Assert.NotEqual(countRows["BU1"].GetProperty("rr_region").GetDouble(), rows["BU1"].GetProperty("rr_region").GetDouble(), 6);
        Assert.False(countRows["BU1"].TryGetProperty("observed", out var none) && none.ValueKind != JsonValueKind.Null);

        // Against the parent: the posterior of O against the parent's rate of O; BU1 (most signals per
        // km²) ranks first, BU4 (none) last.
        Assert.Equal(1, rows["BU1"].GetProperty("rank").GetInt32());
        Assert.Equal(4, rows["BU4"].GetProperty("rank").GetInt32());
        Assert.True(rows["BU1"].GetProperty("rr_parent").GetDouble() > 1);

        var verify = await analyst.GetFromJsonAsync<JsonElement>("/api/scans/score-model/verify");
        Assert.Equal(4, verify.GetProperty("identical").GetInt32());

        // The CSV of this model carries O and its expectations after the flags.
        var csv = (await analyst.GetStringAsync("/api/scans/score-model/scan.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var head = csv[0].Split(',');
        Assert.Equal(["no_data", "observed", "observed_expected_parent", "observed_expected_region"], head[16..20]);
        var bu1 = csv.Skip(1).Select(l => l.Split(',')).Single(f => f[1] == "BU1");
        Assert.Equal(rows["BU1"].GetProperty("observed").GetProperty("observed").GetDouble(), double.Parse(bu1[17], CultureInfo.InvariantCulture), 1e-6);
        Assert.DoesNotContain("observed", (await analyst.GetStringAsync("/api/scans/count-model/scan.csv")).Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_window_equals_the_live_area_score_of_that_window_and_the_cutoff_freezes_it()
    {
        using var analyst = await _factory.CreateClientAsync(Role.Analyst);
        Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsJsonAsync("/api/scans", Body("score-window", "rr-score-3", windowDays: 200))).StatusCode);
        var rows = (await analyst.GetFromJsonAsync<JsonElement>("/api/scans/score-window")).GetProperty("rows").EnumerateArray().ToList();
        foreach (var row in rows)
        {
            var code = row.GetProperty("code").GetString();
            var score = await analyst.GetFromJsonAsync<JsonElement>($"/api/areas/{code}/score?date={Date}&profile={ScoreProfile}&version={ScoreVersion}&window_days=200");
            Assert.Equal("live", score.GetProperty("basis").GetString());
            AssertSameRelativeRisk(row, score);
        }

        // Signals imported after the scan change the live score but not the scan: verify recomputes
        // the score model at the scan's cut-off.
        var before = await analyst.GetFromJsonAsync<JsonElement>($"/api/areas/BU2/score?date={Date}&profile={ScoreProfile}&version={ScoreVersion}&window_days=200");
        await AddSignalsAsync(_db, "BU2", 30, WindowTo, source: "gemeente");
        var after = await analyst.GetFromJsonAsync<JsonElement>($"/api/areas/BU2/score?date={Date}&profile={ScoreProfile}&version={ScoreVersion}&window_days=200");
        Assert.True(after.GetProperty("observed").GetDouble() > before.GetProperty("observed").GetDouble());
        var verify = await analyst.GetFromJsonAsync<JsonElement>("/api/scans/score-window/verify");
        Assert.Equal(4, verify.GetProperty("identical").GetInt32());
        Assert.Empty(verify.GetProperty("differing").EnumerateArray());
    }

    [Fact]
    public async Task The_score_model_needs_a_relative_risk_profile_and_viewers_do_not_get_the_exact_observation()
    {
        using var analyst = await _factory.CreateClientAsync(Role.Analyst);
        var refused = await analyst.PostAsJsonAsync("/api/scans", Body("score-v1", "rr-score-3", profile: Profile, version: 1));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("relative-risk profile", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(Profile, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsJsonAsync("/api/scans", Body("score-viewer", "rr-score-3"))).StatusCode);
        using var viewer = await _factory.CreateClientAsync(Role.Viewer);
        var rows = (await viewer.GetFromJsonAsync<JsonElement>("/api/scans/score-viewer")).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.True(!r.TryGetProperty("observed", out var o) || o.ValueKind == JsonValueKind.Null));
    }
}
