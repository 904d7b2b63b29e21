using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GeoRisk.Data.Intake;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GeoRisk.IntegrationTests.Hardening;

/// <summary>
/// An import that committed answers success: hexbin upkeep is part of the import's transaction
/// (so two overlapping imports cannot race on hex_count and both answer 200 with current
/// hexbins), and what runs after the commit — a slow or failing listener — cannot turn the
/// answer into an error.
/// </summary>
public sealed class ImportAnswerTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private WebApplicationFactory<Program> _factory = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new GeoRiskApiFactory(_database.ConnectionString).WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddSingleton<ISignalChangeListener, SlowFailingListener>()));
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>After the commit: takes its time, then fails the way a timed-out refresh did.</summary>
    private sealed class SlowFailingListener : ISignalChangeListener
    {
        public async Task OnSignalsChangedAsync(IReadOnlyList<(double X3857, double Y3857)> points, CancellationToken cancellationToken)
        {
            await Task.Delay(200, CancellationToken.None);
            throw new TimeoutException("refresh took too long");
        }
    }

    private static string Csv(string prefix, int from, int count)
    {
        var text = new StringBuilder("external_id,category,source,observed_at,x,y\n");
        for (var i = from; i < from + count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{prefix}-{i},drugshandel,politie,2025-0{1 + i % 9}-15,{121000 + i % 40 * 50},{487000 + i / 40 * 50}\n");
        }
        return text.ToString();
    }

    [Fact]
    public async Task Two_concurrent_overlapping_imports_both_answer_200_and_leave_current_hexbins()
    {
        using var a = _factory.CreateClient();
        using var b = _factory.CreateClient();
        var first = a.PostAsync(new Uri("/api/signals/import", UriKind.Relative), new StringContent(Csv("C", 0, 1500), Encoding.UTF8, "text/csv"));
        var second = b.PostAsync(new Uri("/api/signals/import", UriKind.Relative), new StringContent(Csv("C", 700, 1500), Encoding.UTF8, "text/csv"));
        var answers = await Task.WhenAll(first, second);
        foreach (var answer in answers)
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        var results = await Task.WhenAll(answers.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(2200, results.Sum(r => r.GetProperty("inserted").GetInt32()));
        Assert.Equal(2200L, await _database.ScalarAsync<long>("SELECT count(*) FROM signal"));
        // Every size of the grid counts every signal once: the refresh ran, for both imports.
        var perSize = await _database.ScalarAsync<long>("SELECT count(*) FROM (SELECT size_m FROM hex_count GROUP BY size_m HAVING sum(n) <> 2200) x");
        Assert.Equal(0L, perSize);
        Assert.True(await _database.ScalarAsync<long>("SELECT count(DISTINCT size_m) FROM hex_count") > 0);
    }

    [Fact]
    public async Task A_listener_that_fails_after_the_commit_does_not_turn_a_committed_import_into_an_error()
    {
        using var client = _factory.CreateClient();
        using var response = await client.PostAsync(new Uri("/api/signals/import", UriKind.Relative), new StringContent(Csv("F", 0, 50), Encoding.UTF8, "text/csv"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(50L, await _database.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id LIKE 'F-%'"));
        Assert.Equal(0L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT size_m FROM hex_count GROUP BY size_m HAVING sum(n) <> (SELECT count(*) FROM signal)) x"));
    }
}
