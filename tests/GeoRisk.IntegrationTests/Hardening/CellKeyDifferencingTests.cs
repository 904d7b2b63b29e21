using System.Net.Http.Json;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using GeoRisk.IntegrationTests.Tiles;
using Npgsql;

namespace GeoRisk.IntegrationTests.Hardening;

/// <summary>
/// A viewer who subtracts across category selections and cells (docs/access.md, "Suppression",
/// the cell-key method): the total minus the total of all but one category, or a hexagon's count
/// minus its split, must not give the left-out count back; the same request asked twice must
/// give the same answer; every published count stays within the documented bound of the truth.
/// The exact counts come from an admin asking the same question.
/// </summary>
public sealed class CellKeyDifferencingTests : IDisposable
{
    private readonly GeoRiskApiFactory _factory = new(DemoDatabase.ConnectionString);

    public void Dispose() => _factory.Dispose();

        [Fact]
    public async Task Total_minus_the_other_categories_does_not_give_a_viewer_the_left_out_count()
    {
        using var viewer = await _factory.CreateClientAsync(Role.Viewer);
        using var admin = _factory.CreateClient();
        var k = await ScalarIntAsync("SELECT access_suppression_k()");
        var categories = await ListAsync("SELECT code FROM category ORDER BY code");
        // The busiest wijken: counts well above k, so that subtraction is the only way in.
        var areas = await ListAsync("""
            SELECT a.code FROM area a JOIN signal_area sa ON sa.area_id = a.id
            WHERE a.valid_to IS NULL AND a.kind = 'wijk'
            GROUP BY a.code ORDER BY count(*) DESC, a.code LIMIT 4
            """);
        Assert.Equal(4, areas.Count);
        const string period = "from=2025-11-01&to=2026-11-01";

        var recovered = new List<(string Case, long Recovered, long Truth)>();
        var published = new List<(long Exact, long? Shown)>();
        foreach (var code in areas)
        {
            var exactAll = await StatsTotalAsync(admin, code, period, null);
            var shownAll = await StatsTotalAsync(viewer, code, period, null);
            published.Add((exactAll!.Value, shownAll));
            var exact = new Dictionary<string, long>();
            var shown = new Dictionary<string, long?>();
            foreach (var c in categories)
            {
                exact[c] = (await StatsTotalAsync(admin, code, period, c))!.Value;
                shown[c] = await StatsTotalAsync(viewer, code, period, c);
                published.Add((exact[c], shown[c]));
            }
            // The total minus every other published category: the attacker's estimate of what is left
            // (the category left out, plus the withheld small ones, which the total includes).
            var visible = categories.Where(c => shown[c] is not null).ToList();
            foreach (var left in visible)
            {
                var others = visible.Where(c => c != left).ToList();
                if (shownAll is long all)
                    recovered.Add(($"{code} {left}", all - others.Sum(c => shown[c]!.Value), exactAll.Value - others.Sum(c => exact[c])));
            }
        }

        Assert.True(recovered.Count >= 20, $"only {recovered.Count} cases");
        Assert.Contains(recovered, x => x.Recovered != x.Truth);
        AssertPublishedWithinBound(published, k);

        // The same request asked twice gives the same answer, to the byte: repeating reveals nothing.
        var again = $"/api/areas/{areas[0]}/stats?{period}&category={categories[0]}";
        Assert.Equal(await viewer.GetStringAsync(new Uri(again, UriKind.Relative)), await viewer.GetStringAsync(new Uri(again, UriKind.Relative)));
    }

