using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Tiles;
using GeoRisk.Tests.Support;

namespace GeoRisk.IntegrationTests.Ports;

/// <summary>
/// Coverage shares computed by hand on a small world, including install dates (a camera
/// installed in June covers nothing in May), planned cameras (never), other programmes'
/// cameras, obstacles that hide a signal, and what members and viewers may see.
/// </summary>
public sealed class CoverageTests(PortWorldFixture world) : IClassFixture<PortWorldFixture>, IAsyncLifetime
{
    private const string Period = "area=MP-A&from=2026-01-01&to=2026-10-01";

    public async Task InitializeAsync()
    {
        if (await world.Database.ScalarAsync<long>("SELECT count(*) FROM camera") > 0) return;
        var admin = world.Factory.CreateClient();
        // C1 looks east from (116100, 490100), 90°, 100 m, from 1 June 2026. C2 is only planned. CB belongs to haven-b.
        await Ok(admin.PostAsync("/api/ports/cameras/import?programme=haven-a", Csv("""
            external_id,owner,x,y,heading,fov,range,status,active_from
            C1,havenbedrijf,116100,490100,90,90,100,active,2026-06-01
            C2,havenbedrijf,116500,490500,0,360,50,planned,
            """)));
        await Ok(admin.PostAsync("/api/ports/cameras/import?programme=haven-b", Csv("""
            external_id,owner,x,y,heading,fov,range,status
            CB,havenbedrijf,116800,490800,0,360,50,active
            """)));
        await world.AddSignalAsync("S1", 116150, 490100, "2026-03-10");                    // before C1 was installed
        await world.AddSignalAsync("S2", 116150, 490100, "2026-07-10");                    // covered by C1
        await world.AddSignalAsync("S3", 116150, 490110, "2026-08-10", "witwassen");       // covered by C1, weight 1.2
        await world.AddSignalAsync("S4", 116500, 490500, "2026-07-01");                    // only a planned camera
        await world.AddSignalAsync("S5", 116800, 490800, "2026-07-01");                    // haven-b's camera
        await Ok(admin.PostAsync("/api/ports/incidents/import?programme=haven-a&dataset=inc-a", Csv("""
            external_id,kind,observed_at,x,y
            I1,uithalers,2026-05-31 23:00,116150,490100
            I2,uithalers,2026-06-01 08:00,116150,490100
            I3,onbevoegde_toegang,2026-07-01,116900,490900
            """)));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static async Task<JsonElement> Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task Shares_count_only_cameras_of_the_programme_that_were_active_at_the_time()
    {
        var r = await Ok(world.Factory.CreateClient().GetAsync($"/api/ports/coverage?{Period}&programme=haven-a"));
        var signals = r.GetProperty("signals");
        Assert.Equal((5, 2), (signals.GetProperty("total").GetInt64(), signals.GetProperty("covered").GetInt64()));
        Assert.Equal(0.4, signals.GetProperty("share").GetDouble(), 4);
        // Risk: drugshandel 1.0 × 4 + witwassen 1.2, reliability 1: covered S2 (1.0) + S3 (1.2).
        var risk = r.GetProperty("risk");
        Assert.Equal(5.2, risk.GetProperty("total").GetDouble(), 4);
        Assert.Equal(2.2, risk.GetProperty("covered").GetDouble(), 4);
        Assert.Equal(Math.Round(2.2 / 5.2, 4), risk.GetProperty("share").GetDouble(), 4);
        // I1 happened the evening before C1 went up; I2 the morning it was there.
        var incidents = r.GetProperty("incidents");
        Assert.Equal((3, 1), (incidents.GetProperty("total").GetInt64(), incidents.GetProperty("covered").GetInt64()));
        var witwassen = r.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "witwassen");
        Assert.Equal(1.0, witwassen.GetProperty("share").GetDouble());
        var months = r.GetProperty("monthly").EnumerateArray().ToDictionary(m => m.GetProperty("month").GetString()!);
        Assert.Equal(9, months.Count);
        Assert.Equal(0, months["2026-05"].GetProperty("active_cameras").GetInt64());
        Assert.Equal(1, months["2026-06"].GetProperty("active_cameras").GetInt64());
        Assert.Equal(0, months["2026-05"].GetProperty("incidents").GetProperty("covered").GetInt64());
        Assert.Equal(1, months["2026-06"].GetProperty("incidents").GetProperty("covered").GetInt64());
        Assert.Equal(0, months["2026-03"].GetProperty("signals").GetProperty("covered").GetInt64());
    }

