using System.Net;
using System.Text;
using GeoRisk.IntegrationTests.Intake;
using Npgsql;

namespace GeoRisk.IntegrationTests.Scoring;

/// <summary>
/// signal_area under concurrent writers: two signal imports and a boundary re-import through the
/// real API, each on its own connection, overlap while each has rows the others cannot see yet.
/// The trigger locks (sql/functions/1110_signal_area.sql) must make the later join see the earlier
/// commit, so the table still equals a fresh ST_Intersects join afterwards.
/// </summary>
public sealed class SignalAreaConcurrencyTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateClient();

    /// <summary>Backends of this database waiting for a lock on signal_area, and for an advisory lock (the importers' serialisation).</summary>
    private Task<string> WaitersAsync() => fixture.Database.ScalarAsync<string>("""
        SELECT count(*) FILTER (WHERE l.locktype = 'relation' AND l.relation = 'signal_area'::regclass) || ' at signal_area, '
            || count(*) FILTER (WHERE l.locktype = 'advisory') || ' at the import lock'
        FROM pg_locks l
        WHERE NOT l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """);

    private async Task UntilAsync(string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string now;
        while ((now = await WaitersAsync()) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {expected}, have {now}");
            await Task.Delay(50);
        }
    }

    private Task<HttpResponseMessage> ImportSignalsAsync(string rows) =>
        _client.PostAsync(new Uri("/api/signals/import", UriKind.Relative),
            new StringContent("external_id,category,source,observed_at,lon,lat\n" + rows, Encoding.UTF8, "text/csv"));

    private Task<HttpResponseMessage> ImportBoundariesAsync(string geojson, string validFrom) =>
        _client.PostAsync(new Uri($"/api/areas/import{SignalAreaIntakeTests.BuurtQuery}&valid_from={validFrom}", UriKind.Relative),
            new StringContent(geojson, Encoding.UTF8, "application/geo+json"));

    /// <summary>Rows of n signals spread over the west and the east square.</summary>
    private static string Signals(string prefix, int n) => string.Concat(Enumerable.Range(0, n).Select(i =>
        FormattableString.Invariant($"{prefix}-{i},drugshandel,politie,2025-06-{1 + i % 28:00},{4.8505 + 0.0018 * (i % 10):0.00000},{52.3005 + 0.0012 * (i % 7):0.00000}\n")));

    [Fact]
    public async Task Two_signal_imports_and_a_boundary_reimport_at_once_leave_signal_area_exact()
    {
        var first = await ImportBoundariesAsync(SignalAreaIntakeTests.Boundaries(("BU0362SA01", SignalAreaIntakeTests.West), ("BU0362SA02", SignalAreaIntakeTests.East)), "2020-01-01");
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var before = await ImportSignalsAsync(Signals("C0", 40));
        Assert.True(before.StatusCode == HttpStatusCode.OK, await before.Content.ReadAsStringAsync());

        // A transaction of our own holds signal_area in SHARE mode, which both trigger lock modes
        // wait for: each import stops at its trigger's LOCK with its own rows written, uncommitted.
        await using var blocker = new NpgsqlConnection(fixture.Database.ConnectionString);
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockCommand = new NpgsqlCommand("LOCK TABLE signal_area IN SHARE MODE", blocker, hold))
            await lockCommand.ExecuteNonQueryAsync();

        // Signal import A has inserted its signals and waits to assign them.
        var a = ImportSignalsAsync(Signals("CA", 60));
        await UntilAsync("1 at signal_area, 0 at the import lock");
        // The boundary re-import (the west square twice as wide, the east square unchanged) has
        // inserted its new version and waits behind A: neither sees the other's rows.
        var boundaries = ImportBoundariesAsync(SignalAreaIntakeTests.Boundaries(("BU0362SA01", SignalAreaIntakeTests.Wide), ("BU0362SA02", SignalAreaIntakeTests.East)), "2024-01-01");
        await UntilAsync("2 at signal_area, 0 at the import lock");
        // Signal import B waits for A (imports of signals are serialised), then inserts while the
        // boundary import, queued before it, still has its new version uncommitted.
        var b = ImportSignalsAsync(Signals("CB", 60));
        await UntilAsync("2 at signal_area, 1 at the import lock");

        await hold.CommitAsync();
        foreach (var response in await Task.WhenAll(a, boundaries, b))
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>(SignalAreaCheck.Mismatches));
        // Every signal of all three imports is in the new, wider west version or in the east square.
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("""
            SELECT count(*) FROM signal s
            WHERE s.external_id ~ '^C[0AB]-'
              AND NOT EXISTS (SELECT 1 FROM signal_area sa JOIN area x ON x.id = sa.area_id
                              WHERE sa.signal_id = s.id AND x.valid_to IS NULL)
            """));
        Assert.Equal(160L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id ~ '^C[0AB]-'"));
        // The new west version holds signals of A and of B: the pairs each side could not see when it wrote.
        Assert.Equal(2L, await fixture.Database.ScalarAsync<long>("""
            SELECT count(DISTINCT substr(s.external_id, 1, 2)) FROM signal s
            JOIN signal_area sa ON sa.signal_id = s.id JOIN area x ON x.id = sa.area_id
            WHERE x.code = 'BU0362SA01' AND x.valid_from = '2024-01-01' AND s.external_id ~ '^C[AB]-'
            """));
    }
}
