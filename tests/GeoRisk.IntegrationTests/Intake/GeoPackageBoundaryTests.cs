using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace GeoRisk.IntegrationTests.Intake;

/// <summary>
/// Boundary files as GeoPackages, the form PDOK and CBS publish the wijk- en buurtkaart in: the
/// package is written by GDAL's ogr2ogr (the tool a municipality would use) from the real
/// Amstelveen and CBS files, in RD New, with a buurten and a gemeenten layer in one file.
/// </summary>
public sealed class GeoPackageBoundaryTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateClient();

    private static string Boundaries(string name) => Path.Combine(AppContext.BaseDirectory, "boundaries", name);

    private static async Task Ogr2Ogr(params string[] arguments)
    {
        var start = new ProcessStartInfo("ogr2ogr") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ogr2ogr {string.Join(' ', arguments)}: {error}");
    }

    private static async Task<byte[]> CbsStyleGeoPackage()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wijkenbuurten-{Guid.NewGuid():N}.gpkg");
        try
        {
            await Ogr2Ogr("-f", "GPKG", "-t_srs", "EPSG:28992", "-nln", "buurten", path, Boundaries("amstelveen_buurten_crs84.geojson"));
            await Ogr2Ogr("-f", "GPKG", "-update", "-t_srs", "EPSG:28992", "-nln", "gemeenten", "-where", "gemeentecode = 'GM0362'",
                path, Boundaries("nl_gemeenten_2023_cbs_wgs84.geojson"));
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_GeoPackage_with_buurten_and_gemeenten_layers_imports_like_the_GeoJSON_files()
    {
        var package = new ByteArrayContent(await CbsStyleGeoPackage());
        package.Headers.ContentType = new MediaTypeHeaderValue("application/geopackage+sqlite3");
        var response = await _client.PostAsync(new Uri("/api/areas/import-boundaries", UriKind.Relative), package);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var result = JsonDocument.Parse(body).RootElement;

        // One file, two layers, each recognised by its properties.
        var files = result.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(["upload:buurten", "upload:gemeenten"], files.Select(f => f.GetProperty("file").GetString()));
        Assert.Equal(["cbs-buurt", "cbs-gemeente"], files.Select(f => f.GetProperty("format").GetString()));
        Assert.Equal([47, 1], files.Select(f => f.GetProperty("features").GetInt32()));
        var wijken = await fixture.Database.ScalarAsync<long>(
            "SELECT count(DISTINCT parent_code) FROM area WHERE kind = 'buurt' AND code LIKE 'BU0362%' AND valid_to IS NULL");
        Assert.Equal(47 + (int)wijken + 1, result.GetProperty("inserted").GetInt32());

        // Geometry: every buurt equals the published GeoJSON's shape up to the RD round trip
        // (symmetric difference below 0.1 % of its area), and its parent is the wijk from its code.
        using var source = JsonDocument.Parse(await File.ReadAllTextAsync(Boundaries("amstelveen_buurten_crs84.geojson")));
        var checkedBuurten = 0;
        foreach (var feature in source.RootElement.GetProperty("features").EnumerateArray())
        {
            var code = feature.GetProperty("properties").GetProperty("buurtcode").GetString()!;
            var geometry = feature.GetProperty("geometry").GetRawText();
            var difference = await fixture.Database.ScalarAsync<double>(
                """
                SELECT ST_Area(ST_SymDifference(a.geom, g)) / ST_Area(g)
                FROM area a, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 28992) g
                WHERE a.code = $2 AND a.valid_to IS NULL
                """, geometry, code);
            Assert.True(difference < 0.001, $"{code}: {difference:P3} of its area differs");
            checkedBuurten++;
        }
        Assert.Equal(47, checkedBuurten);
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM area WHERE code = 'GM0362' AND valid_to IS NULL AND exposure_unit = 'inwoners'"));

        // The same package again changes nothing.
        var again = new ByteArrayContent(await CbsStyleGeoPackage());
        var secondResponse = await _client.PostAsync(new Uri("/api/areas/import-boundaries", UriKind.Relative), again);
        var secondBody = await secondResponse.Content.ReadAsStringAsync();
        Assert.True(secondResponse.StatusCode == HttpStatusCode.OK, secondBody);
        var second = JsonDocument.Parse(secondBody).RootElement;
        Assert.Equal(0, second.GetProperty("inserted").GetInt32());
        Assert.Equal(0, second.GetProperty("new_versions").GetInt32());
        Assert.Equal(47 + (int)wijken + 1, second.GetProperty("unchanged").GetInt32());
    }

    [Fact]
    public async Task A_package_without_feature_tables_or_a_damaged_one_is_a_400_that_says_so_and_writes_nothing()
    {
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM area");
        var csv = Path.Combine(Path.GetTempPath(), $"tabel-{Guid.NewGuid():N}.csv");
        var path = Path.ChangeExtension(csv, ".gpkg");
        byte[] attributesOnly;
        try
        {
            // A table without geometry: GDAL registers it as 'attributes', not 'features'.
            await File.WriteAllTextAsync(csv, "buurtcode,buurtnaam\nBU03620101,Oud\n");
            await Ogr2Ogr("-f", "GPKG", path, csv);
            attributesOnly = await File.ReadAllBytesAsync(path);
        }
        finally
        {
            File.Delete(csv);
            File.Delete(path);
        }
        // The SQLite header and then nothing a database can be read from.
        var damaged = "SQLite format 3\0"u8.ToArray().Concat(new byte[4096]).ToArray();
        foreach (var (body, expected) in new[] { (attributesOnly, "no feature tables"), (damaged, "cannot be read") })
        {
            var response = await _client.PostAsync(new Uri("/api/areas/import-boundaries", UriKind.Relative), new ByteArrayContent(body));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("GeoPackage", text, StringComparison.Ordinal);
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
        Assert.Equal(before, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM area"));
    }
}
