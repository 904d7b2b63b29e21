using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GeoRisk.Core.Intake;
using GeoRisk.Data.Intake;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Intake;

/// <summary>
/// The published boundary files (data/boundaries: Amsterdam's 518 buurten, Amstelveen's 47, the
/// CBS gemeenten) imported with one command, and exposure and derived levels on constructed files.
/// Expected values are read from the files themselves.
/// </summary>
public sealed class BoundaryImportTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private static readonly string Amsterdam = File("ams_buurten_dsoapi_crs84.geojson");
    private static readonly string Amstelveen = File("amstelveen_buurten_crs84.geojson");
    private static readonly string Gemeenten = File("nl_gemeenten_2023_cbs_wgs84.geojson");

    private static string File(string name) => Path.Combine(AppContext.BaseDirectory, "boundaries", name);

    private static List<JsonElement> Properties(string path)
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        return doc.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").Clone()).ToList();
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TestDatabase database, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "georisk.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["GEORISK_DB"] = database.ConnectionString;
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private Task<long> CountAsync(string sql, params object[] parameters) => fixture.Database.ScalarAsync<long>(sql, parameters);

    [Fact]
    public async Task The_real_files_import_with_one_command_with_codes_parents_exposure_and_derived_levels()
    {
        // A database of its own: the counts below are of exactly these files.
        await using var database = await TestDatabase.CreateAsync();
        Task<long> CountAsync(string sql, params object[] parameters) => database.ScalarAsync<long>(sql, parameters);
        var (exit, stdout, stderr) = await RunAsync(database, "import", "boundaries", Amsterdam, Amstelveen, Gemeenten);
        Assert.True(exit == 0, stdout + stderr);
        // Progress while it works, per file and per step.
        Assert.Contains("ams_buurten_dsoapi_crs84.geojson: amsterdam-buurt, 518 features", stderr, StringComparison.Ordinal);
        Assert.Contains("staging", stderr, StringComparison.Ordinal);
        Assert.Contains("derived", stderr, StringComparison.Ordinal);

        var ams = Properties(Amsterdam);
        var amv = Properties(Amstelveen);
        var gm = Properties(Gemeenten);

        // Every buurt with its code, name and parent wijk as the files give them (Amsterdam: WK + the CBS code's wijk part).
        var buurten = ams.Select(p => (Code: p.GetProperty("cbsCode").GetString()!, Name: p.GetProperty("naam").GetString()!, Parent: "WK" + p.GetProperty("cbsCode").GetString()![2..8]))
            .Concat(amv.Select(p => (Code: p.GetProperty("buurtcode").GetString()!, Name: p.GetProperty("buurtnaam").GetString()!, Parent: p.GetProperty("wijkcode").GetString()!)))
            .ToList();
        Assert.Equal(518 + 47, buurten.Count);
        Assert.Equal((long)buurten.Count, await CountAsync("SELECT count(*) FROM area WHERE kind = 'buurt' AND valid_to IS NULL"));
        Assert.Equal((long)buurten.Count, await CountAsync("""
            SELECT count(*) FROM area a JOIN unnest($1::text[], $2::text[], $3::text[]) f(code, name, parent)
              ON a.code = f.code AND a.name = f.name AND a.parent_code = f.parent AND a.valid_to IS NULL AND a.kind = 'buurt'
            """, buurten.Select(b => b.Code).ToArray(), buurten.Select(b => b.Name).ToArray(), buurten.Select(b => b.Parent).ToArray()));

        // Wijken derived from the buurten: one per wijk code, each the union of its buurten (areas add up).
        var wijken = buurten.Select(b => b.Parent).Distinct().ToArray();
        Assert.Equal((long)wijken.Length, await CountAsync("SELECT count(*) FROM area WHERE kind = 'wijk' AND valid_to IS NULL AND code = ANY ($1)", (object)wijken));
        Assert.Equal(0L, await CountAsync("""
            SELECT count(*) FROM area w
            WHERE w.kind = 'wijk' AND w.valid_to IS NULL
              AND abs(w.area_km2 - (SELECT sum(b.area_km2) FROM area b WHERE b.parent_code = w.code AND b.valid_to IS NULL)) > 0.001 * w.area_km2
            """));
        // Amstelveen's wijken carry the names of the file; Amsterdam's stadsdelen follow the first letter of the buurt code.
        var amvWijk = amv[0];
        Assert.Equal(amvWijk.GetProperty("wijknaam").GetString(), await database.ScalarAsync<string>(
            "SELECT name FROM area WHERE code = $1 AND valid_to IS NULL", amvWijk.GetProperty("wijkcode").GetString()!));
        var stadsdelen = ams.Select(p => "SD0363" + p.GetProperty("code").GetString()![0]).Distinct().ToArray();
        Assert.Equal((long)stadsdelen.Length, await CountAsync(
            "SELECT count(*) FROM area WHERE kind = 'stadsdeel' AND valid_to IS NULL AND parent_code = 'GM0363' AND code = ANY ($1)", (object)stadsdelen));
        Assert.Equal(0L, await CountAsync("""
            SELECT count(*) FROM area w JOIN area b ON b.parent_code = w.code AND b.valid_to IS NULL
            WHERE w.code LIKE 'WK0363%' AND w.valid_to IS NULL AND w.parent_code <> 'SD0363' || substr(b.code, 7, 1)
            """));

        // The gemeenten come from the CBS file (so they are imported, not derived), with its population as exposure.
        Assert.Equal((long)gm.Count, await CountAsync("SELECT count(*) FROM area WHERE kind = 'gemeente' AND valid_to IS NULL"));
        var withPopulation = gm.Where(p => p.TryGetProperty("aantalInwoners", out var v) && v.ValueKind == JsonValueKind.Number && v.GetDouble() > 0).ToList();
        Assert.True(withPopulation.Count > 300);
        Assert.Equal((long)withPopulation.Count, await CountAsync("""
            SELECT count(*) FROM area a JOIN unnest($1::text[], $2::float8[]) f(code, inwoners)
              ON a.code = f.code AND a.valid_to IS NULL AND a.exposure = f.inwoners AND a.exposure_unit = 'inwoners'
            """, withPopulation.Select(p => p.GetProperty("gemeentecode").GetString()!).ToArray(),
            withPopulation.Select(p => p.GetProperty("aantalInwoners").GetDouble()).ToArray()));
        // Every area lies in the Netherlands in RD New and is valid.
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM area WHERE NOT ST_IsValid(geom) OR NOT ST_Within(geom, ST_MakeEnvelope(0, 300000, 300000, 625000, 28992))"));

        // The same files again change nothing.
        var again = await RunAsync(database, "import", "boundaries", Amsterdam, Amstelveen, Gemeenten);
        Assert.Equal(0, again.ExitCode);
        var total = await CountAsync("SELECT count(*) FROM area");
        Assert.Equal(total, await CountAsync("SELECT count(*) FROM area WHERE valid_to IS NULL"));
        Assert.Matches(string.Create(CultureInfo.InvariantCulture, $@"│\s*0\s*│\s*0\s*│\s*0\s*│\s*{total:N0}\s*│"), again.Stdout);
    }

    /// <summary>A CBS wijk- en buurtkaart buurt with its key figure; the square is 0.01° wide at x0.</summary>
    private static string CbsBuurt(string code, string wijk, string gemeente, double x0, double? inwoners)
    {
        static string D(double v) => v.ToString(CultureInfo.InvariantCulture);
        var figure = inwoners is { } n ? ",\"aantal_inwoners\":" + D(n) : "";
        var ring = $"[[{D(x0)},52.30],[{D(x0 + 0.01)},52.30],[{D(x0 + 0.01)},52.31],[{D(x0)},52.31],[{D(x0)},52.30]]";
        return "{\"type\":\"Feature\",\"properties\":{"
            + $"\"buurtcode\":\"{code}\",\"buurtnaam\":\"Buurt {code[^2..]}\",\"wijkcode\":\"{wijk}\",\"wijknaam\":\"Wijk {wijk[^2..]}\","
            + $"\"gemeentecode\":\"{gemeente}\",\"gemeentenaam\":\"Proefgemeente {gemeente}\"{figure}}},"
            + $"\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{ring}]}}}}";
    }

    private static BoundarySource Source(string name, params string[] features) =>
        new(name, new MemoryStream(Encoding.UTF8.GetBytes("{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}")));

    [Fact]
    public async Task Derived_levels_sum_the_exposure_of_their_buurten_and_stay_unknown_when_a_buurt_is_secret()
    {
        var importer = new BoundaryImporter(fixture.Database.DataSource);
        var result = await importer.ImportAsync([Source("kwb.geojson",
            // Gemeente 9901: wijk 01 fully known (one buurt without inhabitants), wijk 02 with a CBS secrecy code.
            CbsBuurt("BU99010101", "WK990101", "GM9901", 4.80, 100),
            CbsBuurt("BU99010102", "WK990101", "GM9901", 4.81, 0),
            CbsBuurt("BU99010201", "WK990102", "GM9901", 4.82, 250),
            CbsBuurt("BU99010202", "WK990102", "GM9901", 4.83, -99999999),
            // Gemeente 9902: everything known.
            CbsBuurt("BU99020101", "WK990201", "GM9902", 4.90, 10),
            CbsBuurt("BU99020102", "WK990201", "GM9902", 4.91, 20))],
            new BoundaryImportOptions(), null, CancellationToken.None);
        Assert.True(result.Written, string.Join("; ", result.Rejections.Select(r => r.Message)));
        Assert.Equal(("cbs-buurt", "aantal_inwoners", "inwoners", 1), (result.Files[0].Format, result.Files[0].ExposureField, result.Files[0].ExposureUnit, result.Files[0].ExposureUnknown));
        Assert.Equal([new DerivedLevel("gemeente", 2, 1), new DerivedLevel("wijk", 3, 2)], result.Derived);

        async Task<(double? Exposure, string? Unit, string? Parent, string Name)> AreaAsync(string code)
        {
            await using var command = fixture.Database.DataSource.CreateCommand("SELECT exposure, exposure_unit, parent_code, name FROM area WHERE code = $1 AND valid_to IS NULL");
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = code });
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), code);
            return (reader.IsDBNull(0) ? null : reader.GetDouble(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3));
        }

        Assert.Equal((100.0, "inwoners", "WK990101", "Buurt 01"), await AreaAsync("BU99010101"));
        // No inhabitants: stored without exposure (the table holds positive figures), but it counts as 0 in its wijk.
        Assert.Equal((null, null, "WK990101", "Buurt 02"), await AreaAsync("BU99010102"));
        Assert.Equal((100.0, "inwoners", "GM9901", "Wijk 01"), await AreaAsync("WK990101"));
        Assert.Equal((null, null, "GM9901", "Wijk 02"), await AreaAsync("WK990102"));
        Assert.Equal((null, null, null, "Proefgemeente GM9901"), await AreaAsync("GM9901"));
        Assert.Equal((30.0, "inwoners", null, "Proefgemeente GM9902"), await AreaAsync("GM9902"));
        // The gemeente is the union of its four buurten: four 0.01° squares side by side.
        Assert.Equal(4 * await fixture.Database.ScalarAsync<double>("SELECT area_km2 FROM area WHERE code = 'BU99010101' AND valid_to IS NULL"),
            await fixture.Database.ScalarAsync<double>("SELECT area_km2 FROM area WHERE code = 'GM9901' AND valid_to IS NULL"), 2);

        // New figures for the same boundaries correct the exposure in place, without new versions.
        var update = await importer.ImportAsync([Source("kwb.geojson",
            CbsBuurt("BU99020101", "WK990201", "GM9902", 4.90, 15),
            CbsBuurt("BU99020102", "WK990201", "GM9902", 4.91, 20))], new BoundaryImportOptions(), null, CancellationToken.None);
        Assert.Equal((0, 0, 3), (update.Inserted, update.NewVersions, update.Updated));
        Assert.Equal(35.0, (await AreaAsync("GM9902")).Exposure);
    }

    [Fact]
    public async Task One_bad_feature_writes_nothing_and_is_named_by_file_and_row_and_partial_writes_the_rest()
    {
        var importer = new BoundaryImporter(fixture.Database.DataSource);
        BoundarySource[] Files() =>
        [
            Source("goed.geojson", CbsBuurt("BU99030101", "WK990301", "GM9903", 5.00, 5)),
            Source("fout.geojson", CbsBuurt("BU99030102", "WK990301", "GM9903", 5.01, 6),
                CbsBuurt("BU99030103", "WK990301", "GM9903", 5.02, 7).Replace("\"Polygon\"", "\"LineString\"", StringComparison.Ordinal)),
        ];
        var atomic = await importer.ImportAsync(Files(), new BoundaryImportOptions(), null, CancellationToken.None);
        Assert.False(atomic.Written);
        var rejection = Assert.Single(atomic.Rejections);
        Assert.Equal(("fout.geojson", 2, "geometry", RejectionReasons.InvalidGeometry), (rejection.File, rejection.Row, rejection.Field, rejection.Reason));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM area WHERE code LIKE '%9903%'"));

        var partial = await importer.ImportAsync(Files(), new BoundaryImportOptions(ImportMode.Partial), null, CancellationToken.None);
        Assert.True(partial.Written);
        // Two buurten, their wijk and gemeente; the wijk is the union of the two that were read.
        Assert.Equal(4, partial.Inserted);
        Assert.Equal(11.0, (await fixture.Database.ScalarAsync<double>("SELECT exposure FROM area WHERE code = 'WK990301' AND valid_to IS NULL")));
    }

    [Fact]
    public async Task A_file_that_is_not_a_known_boundary_format_is_refused_with_what_is_expected()
    {
        var importer = new BoundaryImporter(fixture.Database.DataSource);
        var error = await Assert.ThrowsAsync<IntakeFormatException>(() => importer.ImportAsync(
            [Source("grens.geojson", """{"type":"Feature","properties":{"gemeentenaam":"Amstelveen"},"geometry":{"type":"Polygon","coordinates":[[[4.8,52.3],[4.9,52.3],[4.9,52.4],[4.8,52.3]]]}}""")],
            new BoundaryImportOptions(), null, CancellationToken.None));
        Assert.StartsWith("grens.geojson: not a recognised boundary file", error.Message, StringComparison.Ordinal);
        Assert.Contains("buurtcode", error.Message, StringComparison.Ordinal);
    }
}
