using System.Text;
using GeoRisk.Core.Intake;
using GeoRisk.Data.Hexbins;
using GeoRisk.Data.Intake;
using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Intake;

/// <summary>
/// signal's code columns are kept by set-based statement triggers instead of foreign keys
/// (sql/functions/2210_signal_references.sql): every writer is held to the rule, the code tables
/// cannot lose a code in use, and a delete racing an open import fails as it did with a foreign key.
/// </summary>
public sealed class IntakeReferenceRuleTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private const string Insert =
        "INSERT INTO signal (source, external_id, category, observed_at, precision, geom) " +
        "VALUES ($1, $2, $3, now() - interval '1 day', $4, ST_SetSRID(ST_MakePoint(121000, 487000), 28992))";

    private TestDatabase Db => fixture.Database;

    private async Task<PostgresException> FailsAsync(string sql, params object[] parameters)
    {
        var e = await Assert.ThrowsAsync<PostgresException>(() => Db.ScalarAsync<object>(sql, parameters));
        return e;
    }

    [Fact]
    public async Task Writing_an_unknown_code_in_any_of_the_four_columns_fails_with_a_foreign_key_violation()
    {
        var category = await FailsAsync(Insert, "politie", "RR-1", "wapenhandel", "object");
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, category.SqlState);
        Assert.Equal("category", category.ColumnName);
        var source = await FailsAsync(Insert, "onbekend", "RR-2", "drugshandel", "object");
        Assert.Equal("source", source.ColumnName);
        var precision = await FailsAsync(Insert, "politie", "RR-3", "drugshandel", "huisnummer");
        Assert.Equal("precision", precision.ColumnName);
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id LIKE 'RR-%'"));

        // One bad row among good ones fails the whole statement, as a foreign key would.
        var many = await FailsAsync(
            "INSERT INTO signal (source, external_id, category, observed_at, geom) " +
            "SELECT 'politie', 'RR-M' || g, CASE WHEN g = 500 THEN 'wapenhandel' ELSE 'drugshandel' END, now(), " +
            "ST_SetSRID(ST_MakePoint(121000 + g, 487000), 28992) FROM generate_series(1, 1000) g");
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, many.SqlState);
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id LIKE 'RR-%'"));

        await Db.ScalarAsync<object>(Insert, "politie", "RR-4", "drugshandel", "object");
        var status = await FailsAsync("UPDATE signal SET followup_status = 'vergeten' WHERE external_id = 'RR-4'");
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, status.SqlState);
        Assert.Equal("followup_status", status.ColumnName);
        var category2 = await FailsAsync("UPDATE signal SET category = 'wapenhandel' WHERE external_id = 'RR-4'");
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, category2.SqlState);
        Assert.Equal("drugshandel", await Db.ScalarAsync<string>("SELECT category FROM signal WHERE external_id = 'RR-4'"));
        await Db.ScalarAsync<object>("UPDATE signal SET category = 'witwassen', source = 'gemeente' WHERE external_id = 'RR-4'");
        Assert.Equal("witwassen", await Db.ScalarAsync<string>("SELECT category FROM signal WHERE external_id = 'RR-4'"));
    }

    [Fact]
    public async Task A_code_in_use_cannot_be_deleted_renamed_or_truncated_but_an_unused_one_can()
    {
        await Db.ScalarAsync<object>("INSERT INTO category (code, label_nl, label_en) VALUES ('rr_used', 'x', 'x'), ('rr_unused', 'y', 'y')");
        await Db.ScalarAsync<object>(Insert, "kvk", "RD-1", "rr_used", "street");

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, (await FailsAsync("DELETE FROM category WHERE code = 'rr_used'")).SqlState);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, (await FailsAsync("UPDATE category SET code = 'rr_renamed' WHERE code = 'rr_used'")).SqlState);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, (await FailsAsync("DELETE FROM source_partner WHERE code = 'kvk'")).SqlState);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, (await FailsAsync("DELETE FROM location_precision WHERE code = 'street'")).SqlState);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, (await FailsAsync("DELETE FROM followup_status WHERE code = 'nieuw'")).SqlState);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, (await FailsAsync("TRUNCATE location_precision")).SqlState);
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM category WHERE code = 'rr_used'"));

        // Labels change freely; an unused code goes.
        await Db.ScalarAsync<object>("UPDATE category SET label_en = 'relabelled' WHERE code = 'rr_used'");
        await Db.ScalarAsync<object>("DELETE FROM category WHERE code = 'rr_unused'");
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM category WHERE code = 'rr_unused'"));
    }

    [Fact]
    public async Task A_delete_racing_an_open_import_fails_whichever_comes_first()
    {
        await Db.ScalarAsync<object>("INSERT INTO category (code, label_nl, label_en) VALUES ('rr_race1', 'x', 'x'), ('rr_race2', 'y', 'y')");

        // The writer first: the delete waits for its lock, then sees the committed row and fails.
        await using (var writer = await Db.DataSource.OpenConnectionAsync())
        {
            await using var tx = await writer.BeginTransactionAsync();
            await Exec(writer, Insert, "politie", "RC-1", "rr_race1", "object");
            var delete = Task.Run(() => Db.ScalarAsync<object>("DELETE FROM category WHERE code = 'rr_race1'"));
            await WaitForLockWaitAsync();
            await tx.CommitAsync();
            var e = await Assert.ThrowsAsync<PostgresException>(() => delete);
            Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, e.SqlState);
        }
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM category WHERE code = 'rr_race1'"));

        // The delete first: the writer's lock waits for it, finds no row, and the writer fails.
        await using (var deleter = await Db.DataSource.OpenConnectionAsync())
        {
            await using var tx = await deleter.BeginTransactionAsync();
            await Exec(deleter, "DELETE FROM category WHERE code = 'rr_race2'");
            var insert = Task.Run(() => Db.ScalarAsync<object>(Insert, "politie", "RC-2", "rr_race2", "object"));
            await WaitForLockWaitAsync();
            await tx.CommitAsync();
            var e = await Assert.ThrowsAsync<PostgresException>(() => insert);
            Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, e.SqlState);
        }
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id = 'RC-2'"));

        // Outside read committed the code tables refuse changes (a delete could miss newer rows).
        await using (var rr = await Db.DataSource.OpenConnectionAsync())
        {
            await using var tx = await rr.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
            var e = await Assert.ThrowsAsync<PostgresException>(() => Exec(rr, "DELETE FROM category WHERE code = 'rr_race1'"));
            Assert.Equal(PostgresErrorCodes.ObjectNotInPrerequisiteState, e.SqlState);
        }
    }

    [Fact]
    public async Task A_large_batch_rebuilds_the_hexagon_grids_to_the_same_rows_as_the_refresh_around_points()
    {
        // Two imports into two databases: a refresh around the points in one, a rebuild (the
        // large-batch path, threshold lowered) in the other. The grids must be identical.
        var first = Csv(1, 30);
        var second = Csv(20, 80); // rows 20..30 move and change category: old cells must empty
        await using var one = await TestDatabase.CreateAsync();
        await using var other = await TestDatabase.CreateAsync();
        var byPoints = await ImportBothAsync(one, int.MaxValue, first, second);
        var byRebuild = await ImportBothAsync(other, 10, first, second);
        Assert.True(byPoints.Count > 50, $"expected many hexbin rows, got {byPoints.Count}");
        Assert.Equal(byPoints, byRebuild);
    }

    private static async Task<List<string>> ImportBothAsync(TestDatabase db, int rebuildFrom, string first, string second)
    {
        var importer = new SignalImporter(db.DataSource, [new HexbinRefreshListener(new HexbinStore(db.DataSource) { RebuildFromPoints = rebuildFrom })]);
        foreach (var file in new[] { first, second })
        {
            await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(file));
            var result = await importer.ImportAsync(stream, new SignalIntakeOptions(), null, CancellationToken.None);
            Assert.True(result.Written);
        }
        var rows = new List<string>();
        await using var command = db.DataSource.CreateCommand(
            "SELECT format('c %s %s %s %s %s %s %s', size_m, q, r, category, month, n, round(weight::numeric, 6)) FROM hex_count " +
            "UNION ALL SELECT format('t %s %s %s %s', size_m, q, r, n) FROM hex_total " +
            "UNION ALL SELECT format('p %s %s %s %s', size_m, q, r, md5(ST_AsBinary(geom))) FROM hex_cell ORDER BY 1");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    private static string Csv(int from, int to)
    {
        var sb = new StringBuilder("external_id,category,source,observed_at,x,y,reliability\n");
        for (var i = from; i <= to; i++)
        {
            var category = to > 30 && i <= 30 ? "witwassen" : "drugshandel";
            sb.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"HB-{i},{category},politie,2025-0{1 + i % 5}-14,{120000 + i * 137 + (to > 30 ? 400 : 0)},{486000 + i * 91},0.{1 + i % 9}\n");
        }
        return sb.ToString();
    }

    private async Task WaitForLockWaitAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            var waiting = await Db.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
            if (waiting > 0) return;
            await Task.Delay(50);
        }
        Assert.Fail("the second transaction never waited for the first");
    }

    private static async Task Exec(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }
}
