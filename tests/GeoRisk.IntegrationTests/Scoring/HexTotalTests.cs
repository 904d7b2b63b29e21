using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Scoring;

/// <summary>
/// hex_total (the per-cell totals unfiltered hexbin tiles read) is kept by adding and
/// subtracting what each statement changed in hex_count; it must stay exactly the sum of
/// hex_count through inserts, deletes, updates, truncation and rebuilds, small and large.
/// </summary>
public sealed class HexTotalTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    // Large statements on a shared, busy machine: more than the default 30 s per command.
    private async Task<T> ScalarAsync<T>(string sql)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString) { CommandTimeout = 300 };
        await using var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private Task<long> MismatchesAsync() => ScalarAsync<long>("""
        SELECT count(*) FROM (
          (SELECT size_m, q, r, sum(n)::int FROM hex_count GROUP BY 1, 2, 3 EXCEPT SELECT size_m, q, r, n FROM hex_total)
          UNION ALL
          (SELECT size_m, q, r, n FROM hex_total EXCEPT SELECT size_m, q, r, sum(n)::int FROM hex_count GROUP BY 1, 2, 3)) d
        """);

    [Fact]
    public async Task Totals_equal_the_sum_of_the_counts_after_every_kind_of_change()
    {
        // 4,000 signals over 20 km: over ten thousand hex_count rows in one statement.
        var cells = await ScalarAsync<int>("""
            WITH ins AS (
                INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
                SELECT 'politie', 'HT-' || i, CASE i % 3 WHEN 0 THEN 'drugshandel' WHEN 1 THEN 'witwassen' ELSE 'vastgoed' END,
                       TIMESTAMPTZ '2026-01-01' + (i % 300) * interval '1 day', 0.5 + (i % 5) / 10.0,
                       ST_SetSRID(ST_MakePoint(110000 + (i * 7919) % 20000, 480000 + (i * 104729) % 20000), 28992)
                FROM generate_series(1, 4000) AS i RETURNING id)
            SELECT hex_refresh_signals(ARRAY(SELECT id FROM ins))
            """);
        Assert.True(cells > 10_000, $"only {cells} keys: not a large statement");
        Assert.Equal(4_000L, await ScalarAsync<long>("SELECT sum(n) FROM hex_total WHERE size_m = 2500"));
        Assert.Equal(0, await MismatchesAsync());

        await ScalarAsync<int>(
            "SELECT hex_delete_signals(ARRAY(SELECT id FROM signal WHERE external_id LIKE 'HT-%' AND id % 2 = 0))");
        Assert.Equal(0, await MismatchesAsync());
        var left = await ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id LIKE 'HT-%'");
        Assert.InRange(left, 1, 3_999);
        Assert.Equal(left, await ScalarAsync<long>("SELECT sum(n) FROM hex_total WHERE size_m = 2500"));

        await ScalarAsync<int>("WITH u AS (UPDATE hex_count SET n = n + 1 WHERE size_m = 100 RETURNING 1) SELECT count(*)::int FROM u");
        Assert.Equal(0, await MismatchesAsync());

        await ScalarAsync<int>("TRUNCATE hex_count; SELECT 1");
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM hex_total"));
        await ScalarAsync<object>("SELECT hex_rebuild()");
        Assert.Equal(0, await MismatchesAsync());
        Assert.Equal(left, await ScalarAsync<long>("SELECT sum(n) FROM hex_total WHERE size_m = 2500"));
    }
}