    [Fact]
    public async Task A_live_score_of_all_but_one_category_gets_its_own_noise_and_the_same_answer_when_asked_again()
    {
        using var viewer = await _factory.CreateClientAsync(Role.Viewer);
        using var admin = _factory.CreateClient();
        var k = await ScalarIntAsync("SELECT access_suppression_k()");
        var categories = await WeightedCategoriesAsync();
        Assert.True(categories.Count >= 3, "the attack needs a few categories");
        var code = (await ListAsync("""
            SELECT a.code FROM area a JOIN signal_area sa ON sa.area_id = a.id
            WHERE a.valid_to IS NULL AND a.kind = 'wijk'
            GROUP BY a.code ORDER BY count(*) DESC, a.code LIMIT 1
            """)).Single();
        // A live score computes every area: two selections, asked by both roles, keep this short.
        var all = string.Join(',', categories);
        var rest = string.Join(',', categories.Skip(1));
        var exactAll = (await SignalCountAsync(admin, code, all))!.Value;
        var exactRest = (await SignalCountAsync(admin, code, rest))!.Value;
        var shownAll = await SignalCountAsync(viewer, code, all);
        var shownRest = await SignalCountAsync(viewer, code, rest);
        Assert.True(exactAll > exactRest, "the left-out category must have signals in the window");
        foreach (var (exact, shown) in new[] { (exactAll, shownAll), (exactRest, shownRest) })
        {
            Assert.NotNull(shown);
            Assert.True(shown % 5 == 0 && Math.Abs(shown!.Value - exact) <= Suppression.Bound(k), $"published {shown} for {exact}");
        }
        // Each selection is its own set of signals with its own cell key: the answer is what the
        // C# twin gives for that set's key sum, read from the database the way the store does.
        Assert.Equal(Suppression.Publish(exactRest, await LiveKeySumAsync(code, categories.Skip(1).ToArray()), k).Value, shownRest);
        Assert.Equal(Suppression.Publish(exactAll, await LiveKeySumAsync(code, categories.ToArray()), k).Value, shownAll);
        var again = $"/api/areas/{code}/score?categories={rest}";
        Assert.Equal(await viewer.GetStringAsync(new Uri(again, UriKind.Relative)), await viewer.GetStringAsync(new Uri(again, UriKind.Relative)));
    }

    [Fact]
    public async Task A_hexagon_minus_its_split_by_category_does_not_give_a_viewer_the_exact_parts()
    {
        using var viewer = await _factory.CreateClientAsync(Role.Viewer);
        using var admin = _factory.CreateClient();
        var k = await ScalarIntAsync("SELECT access_suppression_k()");
        var categories = await ListAsync("SELECT category FROM signal GROUP BY category ORDER BY count(*) DESC, category LIMIT 4");
        // The z12 tile over central Amsterdam (1012 and around): 1 km cells with many signals.
        const string tile = "12/2103/1346";

        async Task<Dictionary<(long, long), long>> CellsAsync(HttpClient client, IEnumerable<string> selection)
        {
            var query = string.Join('&', selection.Select(c => $"category={Uri.EscapeDataString(c)}"));
            using var response = await client.GetAsync(new Uri($"/tiles/hexbins/{tile}.mvt?{query}", UriKind.Relative));
            if (response.StatusCode == System.Net.HttpStatusCode.NoContent) return [];
            response.EnsureSuccessStatusCode();
            var mvt = Mvt.Decode(await response.Content.ReadAsByteArrayAsync());
            var result = new Dictionary<(long, long), long>();
            foreach (var layer in mvt.Layers)
                foreach (var feature in layer.Features)
                {
                    var a = Mvt.Attributes(layer, feature);
                    result[(Convert.ToInt64(a["q"]), Convert.ToInt64(a["r"]))] = Convert.ToInt64(a["n"]);
                }
            return result;
        }

        var exactAll = await CellsAsync(admin, categories);
        var shownAll = await CellsAsync(viewer, categories);
        Assert.NotEmpty(shownAll);
        var recovered = new List<(long Recovered, long Truth)>();
        var published = new List<(long Exact, long? Shown)>();
        foreach (var (cell, n) in shownAll) published.Add((exactAll[cell], n));
        foreach (var left in categories)
        {
            var rest = categories.Where(c => c != left).ToList();
            var exactRest = await CellsAsync(admin, rest);
            var shownRest = await CellsAsync(viewer, rest);
            foreach (var (cell, n) in shownRest)
            {
                published.Add((exactRest[cell], n));
                if (shownAll.TryGetValue(cell, out var total))
                    recovered.Add((total - n, exactAll[cell] - exactRest[cell]));
            }
        }
        Assert.True(recovered.Count >= 6, $"only {recovered.Count} cell pairs were published twice");
        Assert.Contains(recovered, x => x.Recovered != x.Truth);
        AssertPublishedWithinBound(published, k);

        // Asked again by another viewer key: the same cells and counts.
        using var otherViewer = await _factory.CreateClientAsync(Role.Viewer);
        Assert.Equal(shownAll, await CellsAsync(otherViewer, categories));
    }

