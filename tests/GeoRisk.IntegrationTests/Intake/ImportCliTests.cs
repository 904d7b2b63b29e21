using System.Diagnostics;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Intake;

/// <summary>The georisk import commands, run as a user runs them (a process) against a database of their own.</summary>
public sealed class ImportCliTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "georisk.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["GEORISK_DB"] = fixture.Database.ConnectionString;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Bench_intake_refuses_without_i_know_and_on_a_database_not_named_for_benchmarks()
    {
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("""
            WITH ins AS (
                INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
                VALUES ('politie', 'BENCH-GUARD', 'drugshandel', TIMESTAMPTZ '2026-01-01', 0.8, ST_SetSRID(ST_MakePoint(121000, 487000), 28992))
                RETURNING 1)
            SELECT count(*) FROM ins
            """));

        var (code, output) = await RunAsync("bench", "intake", "--rows", "10");
        Assert.Equal(2, code);
        Assert.Contains("--i-know", output, StringComparison.Ordinal);

        // The test database's name has no 'bench' in it: even with --i-know nothing is emptied.
        (code, output) = await RunAsync("bench", "intake", "--rows", "10", "--i-know");
        Assert.Equal(2, code);
        Assert.Contains("'bench'", output, StringComparison.Ordinal);
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id = 'BENCH-GUARD'"));
    }

    [Fact]
    public async Task Import_signals_prints_a_summary_and_is_idempotent()
    {
        var file = Path.Combine(Path.GetTempPath(), $"georisk-cli-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file,
            "external_id,category,observed_at,x,y,remark\n"
            + "CLI-1,drugshandel,2025-03-14,121000,487000,loods\n"
            + "CLI-2,witwassen,2025-03-15,121100,487100,\n");
        try
        {
            var (code, output) = await RunAsync("import", "signals", file, "--source", "politie");
            Assert.True(code == 0, output);
            Assert.Contains("inserted", output, StringComparison.Ordinal);
            Assert.Equal(2L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id LIKE 'CLI-%' AND source = 'politie'"));

            (code, output) = await RunAsync("import", "signals", file, "--source", "politie");
            Assert.True(code == 0, output);
            Assert.Equal(2L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id LIKE 'CLI-%'"));

            // Without a source column or --source every row is refused at the header: exit 1, nothing written.
            (code, output) = await RunAsync("import", "signals", file);
            Assert.Equal(1, code);
            Assert.Contains("source", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Import_signals_atomic_with_a_bad_row_exits_2_and_writes_nothing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"georisk-cli-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file,
            "external_id,category,source,observed_at,lon,lat,remark\n"
            + "CLB-1,drugshandel,politie,2025-03-14,4.89,52.37,\n"
            + "CLB-2,drugshandel,politie,2025-03-14,4.89,52.37,rekening NL91ABNA0417164300\n");
        try
        {
            var (code, output) = await RunAsync("import", "signals", file);
            Assert.True(code == 2, output);
            Assert.Contains("personal_data", output, StringComparison.Ordinal);
            Assert.DoesNotContain("NL91ABNA0417164300", output, StringComparison.Ordinal);
            Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id LIKE 'CLB-%'"));

            (code, output) = await RunAsync("import", "signals", file, "--mode", "partial");
            Assert.True(code == 0, output);
            Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM signal WHERE external_id LIKE 'CLB-%'"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Import_areas_reads_a_boundary_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"georisk-cli-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(file, """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},"features":[
              {"type":"Feature","properties":{"gemeentecode":"GM9999","gemeentenaam":"Testgemeente"},
               "geometry":{"type":"Polygon","coordinates":[[[4.85,52.30],[4.86,52.30],[4.86,52.31],[4.85,52.31],[4.85,52.30]]]}}]}
            """);
        try
        {
            var (code, output) = await RunAsync("import", "areas", file, "--kind", "gemeente", "--code-field", "gemeentecode", "--name-field", "gemeentenaam");
            Assert.True(code == 0, output);
            Assert.Equal("Testgemeente", await fixture.Database.ScalarAsync<string>("SELECT name FROM area WHERE code = 'GM9999'"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
