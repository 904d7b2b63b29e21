using System.Diagnostics;
using System.Text.Json;

namespace GeoRisk.IntegrationTests.Ogc;

/// <summary>
/// QGIS itself (Debian's python3-qgis 3.22, headless with QT_QPA_PLATFORM=offscreen) against the
/// API on a real port: the OAPIF provider reads a whole collection, the vector tile layer draws
/// the OGC tiles, both with the key in the Authorization header (pyqgis_client.py).
/// </summary>
public sealed class PyQgisClientTests(RealPortFixture server) : IClassFixture<RealPortFixture>
{
    private const string Python = "/usr/bin/python3";

    private async Task<JsonElement> RunAsync(string key)
    {
        Assert.True(File.Exists("/usr/lib/python3/dist-packages/qgis/core/__init__.py"), "python3-qgis is missing: scripts/test.sh installs it");
        var script = Path.Combine(AppContext.BaseDirectory, "Ogc", "pyqgis_client.py");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-X", "faulthandler", script, server.BaseAddress.ToString(), "areas-buurt", "12", "2103", "1345", "PC4-1012" }) start.ArgumentList.Add(a);
        start.Environment["QT_QPA_PLATFORM"] = "offscreen";
        start.Environment["GEORISK_KEY"] = key;
        start.Environment["XDG_RUNTIME_DIR"] = Directory.CreateTempSubdirectory("georisk-qgis-run-").FullName;
        foreach (var proxy in new[] { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY" }) start.Environment.Remove(proxy);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"PyQGIS exited with {process.ExitCode}: {await stderr} {output}");
        var json = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{'));
        return JsonDocument.Parse(json).RootElement;
    }

    [Fact]
    public async Task Qgis_reads_every_buurt_through_OAPIF_and_draws_1012_from_the_OGC_vector_tiles_with_the_bearer_header()
    {
        var key = (await server.Factory.CreateKeyAsync(GeoRisk.Core.Access.Role.Admin)).Key.Token;
        var result = await RunAsync(key);
        Assert.StartsWith("3.", result.GetProperty("qgis").GetString(), StringComparison.Ordinal);

        Assert.True(result.GetProperty("oapif_valid").GetBoolean(), result.ToString());
        var buurten = await OgcApiFixture.ScalarAsync<long>("SELECT count(*) FROM area WHERE kind = 'buurt' AND valid_to IS NULL");
        Assert.True(buurten > 100);
        Assert.Equal(buurten, result.GetProperty("oapif_count").GetInt64());
        Assert.Equal(buurten, result.GetProperty("oapif_distinct_codes").GetInt64());
        Assert.Contains("code", result.GetProperty("oapif_fields").EnumerateArray().Select(f => f.GetString()));

        Assert.True(result.GetProperty("vt_valid").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("vt_red_pixels").GetInt32() > 200, result.ToString());
        // QGIS drew 1012 where PostGIS has it (the centre of the filled pixels lies in its box).
        var centre = result.GetProperty("vt_red_centre").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var box = (await OgcApiFixture.ScalarAsync<string>(
            "SELECT concat_ws(',', ST_XMin(geom_3857), ST_YMin(geom_3857), ST_XMax(geom_3857), ST_YMax(geom_3857)) FROM area WHERE code = 'PC4-1012' AND valid_to IS NULL"))
            .Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.InRange(centre[0], box[0], box[2]);
        Assert.InRange(centre[1], box[1], box[3]);
        Assert.True(result.GetProperty("requests_with_key").GetInt32() > 0);
    }

    [Fact]
    public async Task Without_a_valid_key_QGIS_gets_no_layer()
    {
        var result = await RunAsync("grk_not_a_key");
        Assert.False(result.GetProperty("oapif_valid").GetBoolean(), result.ToString());
    }
}