    /// <summary>
    /// Every published count is a multiple of 5, at least k and within <see cref="Suppression.Bound"/>
    /// of the truth; and the noise is there: the published values are not what rounding alone gives.
    /// </summary>
    private static void AssertPublishedWithinBound(List<(long Exact, long? Shown)> published, int k)
    {
        var shown = published.Where(p => p.Shown is not null).ToList();
        Assert.True(shown.Count >= 10, $"only {shown.Count} published counts");
        Assert.All(shown, p =>
        {
            Assert.True(p.Shown!.Value % 5 == 0 && p.Shown >= k, $"published {p.Shown}");
            Assert.True(Math.Abs(p.Shown.Value - p.Exact) <= Suppression.Bound(k), $"published {p.Shown} for {p.Exact}: beyond the bound {Suppression.Bound(k)}");
        });
        Assert.All(published.Where(p => p.Exact < k), p => Assert.Null(p.Shown));
        Assert.Contains(shown, p => p.Shown != Suppression.Apply(p.Exact, k).Value);
    }

    private static async Task<long?> StatsTotalAsync(HttpClient client, string code, string period, string? category)
    {
        var url = $"/api/areas/{code}/stats?{period}" + (category is null ? "" : $"&category={category}");
        var stats = await client.GetFromJsonAsync<JsonElement>(new Uri(url, UriKind.Relative));
        var n = stats.GetProperty("totals").GetProperty("current").GetProperty("count");
        return n.ValueKind == JsonValueKind.Number ? n.GetInt64() : null;
    }

    /// <summary>The key sum of the signals a live score of these categories counts in its window (the profile's, up to today).</summary>
    private static async Task<long> LiveKeySumAsync(string code, string[] categories)
    {
        await using var db = Data.GeoRiskDatabase.CreateDataSource(DemoDatabase.ConnectionString);
        await using var command = db.CreateCommand("""
            SELECT coalesce(sum(s.record_key), 0)
            FROM scoring_profile p
            JOIN area a ON a.code = $1 AND a.valid_to IS NULL
            JOIN signal_area sa ON sa.area_id = a.id
            JOIN signal s ON s.id = sa.signal_id
            WHERE p.name = 'riec-standaard' AND p.version = (SELECT max(version) FROM scoring_profile WHERE name = 'riec-standaard')
              AND s.category = ANY ($2)
              AND s.observed_at >= (((now() AT TIME ZONE 'Europe/Amsterdam')::date + 1 - (p.params ->> 'window_days')::int)::timestamp AT TIME ZONE 'Europe/Amsterdam')
              AND s.observed_at < (((now() AT TIME ZONE 'Europe/Amsterdam')::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(new NpgsqlParameter { Value = categories });
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long?> SignalCountAsync(HttpClient client, string code, string categories)
    {
        var score = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/areas/{code}/score?categories={categories}", UriKind.Relative));
        var n = score.GetProperty("signal_count");
        return n.ValueKind == JsonValueKind.Number ? n.GetInt64() : null;
    }

    private static async Task<List<string>> WeightedCategoriesAsync() => await ListAsync("""
        SELECT w.key FROM scoring_profile p CROSS JOIN jsonb_each(p.params -> 'category_weights') w
        WHERE p.name = 'riec-standaard' AND p.version = (SELECT max(version) FROM scoring_profile WHERE name = 'riec-standaard')
          AND w.value::text::float8 > 0
        ORDER BY w.key
        """);

    private static async Task<List<string>> ListAsync(string sql)
    {
        await using var db = Data.GeoRiskDatabase.CreateDataSource(DemoDatabase.ConnectionString);
        await using var command = db.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<string>();
        while (await reader.ReadAsync()) list.Add(reader.GetString(0));
        return list;
    }

    private static async Task<int> ScalarIntAsync(string sql)
    {
        await using var db = Data.GeoRiskDatabase.CreateDataSource(DemoDatabase.ConnectionString);
        await using var command = db.CreateCommand(sql);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
