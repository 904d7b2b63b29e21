using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.Core.Hexagons;
using Npgsql;

namespace GeoRisk.IntegrationTests.Rtm;

/// <summary>
/// A viewer who subtracts two gelegenheidskaart models of one study area cell by cell: one of
/// every category, one of every category but hennepteelt. Each model's counts are published by
/// the cell-key method with the key sum of exactly the signals the cell counts in that model, so
/// the two answers carry independent noise; the same request twice gives the same bytes, and
/// every published count stays within the documented bound of the admin's exact count.
/// </summary>
public sealed class RtmCellKeyTests(RtmCellKeyTests.TwoModels models) : IClassFixture<RtmCellKeyTests.TwoModels>
{
    /// <summary>The planted world plus 30 busy cells (drugshandel and hennepteelt in the fit year) and two models.</summary>
    public sealed class TwoModels : IAsyncLifetime
    {
        public RtmWorldFixture World { get; } = new();
        public long All { get; private set; }
        public long AllButHennep { get; private set; }
        public List<HexCell> Busy { get; } = [];

        public async Task InitializeAsync()
        {
            await World.InitializeAsync();
            var random = new Random(1510);
            var x = new List<double>();
            var y = new List<double>();
            var categories = new List<string>();
            for (int i = 0; i < 30; i++)
            {
                // Cells of the study area's interior, spaced so that none repeats.
                var (cx, cy) = (RtmWorldFixture.X0 + 300 + 180 * (i % 10) * 3, RtmWorldFixture.Y0 + 500 + 1500 * (i / 10));
                var cell = HexGrid.CellAt(100, cx, cy);
                Busy.Add(cell);
                var centre = HexGrid.Centre(cell);
                foreach (var (category, n) in new[] { ("drugshandel", 8 + i % 7), ("hennepteelt", 1 + i % 6) })
                    for (int j = 0; j < n; j++)
                    {
                        x.Add(centre.X + (random.NextDouble() - 0.5) * 60);
                        y.Add(centre.Y + (random.NextDouble() - 0.5) * 60);
                        categories.Add(category);
                    }
            }
            await using (var command = World.Database.DataSource.CreateCommand("""
                INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
                SELECT 'politie', 'rtm-busy-' || t.i, t.category, timestamptz '2024-06-15 12:00+02', 1, ST_SetSRID(ST_MakePoint(t.x, t.y), 28992)
                FROM unnest($1::float8[], $2::float8[], $3::text[]) WITH ORDINALITY AS t(x, y, category, i)
                """))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = x.ToArray() });
                command.Parameters.Add(new NpgsqlParameter { Value = y.ToArray() });
                command.Parameters.Add(new NpgsqlParameter { Value = categories.ToArray() });
                await command.ExecuteNonQueryAsync();
            }
            var admin = World.Factory.CreateClient();
            var imported = await admin.PostAsync("/api/rtm/factors/import?programme=bg&dataset=laag-a&kind=vakantiepark",
                RtmWorldFixture.Text(RtmWorldFixture.Csv(World.A, "A")));
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
            All = await BuildAsync(admin, null);
            AllButHennep = await BuildAsync(admin, ["drugshandel"]);
        }

        private static async Task<long> BuildAsync(HttpClient admin, string[]? categories)
        {
            var created = await admin.PostAsJsonAsync("/api/rtm/models", new
            {
                study_area = "BG-TEST", fit_from = "2024-01-01", fit_to = "2025-01-01", test_to = "2026-01-01",
                factors = new[] { "vakantiepark" }, categories,
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        }

        public Task DisposeAsync() => World.DisposeAsync();
    }

    private RtmWorldFixture World => models.World;

    [Fact]
    public async Task Two_models_that_differ_by_a_category_do_not_give_a_viewer_the_difference()
    {
        using var admin = World.Factory.CreateClient();
        using var viewer = await World.Factory.CreateClientAsync(Role.Viewer);
        var k = (int)await World.Database.ScalarAsync<int>("SELECT access_suppression_k()");
        var exactAll = await FitCountsAsync(admin, models.All);
        var exactRest = await FitCountsAsync(admin, models.AllButHennep);
        var shownAll = await FitCountsAsync(viewer, models.All);
        var shownRest = await FitCountsAsync(viewer, models.AllButHennep);

        var recovered = new List<(long Recovered, long Truth)>();
        var published = 0;
        foreach (var cell in models.Busy)
        {
            var key = (cell.Q, cell.R);
            Assert.True(exactAll[key] > exactRest[key], $"cell {key}: the left-out category has signals in it");
            // Each model's cell is its own set of signals: the published value is what the C# twin
            // gives for the key sum of that set, summed here from the signals themselves.
            var allKeys = await KeySumAsync(cell, null);
            var restKeys = await KeySumAsync(cell, "drugshandel");
            Assert.Equal(Suppression.Publish(exactAll[key]!.Value, allKeys, k).Value, shownAll[key]);
            Assert.Equal(Suppression.Publish(exactRest[key]!.Value, restKeys, k).Value, shownRest[key]);
            foreach (var (exact, shown) in new[] { (exactAll[key]!.Value, shownAll[key]), (exactRest[key]!.Value, shownRest[key]) })
            {
                if (shown is null) continue;
                published++;
                Assert.True(shown % 5 == 0 && shown >= k && Math.Abs(shown.Value - exact) <= Suppression.Bound(k), $"published {shown} for {exact}");
            }
            if (shownAll[key] is long a && shownRest[key] is long b) recovered.Add((a - b, exactAll[key]!.Value - exactRest[key]!.Value));
        }
        Assert.True(published >= 40, $"only {published} published counts");
        Assert.True(recovered.Count >= 20, $"only {recovered.Count} cells published in both models");
        Assert.Contains(recovered, r => r.Recovered != r.Truth);
        // The noise is there: rounding alone would not give these values.
        Assert.Contains(models.Busy, c => shownAll[(c.Q, c.R)] is long s && s != Suppression.Apply(exactAll[(c.Q, c.R)]!.Value, k).Value);
        // Counts below k stay withheld, whatever the noise.
        Assert.All(exactAll.Where(e => e.Value < k), e => Assert.Null(shownAll[e.Key]));

        // The same request twice (and the CSV): the same answer.
        var url = new Uri($"/api/rtm/models/{models.All}/cells", UriKind.Relative);
        Assert.Equal(await viewer.GetStringAsync(url), await viewer.GetStringAsync(url));
        var csv = (await viewer.GetStringAsync(new Uri($"/api/rtm/models/{models.All}/cells?format=csv", UriKind.Relative)))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => (int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture)), f => f[6]);
        Assert.All(models.Busy, c => Assert.Equal(shownAll[(c.Q, c.R)]?.ToString(CultureInfo.InvariantCulture) ?? "", csv[(c.Q, c.R)]));
    }

    [Fact]
    public async Task A_viewer_gets_the_model_card_with_published_totals_and_no_hit_counts()
    {
        using var admin = World.Factory.CreateClient();
        using var viewer = await World.Factory.CreateClientAsync(Role.Viewer);
        var k = (int)await World.Database.ScalarAsync<int>("SELECT access_suppression_k()");
        foreach (var model in new[] { models.All, models.AllButHennep })
        {
            var exact = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/rtm/models/{model}", UriKind.Relative));
            var shown = await viewer.GetFromJsonAsync<JsonElement>(new Uri($"/api/rtm/models/{model}", UriKind.Relative));
            // The admin's totals are the sums of the cells' exact counts; the viewer's are those sums
            // published with the cells' summed key sums (the C# twin of publish_count).
            var fitSignals = exact.GetProperty("fit").GetProperty("signals").GetInt64();
            var testSignals = exact.GetProperty("fit").GetProperty("test_signals").GetInt64();
            Assert.Equal(await World.Database.ScalarAsync<long>("SELECT sum(fit_count)::bigint FROM rtm_cell WHERE model_id = $1", model), fitSignals);
            var fitKeys = await World.Database.ScalarAsync<long>("SELECT sum(fit_key_sum)::bigint FROM rtm_cell WHERE model_id = $1", model);
            var testKeys = await World.Database.ScalarAsync<long>("SELECT sum(test_key_sum)::bigint FROM rtm_cell WHERE model_id = $1", model);
            Assert.Equal(Suppression.Publish(fitSignals, fitKeys, k).Value, shown.GetProperty("fit").GetProperty("signals").GetInt64());
            Assert.Equal(Suppression.Publish(testSignals, testKeys, k).Value, shown.GetProperty("fit").GetProperty("test_signals").GetInt64());
            Assert.True(Math.Abs(shown.GetProperty("fit").GetProperty("signals").GetInt64() - fitSignals) <= Suppression.Bound(k));
            foreach (var part in new[] { "model", "hotspot" })
            {
                var e = exact.GetProperty("validation").GetProperty(part);
                var v = shown.GetProperty("validation").GetProperty(part);
                Assert.NotEqual(JsonValueKind.Null, e.GetProperty("hits").ValueKind);
                Assert.Equal(JsonValueKind.Null, v.GetProperty("hits").ValueKind);
                Assert.Equal(shown.GetProperty("fit").GetProperty("test_signals").GetInt64(), v.GetProperty("signals").GetInt64());
                foreach (var figure in new[] { "hit_rate", "pai" })
                    Assert.Equal(Math.Round(e.GetProperty(figure).GetDouble(), 2, MidpointRounding.AwayFromZero), v.GetProperty(figure).GetDouble());
            }
            // The model itself (factors, coefficients, intervals) is the admin's.
            Assert.Equal(exact.GetProperty("fit").GetProperty("factors").GetRawText(), shown.GetProperty("fit").GetProperty("factors").GetRawText());
            // The list of models gives the same card.
            var listed = (await viewer.GetFromJsonAsync<JsonElement>(new Uri("/api/rtm/models?study_area=BG-TEST", UriKind.Relative)))
                .EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == model);
            Assert.Equal(shown.GetProperty("fit").GetRawText(), listed.GetProperty("fit").GetRawText());
            Assert.Equal(shown.GetProperty("validation").GetRawText(), listed.GetProperty("validation").GetRawText());
        }
    }

    private static async Task<Dictionary<(int, int), long?>> FitCountsAsync(HttpClient client, long model)
    {
        var json = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/rtm/models/{model}/cells", UriKind.Relative));
        return json.GetProperty("cells").EnumerateArray().ToDictionary(c => (c.GetProperty("q").GetInt32(), c.GetProperty("r").GetInt32()),
            c => c.GetProperty("fit_count").ValueKind == JsonValueKind.Number ? c.GetProperty("fit_count").GetInt64() : (long?)null);
    }

    /// <summary>The record keys of the fit year's signals in a 100 m cell (of one category or all).</summary>
    private Task<long> KeySumAsync(HexCell cell, string? category) =>
        World.Database.ScalarAsync<long>("""
            SELECT coalesce(sum(record_key), 0)::bigint FROM signal
            WHERE hex_q(100, ST_X(geom), ST_Y(geom)) = $1 AND hex_r(100, ST_X(geom), ST_Y(geom)) = $2
              AND observed_at >= timestamptz '2024-01-01 00:00 Europe/Amsterdam' AND observed_at < timestamptz '2025-01-01 00:00 Europe/Amsterdam'
              AND ($3::text IS NULL OR category = $3)
            """, cell.Q, cell.R, (object?)category ?? DBNull.Value);
}