    [Fact]
    public async Task Without_a_programme_an_admin_counts_every_programmes_cameras()
    {
        var r = await Ok(world.Factory.CreateClient().GetAsync($"/api/ports/coverage?{Period}"));
        Assert.Equal(3, r.GetProperty("signals").GetProperty("covered").GetInt64()); // S2, S3 and S5 (haven-b's camera)
        var b = await Ok(world.Factory.CreateClient().GetAsync($"/api/ports/coverage?{Period}&programme=haven-b"));
        Assert.Equal(1, b.GetProperty("signals").GetProperty("covered").GetInt64());
        Assert.Equal(0, b.GetProperty("incidents").GetProperty("total").GetInt64()); // haven-a's incidents are not haven-b's
    }

    [Fact]
    public async Task Csv_has_the_same_figures()
    {
        var response = await world.Factory.CreateClient().GetAsync($"/api/ports/coverage?{Period}&programme=haven-a&format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        Assert.Equal("section,key,total,covered,share,active_cameras", lines[0]);
        Assert.Contains("signals,,5,2,0.4,", lines);
        Assert.Contains("incidents,,3,1,0.3333,", lines);
        Assert.Contains("month_incidents,2026-06,1,1,1,1", lines);
    }

    [Fact]
    public async Task A_wall_in_front_of_the_camera_hides_what_is_behind_it()
    {
        // A separate camera and signal, so the other tests' figures stay as they are.
        var admin = world.Factory.CreateClient();
        await Ok(admin.PostAsync("/api/ports/cameras/import?programme=haven-b", Csv("""
            external_id,owner,x,y,heading,fov,range,status
            CW,havenbedrijf,118500,490100,0,90,100,active
            """)));
        await world.AddSignalAsync("SW", 118505, 490170, "2026-07-02"); // 70 m north, just right of the heading
        var before = await Ok(admin.GetAsync("/api/ports/coverage?area=MP-B&from=2026-01-01&to=2026-10-01&programme=haven-b"));
        Assert.Equal(1, before.GetProperty("signals").GetProperty("covered").GetInt64());
        // A wall across the right half, 20 m in front of the camera (RD coordinates in the crs member).
        var wall = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:28992"}},"features":[
             {"type":"Feature","properties":{"identificatie":"0363100099999999","hoogte":9},
              "geometry":{"type":"Polygon","coordinates":[[[118500,490120],[118600,490120],[118600,490122],[118500,490122],[118500,490120]]]}}]}
            """;
        var imported = await Ok(admin.PostAsync("/api/ports/obstacles/import?programme=haven-b", new StringContent(wall, Encoding.UTF8, "application/geo+json")));
        Assert.Equal(1, imported.GetProperty("inserted").GetInt32());
        Assert.True(imported.GetProperty("views_recomputed").GetInt32() >= 1);
        var ratio = await world.Database.ScalarAsync<double>("SELECT ST_Area(view_geom) / ST_Area(viewshed) FROM camera WHERE external_id = 'CW'");
        Assert.InRange(ratio, 0.5, 0.6); // the left half plus the strip in front of the wall
        var after = await Ok(admin.GetAsync("/api/ports/coverage?area=MP-B&from=2026-01-01&to=2026-10-01&programme=haven-b"));
        Assert.Equal(0, after.GetProperty("signals").GetProperty("covered").GetInt64());
        // The same file again changes nothing and re-clips nothing.
        var again = await Ok(admin.PostAsync("/api/ports/obstacles/import?programme=haven-b", new StringContent(wall, Encoding.UTF8, "application/geo+json")));
        Assert.Equal((0, 1, 0), (again.GetProperty("inserted").GetInt32(), again.GetProperty("unchanged").GetInt32(), again.GetProperty("views_recomputed").GetInt32()));
    }

    [Fact]
    public async Task A_member_sees_its_own_programmes_cameras_and_incidents_only()
    {
        var memberA = await world.Factory.CreateClientAsync(Role.Member, "haven-a");
        var cameras = await Ok(memberA.GetAsync("/api/ports/cameras?area=MP-A"));
        var ids = cameras.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("external_id").GetString()).Order().ToList();
        Assert.Equal(["C1", "C2"], ids); // CB's view reaches into MP-A, but it is haven-b's camera
        var c1 = cameras.GetProperty("features").EnumerateArray().First();
        Assert.Equal(("havenbedrijf", 90.0, 100.0, "active", "2026-06-01"), (c1.GetProperty("properties").GetProperty("owner").GetString(),
            c1.GetProperty("properties").GetProperty("fov").GetDouble(), c1.GetProperty("properties").GetProperty("range").GetDouble(),
            c1.GetProperty("properties").GetProperty("status").GetString(), c1.GetProperty("properties").GetProperty("active_from").GetString()));
        var incidents = await Ok(memberA.GetAsync("/api/ports/incidents?area=MP-A&kind=uithalers"));
        Assert.Equal(2, incidents.GetProperty("features").GetArrayLength());
        Assert.Equal(1, incidents.GetProperty("counts").GetProperty("onbevoegde_toegang").GetInt32());

        var memberB = await world.Factory.CreateClientAsync(Role.Member, "haven-b");
        Assert.Equal(HttpStatusCode.NotFound, (await memberB.GetAsync("/api/ports/cameras?area=MP-A")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await memberA.GetAsync($"/api/ports/coverage?{Period}&programme=haven-b")).StatusCode);
        // A member's coverage counts its own programme's cameras by default.
        var own = await Ok(memberA.GetAsync($"/api/ports/coverage?{Period}"));
        Assert.Equal(2, own.GetProperty("signals").GetProperty("covered").GetInt64());
    }

    [Fact]
    public async Task A_viewer_gets_shares_and_suppressed_counts_but_no_camera_positions()
    {
        var viewer = await world.Factory.CreateClientAsync(Role.Viewer);
        var r = await Ok(viewer.GetAsync($"/api/ports/coverage?{Period}&programme=haven-a"));
        // k = 5: the five signals are published by the cell-key method (their key sum picks the
        // noise: shown as 5 or 10, or withheld when the noise takes them below k); the two covered
        // ones are below k, so never shown, and neither is their share (0.4 × 5 would give them back).
        var keySum = await world.Database.ScalarAsync<long>("""
            SELECT coalesce(sum(s.record_key), 0)::bigint FROM signal s JOIN area a ON ST_Intersects(a.geom, s.geom)
            WHERE a.code = 'MP-A' AND a.valid_to IS NULL
              AND s.observed_at >= (DATE '2026-01-01')::timestamp AT TIME ZONE 'Europe/Amsterdam'
              AND s.observed_at < (DATE '2026-10-01')::timestamp AT TIME ZONE 'Europe/Amsterdam'
            """);
        var published = Suppression.Publish(5, keySum, 5);
        var signals = r.GetProperty("signals");
        Assert.Equal(JsonValueKind.Null, signals.GetProperty("covered").ValueKind);
        if (published.Suppressed)
        {
            Assert.Equal(JsonValueKind.Null, signals.GetProperty("total").ValueKind);
            Assert.True(signals.GetProperty("suppressed").GetBoolean());
        }
        else
        {
            Assert.Equal(published.Value, signals.GetProperty("total").GetInt64());
            Assert.Equal(JsonValueKind.Null, signals.GetProperty("share").ValueKind);
        }
        // Every share a viewer gets is one of the two published counts it comes with, or none.
        var shares = new[] { r.GetProperty("signals"), r.GetProperty("incidents") }
            .Concat(r.GetProperty("categories").EnumerateArray()).Concat(r.GetProperty("incident_kinds").EnumerateArray())
            .Concat(r.GetProperty("monthly").EnumerateArray().SelectMany(m => new[] { m.GetProperty("signals"), m.GetProperty("incidents") }))
            .ToList();
        Assert.NotEmpty(shares);
        Assert.All(shares, s =>
        {
            if (s.GetProperty("covered").ValueKind == JsonValueKind.Null)
                Assert.Equal(JsonValueKind.Null, s.GetProperty("share").ValueKind);
            else
                Assert.Equal(Math.Round(Math.Min(s.GetProperty("covered").GetDouble(), s.GetProperty("total").GetDouble()) / s.GetProperty("total").GetDouble(), 4),
                    s.GetProperty("share").GetDouble(), 4);
        });
        Assert.Equal(JsonValueKind.Null, r.GetProperty("risk").GetProperty("share").ValueKind);
        Assert.True(r.GetProperty("incidents").GetProperty("suppressed").GetBoolean()); // 3 < k
        Assert.Equal(JsonValueKind.Null, r.GetProperty("risk").GetProperty("total").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/ports/cameras?area=MP-A")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/ports/incidents?area=MP-A")).StatusCode);

        // The camera tile over C1: an admin gets the camera, the viewer nothing.
        var xy = await world.Database.ScalarAsync<string>("""
            SELECT floor((ST_X(p) + 20037508.342789244) / (40075016.68557849 / 16384))::int || '/' ||
                   floor((20037508.342789244 - ST_Y(p)) / (40075016.68557849 / 16384))::int
            FROM ST_Transform(ST_SetSRID(ST_MakePoint(116100, 490100), 28992), 3857) AS p
            """);
        var adminTile = await world.Factory.CreateClient().GetAsync($"/tiles/cameras/14/{xy}.mvt");
        Assert.Equal(HttpStatusCode.OK, adminTile.StatusCode);
        Assert.NotEmpty(await adminTile.Content.ReadAsByteArrayAsync());
        var viewerTile = await viewer.GetAsync($"/tiles/cameras/14/{xy}.mvt");
        Assert.True(viewerTile.StatusCode == HttpStatusCode.NoContent || (await viewerTile.Content.ReadAsByteArrayAsync()).Length == 0,
            $"a viewer got camera positions: {viewerTile.StatusCode}");
    }

    [Fact]
    public async Task A_viewer_bound_to_the_programme_gets_its_shares_but_no_camera_or_incident_positions()
    {
        var xy = await CoverageTileAsync();
        var query = "?from=2026-01-01&to=2026-10-01";
        var memberA = await world.Factory.CreateClientAsync(Role.Member, "haven-a");
        var viewerA = await world.Factory.CreateClientAsync(Role.Viewer, "haven-a");

        // Shares of its own programme, as for an unbound viewer.
        var r = await Ok(viewerA.GetAsync($"/api/ports/coverage?{Period}&programme=haven-a"));
        Assert.Equal(JsonValueKind.Null, r.GetProperty("signals").GetProperty("covered").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewerA.GetAsync("/api/ports/cameras?area=MP-A")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewerA.GetAsync("/api/ports/incidents?area=MP-A")).StatusCode);

        // The same tiles that show the member its camera, incidents and covered points are empty for the viewer.
        foreach (var layer in new[] { "cameras", "incidents", "coverage" })
        {
            var member = await memberA.GetAsync($"/tiles/{layer}/14/{xy}.mvt{query}");
            Assert.Equal(HttpStatusCode.OK, member.StatusCode);
            Assert.NotEmpty(Mvt.Decode(await member.Content.ReadAsByteArrayAsync()).Layers.SelectMany(l => l.Features));
            var viewer = await viewerA.GetAsync($"/tiles/{layer}/14/{xy}.mvt{query}");
            var bytes = viewer.StatusCode == HttpStatusCode.NoContent ? [] : await viewer.Content.ReadAsByteArrayAsync();
            Assert.True(viewer.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{layer}: {viewer.StatusCode}");
            Assert.Empty(Mvt.Decode(bytes).Layers.SelectMany(l => l.Features));
            // The PNG tile draws nothing either: every pixel transparent.
            Assert.Equal(0, await OpaquePixelsAsync(viewerA, $"/tiles/{layer}/14/{xy}.png{query}"));
            Assert.True(await OpaquePixelsAsync(memberA, $"/tiles/{layer}/14/{xy}.png{query}") > 0, $"{layer}: the member's PNG is empty");
        }

        // The map cut-out with the three layers is the plain map for the viewer, not for the member.
        const string cut = "/api/areas/MP-A/map.png?width=400&height=400&from=2026-01-01&to=2026-10-01&layers=areas";
        static int Differences(DecodedPng a, DecodedPng b)
        {
            var n = 0;
            for (var y = 0; y < a.Height; y++)
            for (var x = 0; x < a.Width; x++)
                if (a.Pixel(x, y) != b.Pixel(x, y)) n++;
            return n;
        }
        async Task<int> CutoutDifference(HttpClient client) => Differences(
            DecodedPng.Decode(await client.GetByteArrayAsync(cut + ",cameras,incidents,coverage")), DecodedPng.Decode(await client.GetByteArrayAsync(cut)));
        Assert.True(await CutoutDifference(memberA) > 0, "the member's cut-out draws no camera, incident or coverage point");
        Assert.Equal(0, await CutoutDifference(viewerA));
    }

    /// <summary>Pixels with any opacity in a PNG tile; an empty tile (204) has none.</summary>
    private static async Task<int> OpaquePixelsAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        if (response.StatusCode == HttpStatusCode.NoContent) return 0;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var image = DecodedPng.Decode(await response.Content.ReadAsByteArrayAsync());
        var n = 0;
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
            if (image.Pixel(x, y).A > 0) n++;
        return n;
    }

    /// <summary>x/y of the z14 tile that holds the signals and incidents near the first camera.</summary>
    private Task<string> CoverageTileAsync() => world.Database.ScalarAsync<string>("""
        SELECT floor((ST_X(p) + 20037508.342789244) / (40075016.68557849 / 16384))::int || '/' ||
               floor((20037508.342789244 - ST_Y(p)) / (40075016.68557849 / 16384))::int
        FROM ST_Transform(ST_SetSRID(ST_MakePoint(116150, 490100), 28992), 3857) AS p
        """);

    [Fact]
    public async Task The_coverage_tile_marks_each_signal_and_incident_covered_or_not_on_its_day()
    {
        var xy = await CoverageTileAsync();
        var url = $"/tiles/coverage/14/{xy}.mvt?from=2026-01-01&to=2026-10-01";

        // What the SQL says, feature by feature (category or kind + month), for a member of haven-a.
        static async Task<List<(string What, string Code, string Month, bool Covered)>> Features(HttpClient client, string url)
        {
            var response = await client.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.NoContent) return [];
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var tile = Mvt.Decode(await response.Content.ReadAsByteArrayAsync());
            var layer = Assert.Single(tile.Layers);
            Assert.Equal("coverage", layer.Name);
            return layer.Features.Select(f => Mvt.Attributes(layer, f))
                .Select(a => ((string)a["what"], (string)a["code"], (string)a["month"], (bool)a["covered"])).Order().ToList();
        }

        var memberA = await world.Factory.CreateClientAsync(Role.Member, "haven-a");
        var a = await Features(memberA, url);
        // S1 in March (before C1 went up): out of view; S2, S3 in July/August: in view. I1 the evening
        // before installation: out; I2 the next morning: in. S4, S5, I3 lie in other tiles or outside the view.
        Assert.Contains(("signal", "drugshandel", "2026-03", false), a);
        Assert.Contains(("signal", "drugshandel", "2026-07", true), a);
        Assert.Contains(("signal", "witwassen", "2026-08", true), a);
        Assert.Contains(("incident", "uithalers", "2026-05", false), a);
        Assert.Contains(("incident", "uithalers", "2026-06", true), a);
        // Only haven-a's camera counts for its member: S5 under haven-b's camera stays out of view.
        Assert.Equal(3, a.Count(f => f.Covered));

        // The period filter applies: from July on only S2 and S3 remain of these.
        var july = await Features(memberA, $"/tiles/coverage/14/{xy}.mvt?from=2026-07-01&to=2026-10-01");
        Assert.DoesNotContain(july, f => f.Month is "2026-03" or "2026-05" or "2026-06");
        Assert.Contains(("signal", "drugshandel", "2026-07", true), july);

        // haven-b's member: the signals lie in haven-a's area and the incidents are haven-a's: nothing.
        var memberB = await world.Factory.CreateClientAsync(Role.Member, "haven-b");
        Assert.DoesNotContain(await Features(memberB, url), f => f.What == "incident" || f.Code == "witwassen" || f.Month is "2026-03");
        // An unbound viewer sees no programme's points, as in the cameras and incidents layers.
        var viewer = await world.Factory.CreateClientAsync(Role.Viewer);
        Assert.Empty(await Features(viewer, url));
        // The catalogue lists the layer with its web-map label.
        var catalogue = await Ok(world.Factory.CreateClient().GetAsync("/tiles/"));
        Assert.Contains(catalogue.GetProperty("layers").EnumerateArray(), l => l.GetProperty("id").GetString() == "coverage");
    }

    [Fact]
    public async Task The_coverage_png_draws_each_feature_of_the_vector_tile_in_its_colour_and_the_cutout_draws_them_too()
    {
        var xy = await CoverageTileAsync();
        var memberA = await world.Factory.CreateClientAsync(Role.Member, "haven-a");
        var query = "?from=2026-01-01&to=2026-10-01";
        var layer = Assert.Single(Mvt.Decode(await memberA.GetByteArrayAsync($"/tiles/coverage/14/{xy}.mvt{query}")).Layers);
        var png = DecodedPng.Decode(await memberA.GetByteArrayAsync($"/tiles/coverage/14/{xy}.png{query}"));
        Assert.Equal(256, png.Width);
        var points = layer.Features.Where(f => f.Type == VectorTile.Tile.Types.GeomType.Point).ToList();
        Assert.Contains(points, f => (bool)Mvt.Attributes(layer, f)["covered"]);
        Assert.Contains(points, f => !(bool)Mvt.Attributes(layer, f)["covered"]);
        // Blue in view, red out of view, as the web map (ports.js) draws them: signal dots (4 px), then
        // incident dots (6 px) on top. A dot's centre shows the colour of the last dot drawn over it.
        var drawn = points.OrderBy(f => (string)Mvt.Attributes(layer, f)["what"] == "incident" ? 1 : 0)
            .Select(f => (Point: Mvt.FirstPoint(f), Radius: (string)Mvt.Attributes(layer, f)["what"] == "incident" ? 6 : 4,
                          Colour: (bool)Mvt.Attributes(layer, f)["covered"] ? (0x2c, 0x7b, 0xb6) : (0xd7, 0x19, 0x1c)))
            .ToList();
        var checkedDots = 0;
        foreach (var (point, _, _) in drawn)
        {
            var (px, py) = (Math.Clamp(point.X / 16, 0, 255), Math.Clamp(point.Y / 16, 0, 255));
            var top = drawn.Last(d => Math.Sqrt(Math.Pow(d.Point.X / 16.0 - px - 0.5, 2) + Math.Pow(d.Point.Y / 16.0 - py - 0.5, 2)) < d.Radius + 2);
            if (Math.Sqrt(Math.Pow(top.Point.X / 16.0 - px - 0.5, 2) + Math.Pow(top.Point.Y / 16.0 - py - 0.5, 2)) > top.Radius - 1.5) continue; // on a ring
            var (r, g, b, a) = png.Pixel(px, py);
            Assert.Equal(255, a);
            Assert.Equal(top.Colour, ((int)r, (int)g, (int)b));
            checkedDots++;
        }
        Assert.True(checkedDots >= 3, $"only {checkedDots} dots checked");

        // The cut-out of the port area offers the layer and draws both colours; without it, neither.
        static int Count(DecodedPng image, (int R, int G, int B) colour)
        {
            var n = 0;
            for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
                if (image.Pixel(x, y) is var (r, g, b, _) && (r, g, b) == ((byte)colour.R, (byte)colour.G, (byte)colour.B)) n++;
            return n;
        }
        var map = await memberA.GetAsync($"/api/areas/MP-A/map.png?width=500&height=500&layers=areas,coverage");
        Assert.Equal(HttpStatusCode.OK, map.StatusCode);
        var cutout = DecodedPng.Decode(await map.Content.ReadAsByteArrayAsync());
        Assert.True(Count(cutout, (0x2c, 0x7b, 0xb6)) > 0, "no covered point in the cut-out");
        Assert.True(Count(cutout, (0xd7, 0x19, 0x1c)) > 0, "no uncovered point in the cut-out");
        var plain = DecodedPng.Decode(await memberA.GetByteArrayAsync($"/api/areas/MP-A/map.png?width=500&height=500&layers=areas"));
        Assert.Equal(0, Count(plain, (0x2c, 0x7b, 0xb6)) + Count(plain, (0xd7, 0x19, 0x1c)));
    }

    [Fact]
    public async Task The_factsheet_of_a_mainport_has_a_camera_coverage_page()
    {
        var memberA = await world.Factory.CreateClientAsync(Role.Member, "haven-a");
        var api = await Ok(memberA.GetAsync($"/api/ports/coverage?{Period}&programme=haven-a&cell=250"));
        var hot = api.GetProperty("uncovered_hotspots").GetArrayLength();
        var text = await FactsheetTextAsync(memberA, "/api/casustafels/haven-a/factsheet.pdf?area=MP-A&from=2026-01-01&to=2026-09-30");
        Assert.Contains("Cameradekking", text, StringComparison.Ordinal);
        Assert.Contains("Programma haven-a · periode 2026-01-01 – 2026-09-30", text, StringComparison.Ordinal);
        // C1 is active at the end of September; C2 is only planned.
        Assert.Contains("Actieve camera's aan het eind van de periode: 1", text, StringComparison.Ordinal);
        // The figures computed by hand in the first test: 1 of 3 incidents, 2 of 5 signals, risk 2.2 of 5.2.
        Assert.Matches(@"Incidenten\s+3\s+1\s+33,3 %", text);
        Assert.Matches(@"Signalen\s+5\s+2\s+40,0 %", text);
        Assert.Matches(@"Risico \(gewogen signalen\)\s+5,2\s+2,2\s+42,3 %", text);
        // Incident kinds by their names, as in the web map.
        Assert.Matches(@"Uithalers\s+2\s+1\s+50,0 %", text);
        Assert.Matches(@"Onbevoegde toegang\s+1\s+0\s+0,0 %", text);
        Assert.DoesNotContain("onbevoegde_toegang", text, StringComparison.Ordinal);
        Assert.Contains("2026-05: 0", text, StringComparison.Ordinal);
        Assert.Contains("2026-06: 1", text, StringComparison.Ordinal);
        Assert.Contains($"Hotspotcellen (Gi*) grotendeels buiten beeld: {hot}", text, StringComparison.Ordinal);

        var english = await FactsheetTextAsync(memberA, "/api/casustafels/haven-a/factsheet.pdf?area=MP-A&from=2026-01-01&to=2026-09-30&lang=en");
        Assert.Contains("Camera coverage", english, StringComparison.Ordinal);
        Assert.Matches(@"Incidents\s+3\s+1\s+33.3 %", english);
        Assert.Matches(@"Unauthorised access\s+1\s+0\s+0.0 %", english);
    }

    private static async Task<string> FactsheetTextAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(Path.GetTempPath(), $"factsheet-port-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("pdftotext") { RedirectStandardOutput = true };
            foreach (var arg in new[] { "-layout", path, "-" }) psi.ArgumentList.Add(arg);
            using var process = System.Diagnostics.Process.Start(psi)!;
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return text;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
