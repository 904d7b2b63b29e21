using GeoRisk.Data.Migrations;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Foundation;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_a_second_run_applies_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        var runner = new MigrationRunner(database.DataSource);

        Assert.Null(await runner.CurrentVersionAsync());
        var first = await runner.MigrateAsync();
        Assert.Equal(MigrationRunner.Known.Select(m => m.Version), first.Applied.Select(m => m.Version));
        Assert.Equal(MigrationRunner.LatestVersion, await runner.CurrentVersionAsync());

        Assert.Equal(MigrationRunner.KnownRepeatables.Select(r => r.Name), first.Reapplied.Select(r => r.Name));
        Assert.Empty(await runner.PendingRepeatablesAsync());

        var second = await runner.MigrateAsync();
        Assert.Empty(second.Applied);
        Assert.Empty(second.Reapplied);
        Assert.Equal(MigrationRunner.Known.Count, (int)await database.ScalarAsync<long>("SELECT count(*) FROM schema_migration"));
        Assert.Equal(MigrationRunner.KnownRepeatables.Count, (int)await database.ScalarAsync<long>("SELECT count(*) FROM schema_repeatable"));
        // sql/functions/ holds the single current definitions: the hex_total triggers are the
        // delta ones (one function per event, as each sees other transition tables).
        Assert.Equal("hex_count_total_delete=hex_total_after_delete,hex_count_total_insert=hex_total_after_insert,"
                     + "hex_count_total_truncate=hex_total_after_truncate,hex_count_total_update=hex_total_after_update",
            await database.ScalarAsync<string>(
                "SELECT string_agg(tgname || '=' || tgfoid::regproc::text, ',' ORDER BY tgname) FROM pg_trigger "
                + "WHERE tgrelid = 'hex_count'::regclass AND tgname LIKE 'hex_count_total%'"));
        // The schema is really there: the reference data of 0002 is readable.
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM category") >= 18);
        // 0001 only declares camera_viewshed (the generated columns need it); sql/functions/ gave it its body.
        Assert.Equal(19, await database.ScalarAsync<int>(
            "SELECT ST_NPoints(camera_viewshed(ST_SetSRID(ST_MakePoint(121000, 487000), 28992), 90, 60, 100))"));
    }

    [Fact]
    public async Task A_database_migrated_before_the_functions_left_the_numbered_files_is_accepted_and_nothing_runs_again()
    {
        await using var database = await TestDatabase.CreateAsync();
        // What a database migrated with the former files records: their checksums.
        foreach (var (version, checksum) in SupersededChecksums.All)
            await database.ScalarAsync<int>("UPDATE schema_migration SET checksum = $2 WHERE version = $1 RETURNING version", version, checksum);
        const string History = "SELECT string_agg(version || ':' || checksum || ':' || applied_at, ',' ORDER BY version) FROM schema_migration";
        const string Repeatables = "SELECT string_agg(name || ':' || checksum || ':' || applied_at, ',' ORDER BY name) FROM schema_repeatable";
        var history = await database.ScalarAsync<string>(History);
        var repeatables = await database.ScalarAsync<string>(Repeatables);

        var result = await new MigrationRunner(database.DataSource).MigrateAsync();
        Assert.Empty(result.Applied);
        Assert.Empty(result.Reapplied);
        Assert.Equal(history, await database.ScalarAsync<string>(History));
        Assert.Equal(repeatables, await database.ScalarAsync<string>(Repeatables));

        // A former checksum counts for its own file only: anywhere else it is an edit.
        var (formerVersion, formerChecksum) = SupersededChecksums.All[0];
        var other = MigrationRunner.Known.First(m => m.Version != formerVersion && !SupersededChecksums.All.Any(e => e.Version == m.Version));
        await database.ScalarAsync<int>("UPDATE schema_migration SET checksum = $2 WHERE version = $1 RETURNING version", other.Version, formerChecksum);
        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(database.DataSource).MigrateAsync());
        Assert.Contains(other.Name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_newer_than_the_code_is_refused_and_left_alone()
    {
        await using var database = await TestDatabase.CreateAsync();
        var newer = MigrationRunner.LatestVersion + 1;
        await database.ScalarAsync<int>("INSERT INTO schema_migration (version, name, checksum) VALUES ($1, 'from_the_future', 'x') RETURNING version", newer);

        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(database.DataSource).MigrateAsync());
        Assert.Contains($"migration {newer}", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_afterwards_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ScalarAsync<int>("UPDATE schema_migration SET checksum = 'edited' WHERE version = 1 RETURNING version");

        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(database.DataSource).MigrateAsync());
        Assert.Contains("0001_schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeatable_files_apply_in_name_order_reapply_when_changed_and_roll_back_together_when_one_fails()
    {
        await using var database = await TestDatabase.CreateAsync();
        const string answer1 = "CREATE OR REPLACE FUNCTION test_answer() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;";
        const string answer2 = "CREATE OR REPLACE FUNCTION test_answer() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;";
        const string answer3 = "CREATE OR REPLACE FUNCTION test_answer() RETURNS int LANGUAGE sql AS $$ SELECT 3 $$;";
        // The view needs the function: applied in the other order, the first run would fail.
        const string view = "CREATE OR REPLACE VIEW test_answer_view AS SELECT test_answer() AS a;";
        RepeatableMigration[] Files(string first, string second) =>
            [new("9200_test_view", second), new("9100_test_function", first)];

        // New files: both applied, in file-name order, whatever order they are listed in.
        var applied = await new MigrationRunner(database.DataSource, Files(answer1, view)).MigrateAsync();
        Assert.Empty(applied.Applied);
        Assert.Equal(["9100_test_function", "9200_test_view"], applied.Reapplied.Select(r => r.Name));
        Assert.Equal(1, await database.ScalarAsync<int>("SELECT a FROM test_answer_view"));

        // Unchanged: nothing runs.
        var unchanged = await new MigrationRunner(database.DataSource, Files(answer1, view)).MigrateAsync();
        Assert.Empty(unchanged.Reapplied);

        // One file changed: only that one runs again.
        var changedAt = await database.ScalarAsync<DateTime>("SELECT applied_at FROM schema_repeatable WHERE name = '9200_test_view'");
        var changed = await new MigrationRunner(database.DataSource, Files(answer2, view)).MigrateAsync();
        Assert.Equal(["9100_test_function"], changed.Reapplied.Select(r => r.Name));
        Assert.Equal(2, await database.ScalarAsync<int>("SELECT a FROM test_answer_view"));
        Assert.Equal(changedAt, await database.ScalarAsync<DateTime>("SELECT applied_at FROM schema_repeatable WHERE name = '9200_test_view'"));
        var runner = new MigrationRunner(database.DataSource, Files(answer2, view));
        Assert.Empty(await runner.PendingRepeatablesAsync());

        // A failing file: the error names it, and the other changed file is rolled back with it.
        var failing = new MigrationRunner(database.DataSource, Files(answer3, "CREATE OR REPLACE VIEW test_answer_view AS SELECT no_such_column FROM test_answer();"));
        var error = await Assert.ThrowsAsync<MigrationException>(() => failing.MigrateAsync());
        Assert.Contains("9200_test_view", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, await database.ScalarAsync<int>("SELECT test_answer()"));
        Assert.Equal(2, (await failing.PendingRepeatablesAsync()).Count);
        Assert.Equal(Files(answer2, view)[1].Checksum,
            await database.ScalarAsync<string>("SELECT checksum FROM schema_repeatable WHERE name = '9100_test_function'"));
    }
}
