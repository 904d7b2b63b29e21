using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Access;

/// <summary>The suppression helper against the database: SQL and C# agree, and a viewer sees no count below k.</summary>
public sealed class SuppressionDbTests
{
    [Fact]
    public async Task Sql_suppress_count_equals_the_CSharp_rule()
    {
        await using var db = Data.GeoRiskDatabase.CreateDataSource(DemoDatabase.ConnectionString);
        await using var command = db.CreateCommand(
            "SELECT n, k, suppress_count(n, k) FROM generate_series(0, 300) AS n, generate_series(1, 25) AS k");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            var (n, k) = (reader.GetInt32(0), reader.GetInt32(1));
            long? sql = reader.IsDBNull(2) ? null : reader.GetInt64(2);
            Assert.True(Suppression.Apply(n, k).Value == sql, $"n={n} k={k}: SQL {sql?.ToString() ?? "NULL"}, C# {Suppression.Apply(n, k).Value?.ToString() ?? "NULL"}");
            rows++;
        }
        Assert.Equal(301 * 25, rows);
    }

    [Fact]
    public async Task Sql_publish_count_equals_the_CSharp_twin_on_a_random_sample()
    {
        await using var db = Data.GeoRiskDatabase.CreateDataSource(DemoDatabase.ConnectionString);
        // Every cell key once (the perturbation table), then a random sample of counts, key sums and k.
        await using var command = db.CreateCommand("""
            SELECT c::bigint, c::bigint, 5, cell_key_noise(c), publish_count(c, c, 5) FROM generate_series(0, 999) AS c
            UNION ALL
            SELECT n, key_sum, k, cell_key_noise(key_sum), publish_count(n, key_sum, k)
            FROM (SELECT floor(random() * 400)::bigint AS n, floor(random() * 1e9)::bigint AS key_sum,
                         1 + floor(random() * 25)::int AS k
                  FROM generate_series(1, 20000)) s
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            var (n, keySum, k) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2));
            Assert.Equal(Suppression.CellKeyNoise(keySum), reader.GetInt32(3));
            long? sql = reader.IsDBNull(4) ? null : reader.GetInt64(4);
            var csharp = Suppression.Publish(n, keySum, k).Value;
            Assert.True(csharp == sql, $"n={n} key sum={keySum} k={k}: SQL {sql?.ToString() ?? "NULL"}, C# {csharp?.ToString() ?? "NULL"}");
            rows++;
        }
        Assert.Equal(21000, rows);
    }

    [Fact]
    public async Task Every_signal_has_a_random_record_key()
    {
        await using var db = Data.GeoRiskDatabase.CreateDataSource(DemoDatabase.ConnectionString);
        await using var command = db.CreateCommand(
            "SELECT count(*), count(DISTINCT record_key), min(record_key), max(record_key) FROM signal");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        // Drawn at random on insert: the demo's thousands of signals cover most of 0..999.
        Assert.True(reader.GetInt64(0) > 1000);
        Assert.True(reader.GetInt64(1) > 900, $"only {reader.GetInt64(1)} distinct record keys");
        Assert.InRange(reader.GetInt32(2), 0, 999);
        Assert.InRange(reader.GetInt32(3), 0, 999);
    }

    [Theory]
    [InlineData("signal", "id")]
    [InlineData("source_partner", "code")]
    [InlineData("overlay_feature", "id")]
    public async Task A_record_key_cannot_change_once_written(string table, string key)
    {
        // Stored key sums were added up from these keys; a changed key would make them stale and
        // give the same set of records a second noise draw.
        await using var db = Data.GeoRiskDatabase.CreateDataSource(DemoDatabase.ConnectionString);
        var keys = $"SELECT string_agg(record_key::text, ',' ORDER BY {key}) FROM {table}";
        var before = await ScalarStringAsync(db, keys);
        Assert.False(string.IsNullOrEmpty(before), $"the demo has no {table} rows");
        var first = $"{key} = (SELECT min({key}) FROM {table})";

        await using var update = db.CreateCommand($"UPDATE {table} SET record_key = (record_key + 1) % 1000 WHERE {first}");
        var refused = await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
        Assert.Contains($"{table}.record_key is fixed", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await ScalarStringAsync(db, keys));

        // An UPDATE that names the column without changing it passes (rolled back: the demo stays as it is).
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var same = new NpgsqlCommand($"UPDATE {table} SET record_key = record_key WHERE {first}", connection, transaction);
        Assert.Equal(1, await same.ExecuteNonQueryAsync());
        await transaction.RollbackAsync();
    }

    private static async Task<string?> ScalarStringAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return await command.ExecuteScalarAsync() as string;
    }

    [Fact]
    public async Task A_viewer_sees_no_count_below_k_in_the_demo_data()
    {
        await using var db = Data.GeoRiskDatabase.CreateDataSource(DemoDatabase.ConnectionString);
        var viewer = Role.Viewer.ScopeFor([], await ScalarIntAsync(db, "SELECT access_suppression_k()"));
        Assert.True(viewer.Suppressed);

        // Signals per area x category x month: fine enough that many cells are small.
        await using var command = db.CreateCommand("""
            SELECT a.code, s.category, date_trunc('month', s.observed_at) AS month, count(*) AS n,
                   suppress_count(count(*), $1) AS shown
            FROM area a
            JOIN signal s ON ST_Intersects(s.geom, a.geom)
            WHERE a.valid_to IS NULL
            GROUP BY 1, 2, 3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = viewer.SuppressionK });
        await using var reader = await command.ExecuteReaderAsync();
        int cells = 0, small = 0;
        while (await reader.ReadAsync())
        {
            var n = reader.GetInt64(3);
            long? sqlShown = reader.IsDBNull(4) ? null : reader.GetInt64(4);
            var shown = Suppression.Count(n, viewer);
            cells++;
            if (n < viewer.SuppressionK) small++;

            Assert.Equal(sqlShown, shown.Value);
            Assert.Equal(shown.Value is null, shown.Suppressed);
            if (shown.Value is { } value) Assert.True(value >= viewer.SuppressionK, $"shown {value} below k");
            if (n < viewer.SuppressionK) Assert.True(shown.Suppressed);
        }
        // The check means something only if the data has small cells to hide.
        Assert.True(cells > 1000, $"only {cells} cells");
        Assert.True(small > 100, $"only {small} cells below k");
    }

    private static async Task<int> ScalarIntAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
