using System.Net;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using GeoRisk.IntegrationTests.Tiles;
using Npgsql;

namespace GeoRisk.IntegrationTests.Ogc;

/// <summary>The API over the demo database with a tile cache of its own.</summary>
public sealed class OgcApiFixture : IAsyncLifetime
{
    public TileApiFactory Factory { get; } = new(DemoDatabase.ConnectionString);
    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await Factory.DisposeAsync();

    public static async Task<T> ScalarAsync<T>(string sql)
    {
        await using var db = NpgsqlDataSource.Create(DemoDatabase.ConnectionString);
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>OGC API Features and Tiles through real HTTP (test host) over the demo database.</summary>
public sealed class OgcApiTests(OgcApiFixture fixture) : IClassFixture<OgcApiFixture>
{
    private readonly HttpClient _admin = fixture.Factory.CreateClient();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Task<JsonElement> GetAsync(string url, HttpClient? client = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        (client ?? _admin).GetAsync(new Uri(url, UriKind.Relative)).ContinueWith(t => JsonAsync(t.Result, expected)).Unwrap();

    private static List<string> Ids(JsonElement collection) =>
        collection.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").ToString()).ToList();

    private static string? Link(JsonElement doc, string rel) =>
        doc.GetProperty("links").EnumerateArray().FirstOrDefault(l => l.GetProperty("rel").GetString() == rel) is { ValueKind: JsonValueKind.Object } l
            ? l.GetProperty("href").GetString() : null;

    [Fact]
    public async Task Landing_page_links_the_api_description_conformance_collections_and_tiling_schemes()
    {
        var landing = await GetAsync("/ogc");
        Assert.EndsWith("/openapi/ogc.json", Link(landing, "service-desc"));
        Assert.EndsWith("/ogc/conformance", Link(landing, "conformance"));
        Assert.EndsWith("/ogc/collections", Link(landing, "data"));
        Assert.EndsWith("/ogc/tileMatrixSets", Link(landing, "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"));

        var conformance = await GetAsync("/ogc/conformance");
        var classes = conformance.GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs", classes);
        Assert.Contains("http://www.opengis.net/spec/cql2/1.0/conf/cql2-text", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt", classes);

        // The API description is OpenAPI 3.0 and public, like /openapi/v1.json.
        var openApi = await GetAsync("/openapi/ogc.json", fixture.Factory.CreateAnonymousClient());
        Assert.StartsWith("3.0", openApi.GetProperty("openapi").GetString());
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/ogc/collections/{collectionId}/items", out _));
    }

    [Fact]
    public async Task Html_is_served_on_f_html_and_escapes_what_it_shows()
    {
        var response = await _admin.GetAsync(new Uri("/ogc/collections/areas-postcode/items?f=html", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("PC4-1012", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var bad = await _admin.GetAsync(new Uri("/ogc/collections?f=xml", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Collections_follow_the_role_signal_level_only_for_those_who_see_signals()
    {
        var viewer = await fixture.Factory.CreateClientAsync(Role.Viewer);
        var member = await fixture.Factory.CreateClientAsync(Role.Member, "1012");
        var adminIds = (await GetAsync("/ogc/collections")).GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        var viewerIds = (await GetAsync("/ogc/collections", viewer)).GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        var memberIds = (await GetAsync("/ogc/collections", member)).GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "areas", "scores", "signal-cells", "hotspots", "cameras", "incidents", "signals", "areas-buurt", "areas-postcode" }, adminIds.ToHashSet());
        Assert.DoesNotContain("signals", viewerIds);
        Assert.Contains("signals", memberIds);
        // Camera and incident positions: never for viewers, bound to a programme or not.
        var boundViewer = await fixture.Factory.CreateClientAsync(Role.Viewer, "westelijk-havengebied");
        var boundViewerIds = (await GetAsync("/ogc/collections", boundViewer)).GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Contains("areas", boundViewerIds);
        foreach (var id in new[] { "cameras", "incidents" })
        {
            Assert.DoesNotContain(id, viewerIds);
            Assert.DoesNotContain(id, boundViewerIds);
            Assert.Contains(id, memberIds);
            await GetAsync($"/ogc/collections/{id}/items", viewer, HttpStatusCode.NotFound);
            await GetAsync($"/ogc/collections/{id}/items", boundViewer, HttpStatusCode.NotFound);
        }
        // Not visible looks like not there.
        var problem = await GetAsync("/ogc/collections/signals/items", viewer, HttpStatusCode.NotFound);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Factory.CreateAnonymousClient().GetAsync(new Uri("/ogc/collections", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Collection_has_an_extent_in_crs84_the_crs_list_and_links()
    {
        var c = await GetAsync("/ogc/collections/areas-buurt");
        var bbox = c.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
        // It holds the buurten's extent in WGS84 (the API may transform the RD box, which is a
        // little larger), and is not much larger than that.
        var west = await OgcApiFixture.ScalarAsync<double>("SELECT ST_XMin(ST_Extent(ST_Transform(geom, 4326)))::float8 FROM area WHERE kind = 'buurt' AND valid_to IS NULL");
        var north = await OgcApiFixture.ScalarAsync<double>("SELECT ST_YMax(ST_Extent(ST_Transform(geom, 4326)))::float8 FROM area WHERE kind = 'buurt' AND valid_to IS NULL");
        Assert.InRange(bbox[0], west - 0.005, west + 1e-6);
        Assert.InRange(bbox[3], north - 1e-6, north + 0.005);
        var crs = c.GetProperty("crs").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Contains("http://www.opengis.net/def/crs/EPSG/0/28992", crs);
        Assert.Equal("http://www.opengis.net/def/crs/EPSG/0/28992", c.GetProperty("storageCrs").GetString());
        Assert.NotNull(Link(c, "items"));

        var incidents = await GetAsync("/ogc/collections/incidents");
        var interval = incidents.GetProperty("extent").GetProperty("temporal").GetProperty("interval")[0];
        Assert.StartsWith("20", interval[0].GetString());
    }

    [Fact]
    public async Task Paging_with_next_links_returns_every_feature_once()
    {
        var expected = await OgcApiFixture.ScalarAsync<long>("SELECT count(*) FROM area WHERE kind = 'buurt' AND valid_to IS NULL");
        var seen = new List<string>();
        var url = "/ogc/collections/areas-buurt/items?limit=10";
        var pages = 0;
        while (url is not null)
        {
            var page = await GetAsync(url);
            var ids = Ids(page);
            Assert.Equal(ids.Count, page.GetProperty("numberReturned").GetInt32());
            Assert.True(ids.Count <= 10);
            seen.AddRange(ids);
            pages++;
            url = Link(page, "next") is { } next ? new Uri(next).PathAndQuery : null!;
        }
        Assert.Equal(expected, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal((int)Math.Ceiling(expected / 10.0), pages);
    }

    [Theory]
    [InlineData(1, -1, false)] // one short of a full joined row, more follow
    [InlineData(1, 0, false)] // exactly one full row, more follow
    [InlineData(1, 1, false)] // one feature into the second row
    [InlineData(2, 1, false)] // two full rows and one more
    [InlineData(1, 0, true)] // the collection's last FeaturesPerRow features: one full row, no next page
    [InlineData(1, 1, true)] // its last FeaturesPerRow + 1
    [InlineData(0, 0, true)] // past the end: no feature
    public async Task Pages_across_the_boundaries_of_the_joined_rows_hold_exactly_their_features_in_order(int rows, int plus, bool atEnd)
    {
        // Features travel from PostgreSQL FeaturesPerRow to a row: a page whose size is one off a
        // multiple of it, or that ends at the collection's end, must still be every feature of
        // its slice once, in id order, as valid GeoJSON that counts them right.
        const int n = GeoRisk.Data.Ogc.OgcFeatureStore.FeaturesPerRow;
        var codes = new List<string>();
        await using (var db = NpgsqlDataSource.Create(DemoDatabase.ConnectionString))
        await using (var command = db.CreateCommand("SELECT code FROM area WHERE valid_to IS NULL ORDER BY code"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) codes.Add(reader.GetString(0));
        }
        Assert.True(codes.Count > 3 * n, $"{codes.Count} areas");
        var size = rows * n + plus;
        // Away from the end the page is cut by its limit (and an offset off the multiples); at the
        // end by the collection, under the largest limit.
        var (limit, offset) = atEnd ? (10_000, codes.Count - size) : (size, 7);
        var page = await GetAsync($"/ogc/collections/areas/items?limit={limit}&offset={offset}");
        var expected = codes.Skip(offset).Take(limit).ToList();
        Assert.Equal(size, expected.Count);
        Assert.Equal(expected, Ids(page));
        Assert.Equal(expected.Count, page.GetProperty("numberReturned").GetInt32());
        Assert.Equal(offset + limit < codes.Count, Link(page, "next") is not null);
        foreach (var feature in page.GetProperty("features").EnumerateArray())
        {
            Assert.Equal("Feature", feature.GetProperty("type").GetString());
            Assert.Equal(feature.GetProperty("id").GetString(), feature.GetProperty("properties").GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Coordinates_come_in_the_asked_crs_with_content_crs()
    {
        var response = await _admin.GetAsync(new Uri("/ogc/collections/areas/items/PC4-1012?crs=http://www.opengis.net/def/crs/EPSG/0/28992", UriKind.Relative));
        Assert.Equal("<http://www.opengis.net/def/crs/EPSG/0/28992>", response.Headers.GetValues("Content-Crs").Single());
        var rd = await JsonAsync(response);
        var expected = await OgcApiFixture.ScalarAsync<string>("SELECT ST_XMin(geom)::int || ',' || ST_YMax(geom)::int FROM area WHERE code = 'PC4-1012' AND valid_to IS NULL");
        var ring = rd.GetProperty("geometry").GetProperty("coordinates")[0][0].EnumerateArray().ToList();
        Assert.Equal(expected, $"{(int)Math.Floor(ring.Min(p => p[0].GetDouble()))},{(int)Math.Floor(ring.Max(p => p[1].GetDouble()))}");

        var wgs = await GetAsync("/ogc/collections/areas/items/PC4-1012");
        var lonLat = wgs.GetProperty("geometry").GetProperty("coordinates")[0][0][0];
        Assert.InRange(lonLat[0].GetDouble(), 4.88, 4.91);
        Assert.InRange(lonLat[1].GetDouble(), 52.36, 52.385);
        // EPSG:4326 is latitude first.
        var latLon = (await GetAsync("/ogc/collections/areas/items/PC4-1012?crs=EPSG:4326")).GetProperty("geometry").GetProperty("coordinates")[0][0][0];
        Assert.Equal(lonLat[0].GetDouble(), latLon[1].GetDouble(), 6);
    }

    [Theory]
    [InlineData("areas", "", "ST_Transform(geom, 4326), 7")]
    [InlineData("areas", "&crs=EPSG:4326", "ST_FlipCoordinates(ST_Transform(geom, 4326)), 7")]
    [InlineData("areas", "&crs=EPSG:3857", "ST_Transform(geom, 3857), 2")]
    [InlineData("areas", "&crs=EPSG:28992", "geom, 2")]
    [InlineData("areas", "&crs=http://www.opengis.net/def/crs/EPSG/0/28992", "geom, 2")]
    [InlineData("scores", "", "ST_Transform(geom, 4326), 7")]
    [InlineData("scores", "&crs=EPSG:28992", "geom, 2")]
    public async Task Area_geometries_are_byte_for_byte_what_postgis_projects_at_request_time(string collection, string crs, string geoJsonArguments)
    {
        // Items read the boundary as stored in CRS84 / Web Mercator, and in CRS84 and RD New even
        // its GeoJSON text; it must be exactly what the request-time expression writes from the RD
        // New boundary, for every area, every vertex, every digit, in pages and single items.
        var page = await GetAsync($"/ogc/collections/{collection}/items?limit=10000{crs}");
        var served = page.GetProperty("features").EnumerateArray()
            .ToDictionary(f => f.GetProperty("id").GetString()!, f => f.GetProperty("geometry").GetRawText());
        var scored = collection == "scores" ? " AND EXISTS (SELECT 1 FROM score s WHERE s.area_id = area.id)" : "";
        await using var db = NpgsqlDataSource.Create(DemoDatabase.ConnectionString);
        await using var command = db.CreateCommand($"SELECT code, ST_AsGeoJSON({geoJsonArguments}) FROM area WHERE valid_to IS NULL{scored}");
        await using var reader = await command.ExecuteReaderAsync();
        var expected = new Dictionary<string, string>();
        while (await reader.ReadAsync()) expected[reader.GetString(0)] = reader.GetString(1);
        Assert.True(expected.Count > 500, $"{expected.Count} areas");
        Assert.Equal(expected.Count, served.Count);
        foreach (var (code, geometry) in expected) Assert.True(served[code] == geometry, $"{code}: served geometry differs");
        Assert.Equal(expected.Count, page.GetProperty("numberReturned").GetInt32());

        var single = crs.Length == 0 ? "" : "?" + crs[1..];
        foreach (var code in new[] { expected.Keys.Min(StringComparer.Ordinal)!, expected.Keys.Max(StringComparer.Ordinal)! })
        {
            var item = await GetAsync($"/ogc/collections/{collection}/items/{code}{single}");
            Assert.True(item.GetProperty("geometry").GetRawText() == expected[code], $"{code}: single item's geometry differs");
        }
    }

    [Fact]
    public async Task Bbox_selects_what_intersects_it_in_either_crs()
    {
        // Around the Dam.
        var ids = Ids(await GetAsync("/ogc/collections/areas/items?bbox=4.890,52.370,4.895,52.375&limit=1000"));
        Assert.Contains("PC4-1012", ids);
        Assert.DoesNotContain("MP-BLOEMENVEILING", ids);
        var inWgs84 = await OgcApiFixture.ScalarAsync<string>(
            "SELECT string_agg(code, ',' ORDER BY code COLLATE \"C\") FROM area WHERE valid_to IS NULL AND ST_Intersects(ST_Transform(geom, 4326), ST_MakeEnvelope(4.890, 52.370, 4.895, 52.375, 4326))");
        Assert.Equal(inWgs84, string.Join(',', ids.Order(StringComparer.Ordinal)));
        var rd = Ids(await GetAsync("/ogc/collections/areas/items?bbox=121000,487000,121300,487300&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/28992&limit=1000"));
        var inRd = await OgcApiFixture.ScalarAsync<string>(
            "SELECT string_agg(code, ',' ORDER BY code COLLATE \"C\") FROM area WHERE valid_to IS NULL AND ST_Intersects(geom, ST_MakeEnvelope(121000, 487000, 121300, 487300, 28992))");
        Assert.Equal(inRd, string.Join(',', rd.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Cql2_filters_and_property_parameters_select_like_sql()
    {
        var expected = await OgcApiFixture.ScalarAsync<long>("SELECT count(*) FROM area WHERE valid_to IS NULL AND kind = 'buurt' AND area_km2 > 1");
        var filtered = Ids(await GetAsync("/ogc/collections/areas/items?limit=1000&filter-lang=cql2-text&filter=" + Uri.EscapeDataString("kind = 'buurt' AND area_km2 > 1")));
        Assert.Equal(expected, filtered.Count);
        Assert.NotEqual(0, expected);
        var byParameter = Ids(await GetAsync("/ogc/collections/areas/items?limit=1000&kind=mainport"));
        Assert.Equal(["MP-BLOEMENVEILING", "MP-WESTHAVEN"], byParameter.Order());

        var since = await OgcApiFixture.ScalarAsync<long>("SELECT count(*) FROM overlay_feature f JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'incidents' WHERE f.observed_at >= '2026-01-01T00:00:00Z'");
        var timed = Ids(await GetAsync("/ogc/collections/incidents/items?limit=10000&filter=" + Uri.EscapeDataString("T_AFTER(observed_at, TIMESTAMP('2025-12-31T23:59:59Z'))")));
        Assert.Equal(since, timed.Count);
        var datetime = Ids(await GetAsync("/ogc/collections/incidents/items?limit=10000&datetime=2026-01-01T00:00:00Z/.."));
        Assert.Equal(since, datetime.Count);
    }

    [Theory]
    [InlineData("/ogc/collections/areas/items?filter=owner%3D'x'", "owner")]
    [InlineData("/ogc/collections/areas/items?filter=area_km2%3D'big'", "area_km2")]
    [InlineData("/ogc/collections/areas/items?colour=red", "colour")]
    [InlineData("/ogc/collections/areas/items?bbox=1,2,3", "bbox")]
    [InlineData("/ogc/collections/areas/items?datetime=2026-01-01", "datetime")]
    [InlineData("/ogc/collections/areas/items?crs=EPSG:2193", "crs")]
    [InlineData("/ogc/collections/areas/items?area_km2=lots", "area_km2")]
    public async Task Bad_requests_are_400_problems_naming_the_parameter(string url, string named)
    {
        var response = await _admin.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_reads_only_the_reach_of_its_casustafel_and_every_read_is_audited()
    {
        var key = await fixture.Factory.CreateKeyAsync(Role.Member, "1012");
        var member = fixture.Factory.CreateClient();
        member.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Key.Token);
        var ids = Ids(await GetAsync("/ogc/collections/areas/items?limit=1000", member));
        Assert.Contains("PC4-1012", ids);
        Assert.DoesNotContain("MP-BLOEMENVEILING", ids);
        var missing = await GetAsync("/ogc/collections/areas/items/MP-BLOEMENVEILING", member, HttpStatusCode.NotFound);
        var reallyMissing = await GetAsync("/ogc/collections/areas/items/XX-NOPE", member, HttpStatusCode.NotFound);
        Assert.Equal(reallyMissing.GetProperty("title").GetString(), missing.GetProperty("title").GetString());

        var signals = Ids(await GetAsync("/ogc/collections/signals/items?limit=10000", member));
        var inReach = await OgcApiFixture.ScalarAsync<long>("SELECT count(*) FROM signal WHERE ST_Intersects(geom, scope_geom(ARRAY['1012']))");
        Assert.Equal(Math.Min(inReach, 10000), signals.Count);

        await using var db = NpgsqlDataSource.Create(DemoDatabase.ConnectionString);
        await using var audit = db.CreateCommand("SELECT layer, rows_returned FROM audit_log WHERE key_id = $1 ORDER BY id");
        audit.Parameters.Add(new NpgsqlParameter { Value = key.Key.Id });
        var rows = new List<(string?, long?)>();
        await using (var reader = await audit.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rows.Add((reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
        Assert.Contains(("ogc:areas", (long?)ids.Count), rows);
        Assert.Contains(("ogc:areas", (long?)0), rows);
        Assert.Contains(("ogc:signals", (long?)signals.Count), rows);
    }

    [Fact]
    public async Task Viewers_get_signal_cells_suppressed()
    {
        var viewer = await fixture.Factory.CreateClientAsync(Role.Viewer);
        var k = await OgcApiFixture.ScalarAsync<int>("SELECT access_suppression_k()");
        var cells = (await GetAsync("/ogc/collections/signal-cells/items?limit=10000&size_m=250", viewer)).GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(cells);
        foreach (var cell in cells)
        {
            var n = cell.GetProperty("properties").GetProperty("n").GetInt64();
            Assert.True(n >= k && n % 5 == 0, $"cell count {n} shown to a viewer");
            Assert.Equal(JsonValueKind.Null, cell.GetProperty("properties").GetProperty("weight").ValueKind);
        }
        // There were cells below k to drop.
        var all = await OgcApiFixture.ScalarAsync<long>("SELECT count(*) FROM hex_total WHERE size_m = 250");
        Assert.True(all > cells.Count);

        var hot = (await GetAsync("/ogc/collections/hotspots/items?limit=10000&size_m=250")).GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(hot);
        Assert.All(hot, h => Assert.True(h.GetProperty("properties").GetProperty("gi_z").GetDouble() >= 1.65));

        // A viewer gets what the hexbins tiles give a viewer: the class and the published count,
        // no z (a linear function of the exact counts of the cell and its neighbours).
        var adminHot = hot.ToDictionary(h => h.GetProperty("id").GetString()!, h => h.GetProperty("properties"));
        var viewerHot = (await GetAsync("/ogc/collections/hotspots/items?limit=10000&size_m=250", viewer)).GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(viewerHot);
        foreach (var h in viewerHot)
        {
            var p = h.GetProperty("properties");
            Assert.Equal(JsonValueKind.Null, p.GetProperty("gi_z").ValueKind);
            var exact = adminHot[h.GetProperty("id").GetString()!];
            Assert.Equal(exact.GetProperty("gi_class").GetInt32(), p.GetProperty("gi_class").GetInt32());
            var n = p.GetProperty("n").GetInt64();
            Assert.True(n >= k && n % 5 == 0 && Math.Abs(n - exact.GetProperty("n").GetInt64()) <= GeoRisk.Core.Access.Suppression.Bound(k),
                $"hot-spot count {n} shown to a viewer for {exact.GetProperty("n").GetInt64()}");
        }
        // Nor can a filter on z find it out.
        var filtered = await GetAsync("/ogc/collections/hotspots/items?limit=10000&size_m=250&filter=" + Uri.EscapeDataString("gi_z > 0"), viewer);
        Assert.Equal(0, filtered.GetProperty("features").GetArrayLength());
        Assert.NotEqual(0, (await GetAsync("/ogc/collections/hotspots/items?limit=10000&size_m=250&filter=" + Uri.EscapeDataString("gi_z > 0")))
            .GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task A_key_in_the_url_is_refused_and_not_echoed()
    {
        var key = (await fixture.Factory.CreateKeyAsync(Role.Admin)).Key.Token;
        var anonymous = fixture.Factory.CreateAnonymousClient();
        foreach (var url in new[] { $"/ogc/collections?api_key={key}", $"/tiles/areas/12/2103/1345.mvt?token={key}", $"/ogc?x={key}" })
        {
            var response = await anonymous.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("Authorization: Bearer", body, StringComparison.Ordinal);
            Assert.DoesNotContain(key[4..16], body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Web_mercator_tiles_are_the_xyz_tiles_and_rd_tiles_hold_1012_in_rd_new()
    {
        var sets = await GetAsync("/ogc/collections/areas/tiles");
        var tms = sets.GetProperty("tilesets").EnumerateArray().Select(t => t.GetProperty("tileMatrixSetURI").GetString()).ToList();
        Assert.Contains("http://www.opengis.net/def/tilematrixset/OGC/1.0/NetherlandsRDNewQuad", tms);
        var tileset = await GetAsync("/ogc/collections/areas/tiles/WebMercatorQuad");
        var template = tileset.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "item").GetProperty("href").GetString();
        Assert.EndsWith("/ogc/collections/areas/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}", template);

        var ogc = await _admin.GetByteArrayAsync(new Uri("/ogc/collections/areas/tiles/WebMercatorQuad/12/1345/2103", UriKind.Relative));
        var xyz = await _admin.GetByteArrayAsync(new Uri("/tiles/areas/12/2103/1345.mvt", UriKind.Relative));
        Assert.Equal(xyz, ogc);
        Assert.Contains(Mvt.Decode(ogc).Layers.Single(l => l.Name == "areas").Features, f => Mvt.Attributes(Mvt.Decode(ogc).Layers[0], f)["code"] as string == "PC4-1012");

        var definition = await GetAsync("/ogc/tileMatrixSets/NetherlandsRDNewQuad");
        Assert.Equal("http://www.opengis.net/def/crs/EPSG/0/28992", definition.GetProperty("crs").GetString());
        Assert.Equal(17, definition.GetProperty("tileMatrices").GetArrayLength());

        // Level 5, row 15, column 14 holds the Dam; the tile's grid is RD New, so 1012's box in tile
        // units follows from its RD box and the tile's envelope.
        var rd = Mvt.Decode(await _admin.GetByteArrayAsync(new Uri("/ogc/collections/areas/tiles/NetherlandsRDNewQuad/5/15/14", UriKind.Relative)));
        var layer = rd.Layers.Single(l => l.Name == "areas");
        Assert.Contains(layer.Features, f => Mvt.Attributes(layer, f)["code"] as string == "PC4-1012");
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync(new Uri("/ogc/collections/areas/tiles/NetherlandsRDNewQuad/5/40/14", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync(new Uri("/ogc/collections/cameras/tiles/NetherlandsRDNewQuad/5/15/14", UriKind.Relative))).StatusCode);
    }
}
