using System.Net;
using System.Text;
using GeoRisk.IntegrationTests.Casustafels;

namespace GeoRisk.IntegrationTests.Hardening;

/// <summary>
/// A corpus of bad input over every endpoint family: each case must be answered with a 4xx in
/// problem details (never a 5xx, never an empty body) that does not echo the marker values
/// (an e-mail address, a BSN) the caller sent. New endpoints add their family here.
/// </summary>
public sealed class BadInputCorpusTests(CasustafelWorldFixture world) : IClassFixture<CasustafelWorldFixture>
{
    /// <summary>Values no parameter accepts: encodings, overflows, injections, personal data, sizes.</summary>
    public static readonly string[] BadValues =
    [
        "%00", "a%00b", "%0A", "%1B%5B31m", "%7F", "%C2%85", "%ED%A0%80", "%FF%FE", "%C0%AF",
        "9999-12-31", "0001-01-01", "-1", "2147483648", "-2147483649", "1e400", "NaN", "Infinity",
        "%27%20OR%201%3D1--", "%3Cscript%3E", "jan.jansen%40example.nl", "111222333",
        "..%2F..%2Fetc%2Fpasswd", "%F0%9F%98%80", "2026-02-30", "2026-13-01", "26-11-2026",
        new string('x', 3000),
    ];

    /// <summary>Marker values that must never come back in an error body (decoded form).</summary>
    private static readonly string[] Markers = ["jan.jansen@example.nl", "111222333", "<script>", "' OR 1=1--"];

    /// <summary>URL templates with {v} where the bad value goes; every family of the API.</summary>
    public static readonly Dictionary<string, string[]> QueryFamilies = new()
    {
        ["areas"] = ["/api/areas?kind={v}", "/api/areas/{v}", "/api/areas/{v}/map.png"],
        ["scores"] = ["/api/scores?kind={v}", "/api/scores?date={v}", "/api/scores?version={v}", "/api/scores?profile={v}&date=2001-01-01"],
        ["area.score"] = ["/api/areas/PC4-9999/score?date={v}", "/api/areas/PC4-9999/score?version={v}", "/api/areas/{v}/score", "/api/areas/PC4-9999/score/verify?date={v}"],
        ["area.stats"] = ["/api/areas/PC4-9999/stats?from={v}", "/api/areas/PC4-9999/stats?to={v}", "/api/areas/PC4-9999/stats?category={v}", "/api/areas/{v}/stats"],
        ["area.hotspots"] = ["/api/areas/PC4-9999/hotspots?cell={v}", "/api/areas/PC4-9999/hotspots?rings={v}", "/api/areas/PC4-9999/hotspots?to={v}", "/api/areas/PC4-9999/hotspots?category={v}"],
        ["area.map"] = ["/api/areas/PC4-9999/map.png?width={v}", "/api/areas/PC4-9999/map.png?layers={v}", "/api/areas/PC4-9999/map.png?profile={v}"],
        ["tiles"] = ["/tiles/{v}/12/2103/1345.mvt", "/tiles/areas/{v}/2103/1345.mvt", "/tiles/areas/12/{v}/1345.mvt", "/tiles/areas/12/2103/{v}", "/tiles/areas/12/2103/{v}.png", "/tiles/{v}.json"],
        ["tiles.filter"] = ["/tiles/hexbins/14/8414/5384.mvt?category={v}", "/tiles/hexbins/14/8414/5384.mvt?from={v}", "/tiles/hexbins/14/8414/5384.mvt?to={v}", "/tiles/areas/12/2103/1345.mvt?profile={v}"],
        ["casustafels"] = ["/api/casustafels/{v}/signaallijst", "/api/casustafels/proef/signaallijst?area={v}", "/api/casustafels/proef/signaallijst?limit={v}", "/api/casustafels/proef/signaallijst?category={v}"],
        ["casustafels.period"] = ["/api/casustafels/proef/signaallijst?to={v}", "/api/casustafels/proef/signaallijst?from={v}", "/api/casustafels/proef/signaallijst.csv?to={v}", "/api/casustafels/proef/signaallijst?lang={v}"],
        ["casustafels.factsheet"] = ["/api/casustafels/proef/factsheet.pdf?area=PC4-9999&to={v}", "/api/casustafels/proef/factsheet.pdf?area={v}", "/api/casustafels/{v}/factsheet.pdf?area=PC4-9999", "/api/casustafels/proef/signals/{v}/followup"],
        ["audit"] = ["/api/audit?limit={v}", "/api/audit?role={v}"],
        ["keys"] = ["/api/keys?includeRevoked={v}", "/api/keys/{v}/revoke#post"],
    };

    private readonly HttpClient _admin = world.Factory.CreateClient();

    public static TheoryData<string> QueryFamilyNames() => [.. QueryFamilies.Keys];

    [Theory]
    [MemberData(nameof(QueryFamilyNames))]
    public async Task Query_and_path_values_that_no_parameter_accepts_are_4xx_problem_details(string family)
    {
        var failures = new List<string>();
        var cases = 0;
        foreach (var template in QueryFamilies[family])
        {
            var post = template.EndsWith("#post", StringComparison.Ordinal);
            var inPath = template.IndexOf("{v}", StringComparison.Ordinal) < (template.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? q : int.MaxValue);
            foreach (var value in BadValues)
            {
                // A NUL in the path never reaches the application: Kestrel refuses it (KestrelEdgeTests).
                if (inPath && value.Contains("%00", StringComparison.Ordinal)) continue;
                cases++;
                var url = template.Replace("#post", "", StringComparison.Ordinal).Replace("{v}", value, StringComparison.Ordinal);
                using var request = new HttpRequestMessage(post ? HttpMethod.Post : HttpMethod.Get, new Uri(url, UriKind.Relative));
                if (post) request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await _admin.SendAsync(request);
                if (await Check(response, expect4xx: true) is { } failure) failures.Add($"{Short(url)} -> {failure}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:\n{string.Join("\n", failures.Take(40))}");
        Assert.True(cases >= QueryFamilies[family].Length * (BadValues.Length - 2));
    }

    /// <summary>Bodies no intake or write endpoint accepts (JSON shapes, encodings, files).</summary>
    public static readonly (string Name, string Url, string ContentType, byte[] Body)[] BodyCases = BuildBodyCases();

    public static TheoryData<string> BodyCaseGroups() => ["signal", "import.signals", "import.areas", "keys", "followup", "scores.run"];

    [Theory]
    [MemberData(nameof(BodyCaseGroups))]
    public async Task Bodies_that_no_write_endpoint_accepts_are_4xx_problem_details_and_write_nothing(string group)
    {
        var before = await CountsAsync();
        var failures = new List<string>();
        var cases = BodyCases.Where(c => c.Name.StartsWith(group + ":", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(cases);
        foreach (var (name, url, contentType, body) in cases)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var response = await _admin.PostAsync(new Uri(url, UriKind.Relative), content);
            if (await Check(response, expect4xx: true) is { } failure) failures.Add($"{name} -> {failure}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n{string.Join("\n", failures.Take(40))}");
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public void The_corpus_has_at_least_500_cases_over_every_endpoint_family()
    {
        var total = QueryFamilies.Values.Sum(t => t.Length) * BadValues.Length + BodyCases.Length;
        Assert.True(total >= 500, $"only {total} cases");
        // Every group of routes the API maps is represented (new groups must add cases).
        string[] families = ["/api/areas", "/api/scores", "/tiles", "/api/casustafels", "/api/audit", "/api/keys", "/api/signals", "/api/areas/import"];
        var urls = QueryFamilies.Values.SelectMany(t => t).Concat(BodyCases.Select(c => c.Url)).ToList();
        Assert.All(families, f => Assert.Contains(urls, u => u.StartsWith(f, StringComparison.Ordinal)));
    }

    private async Task<string> CountsAsync() =>
        $"{await world.Database.ScalarAsync<long>("SELECT count(*) FROM signal")}/{await world.Database.ScalarAsync<long>("SELECT count(*) FROM area")}"
        + $"/{await world.Database.ScalarAsync<long>("SELECT count(*) FROM api_key")}/{await world.Database.ScalarAsync<long>("SELECT count(*) FROM signal_followup")}";

    /// <summary>Null when the response is a 4xx with a problem-details body that echoes no marker.</summary>
    internal static async Task<string?> Check(HttpResponseMessage response, bool expect4xx)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        if (status >= 500) return $"{status} (server error)";
        if (expect4xx && status < 400) return $"{status} (accepted)";
        if (status >= 400)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return $"{status} without problem details ({response.Content.Headers.ContentType})";
            if (!body.Contains("\"title\"", StringComparison.Ordinal) || !body.Contains("\"status\"", StringComparison.Ordinal)) return $"{status} problem without title/status";
        }
        foreach (var marker in Markers)
        {
            if (body.Contains(marker, StringComparison.OrdinalIgnoreCase)) return $"{status} echoes '{marker}'";
        }
        return null;
    }

    private static string Short(string s) => s.Length > 120 ? s[..120] + "…" : s;

    private static (string, string, string, byte[])[] BuildBodyCases()
    {
        var list = new List<(string, string, string, byte[])>();
        void Add(string name, string url, string type, byte[] body) => list.Add((name, url, type, body));
        void Json(string name, string url, string json) => Add(name, url, "application/json", Encoding.UTF8.GetBytes(json));
        var utf8 = Encoding.UTF8;

        const string Good = """{"external_id":"X-1","category":"drugshandel","source":"politie","observed_at":"2025-01-01","x":150100,"y":450100}""";
        string[] signalBodies =
        [
            "", "null", "[]", "42", "\"text\"", "{", "{\"external_id\":", "[{}]", "{}",
            Good.Replace("X-1", "\\ud800", StringComparison.Ordinal),
            Good.Replace("X-1", "X\\u0000Y", StringComparison.Ordinal),
            Good.Replace("X-1", "X\\u001bY", StringComparison.Ordinal),
            Good.Replace("X-1", "jan.jansen@example.nl", StringComparison.Ordinal),
            Good.Replace("X-1", "111222333", StringComparison.Ordinal),
            Good.Replace("2025-01-01", "9999-12-31", StringComparison.Ordinal),
            Good.Replace("2025-01-01", "0001-01-01T00:00:00-14:00", StringComparison.Ordinal),
            Good.Replace("150100", "1e400", StringComparison.Ordinal),
            Good.Replace("150100", "NaN", StringComparison.Ordinal),
            Good.Replace("150100", "\"Infinity\"", StringComparison.Ordinal),
            Good.Replace("drugshandel", "<script>", StringComparison.Ordinal),
            Good.Replace("politie", "' OR 1=1--", StringComparison.Ordinal),
            Good.Replace("\"x\":150100", "\"x\":{\"a\":1}", StringComparison.Ordinal),
            Good.Replace("\"x\":150100", "\"x\":[1,2]", StringComparison.Ordinal),
            Good.Replace("}", ",\"bsn\":\"111222333\"}", StringComparison.Ordinal),
            Good.Replace("}", ",\"remark\":\"" + new string('r', 300) + "\"}", StringComparison.Ordinal),
            Good.Replace("}", ",\"reliability\":\"2\"}", StringComparison.Ordinal),
            Good.Replace("}", ",\"object_ref\":\"a b\"}", StringComparison.Ordinal),
            new string('[', 100) + new string(']', 100),
        ];
        for (var i = 0; i < signalBodies.Length; i++) Json($"signal:{i}", "/api/signals", signalBodies[i]);
        // invalid UTF-8 inside a JSON string, and a UTF-16 body
        Add("signal:utf8", "/api/signals", "application/json", [.. utf8.GetBytes("{\"external_id\":\"X"), 0xC3, 0x28, .. utf8.GetBytes("\"}")]);
        Add("signal:utf16", "/api/signals", "application/json", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Good)]);

        const string Header = "external_id,category,source,observed_at,x,y\n";
        string[] csvFiles =
        [
            "", "\n\n", "external_id\n", "a;b;c\n1;2;3\n", Header, Header + "A\0B,drugshandel,politie,2025-01-01,150100,450100\n",
            Header + "A1,drugshandel,politie,9999-12-31,150100,450100\n", Header + "A1,drugshandel,politie,2025-01-01,1e400,450100\n",
            Header + "jan.jansen@example.nl,drugshandel,politie,2025-01-01,150100,450100\n",
            Header + "A1,drugshandel,politie,2025-01-01,450100,150100\n", Header + "A1,drugshandel,politie,2025-01-01,0,0\n",
            Header + "\"A1,drugshandel\n", "bsn,external_id\n111222333,A\n", Header + "A1,drugshandel,politie,2025-01-01\n",
            Header + "A1,<script>,politie,2025-01-01,150100,450100\n",
        ];
        for (var i = 0; i < csvFiles.Length; i++) Add($"import.signals:csv{i}", "/api/signals/import", "text/csv", utf8.GetBytes(csvFiles[i]));
        Add("import.signals:utf16", "/api/signals/import", "text/csv", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Header + "A1,drugshandel,politie,2025-01-01,150100,450100\n")]);
        Add("import.signals:utf16be", "/api/signals/import", "text/csv", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(Header + "A1,drugshandel,politie,2025-01-01,150100,450100\n")]);
        Add("import.signals:utf32", "/api/signals/import", "text/csv", [0xFF, 0xFE, 0, 0, .. Encoding.UTF32.GetBytes(Header + "A1,drugshandel,politie,2025-01-01,150100,450100\n")]);
        Add("import.signals:binary", "/api/signals/import", "application/octet-stream", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0x0D, 0xFF]);
        const string Fc = """{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"external_id":"G-1","category":"drugshandel","source":"politie","observed_at":"2025-01-01"},"geometry":{"type":"Point","coordinates":[150100,450100]}}],"crs":{"type":"name","properties":{"name":"EPSG:28992"}}}""";
        string[] geojsonFiles =
        [
            Fc.Replace("G-1", "\\ud800", StringComparison.Ordinal), Fc.Replace("G-1", "\\udfff\\ud800", StringComparison.Ordinal),
            Fc.Replace("G-1", "G\\u0000", StringComparison.Ordinal), Fc.Replace("EPSG:28992", "EPSG:9999", StringComparison.Ordinal),
            Fc.Replace("Point", "LineString", StringComparison.Ordinal), Fc.Replace("[150100,450100]", "[]", StringComparison.Ordinal),
            Fc.Replace("[150100,450100]", "[1e400,1]", StringComparison.Ordinal), Fc.Replace("FeatureCollection", "Feature", StringComparison.Ordinal),
            Fc[..40], "{\"type\":\"FeatureCollection\",\"features\":{}}",
        ];
        for (var i = 0; i < geojsonFiles.Length; i++) Add($"import.signals:geojson{i}", "/api/signals/import", "application/geo+json", utf8.GetBytes(geojsonFiles[i]));
        Add("import.signals:geojson-utf8", "/api/signals/import", "application/geo+json", [.. utf8.GetBytes(Fc[..120]), 0xED, 0xA0, 0x80, .. utf8.GetBytes(Fc[120..])]);
        foreach (var q in new[] { "mode={v}", "crs={v}", "source={v}" })
        foreach (var v in new[] { "x", "%00", "jan.jansen%40example.nl", "%ED%A0%80" })
            Add($"import.signals:q-{q}-{v}", "/api/signals/import?" + q.Replace("{v}", v, StringComparison.Ordinal), "text/csv",
                // without a source column, so that ?source= is the one that counts
                utf8.GetBytes("external_id,category,observed_at,x,y\nA1,drugshandel,2025-01-01,150100,450100\n"));

        const string AreaQuery = "/api/areas/import?kind=custom&code_field=code&name_field=name";
        static string AreaFc(string code, string name, string coordinates) =>
            "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:28992\"}},\"features\":[{\"type\":\"Feature\",\"properties\":{\"code\":\"" + code + "\",\"name\":\"" + name
            + "\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + coordinates + "}}]}";
        const string Square = "[[[150000,450000],[150100,450000],[150100,450100],[150000,450000]]]";
        (string Code, string Name, string Coordinates)[] areaFiles =
        [
            ("T-1", "ring van twee", "[[[150000,450000],[150100,450100]]]"),
            ("T-1", "open ring", "[[[150000,450000],[150100,450000],[150100,450100],[150000,450100]]]"),
            ("T-1", "leeg", "[]"), ("T-1", "niets", "[[]]"), ("T-1", "NaN", "[[[1e400,0],[1,0],[1,1],[1e400,0]]]"),
            ("T-1", "buiten", "[[[0,0],[1,0],[1,1],[0,0]]]"),
            ("T-1", "Buurt met BSN 111222333", Square), ("T-1", "jan.jansen@example.nl", Square),
            ("T-1", "naam\\u0000nul", Square), ("T-1", "\\ud800", Square),
            ("<script>", "rare code", Square), ("T-1", "", Square), ("", "geen code", Square),
        ];
        for (var i = 0; i < areaFiles.Length; i++)
            Add($"import.areas:{i}", AreaQuery, "application/geo+json", utf8.GetBytes(AreaFc(areaFiles[i].Code, areaFiles[i].Name, areaFiles[i].Coordinates)));
        foreach (var q in new[] { "kind={v}&code_field=code&name_field=name", "kind=custom&code_field={v}&name_field=name", "kind=custom&code_field=code&name_field=name&valid_from={v}", "kind=custom&code_field=code&name_field=name&mode={v}" })
        foreach (var v in new[] { "x", "%00", "9999-12-31", "0001-01-01" })
            Add($"import.areas:q-{q}-{v}", "/api/areas/import?" + q.Replace("{v}", v, StringComparison.Ordinal), "application/geo+json", utf8.GetBytes(AreaFc("T-1", "naam", "[[[150000,450000],[150100,450100]]]")));

        string[] keyBodies =
        [
            "", "{", "[]", "{}", "{\"role\":\"root\"}", "{\"role\":\"member\"}", "{\"role\":\"member\",\"casustafels\":[\"bestaat-niet\"]}",
            "{\"role\":\"viewer\",\"label\":\"sleutel van jan.jansen@example.nl\"}", "{\"role\":\"viewer\",\"label\":\"BSN 111222333\"}",
            "{\"role\":\"viewer\",\"label\":\"a\\u0000b\"}", "{\"role\":\"viewer\",\"label\":\"" + new string('l', 101) + "\"}",
            "{\"role\":\"viewer\",\"label\":\"\\ud800\"}", "{\"role\":\"member\",\"casustafels\":[\"\\u0000\"]}", "{\"role\":1}", "{\"role\":[\"admin\"]}",
        ];
        for (var i = 0; i < keyBodies.Length; i++) Json($"keys:{i}", "/api/keys", keyBodies[i]);

        string[] followupBodies =
        [
            "", "{", "{}", "{\"status\":\"bestaat-niet\",\"note\":\"x\"}", "{\"status\":\"afgesloten\",\"note\":\"\"}",
            "{\"status\":\"afgesloten\",\"note\":\"gesproken met jan.jansen@example.nl\"}", "{\"status\":\"afgesloten\",\"note\":\"BSN 111222333\"}",
            "{\"status\":\"afgesloten\",\"note\":\"a\\u0000b\"}", "{\"status\":\"\\ud800\",\"note\":\"x\"}", "{\"status\":1,\"note\":2}",
            "{\"status\":\"afgesloten\",\"note\":\"" + new string('n', 2000) + "\"}",
        ];
        for (var i = 0; i < followupBodies.Length; i++)
        {
            Json($"followup:{i}", "/api/casustafels/proef/signals/1/followup", followupBodies[i]);
            Json($"followup:missing{i}", "/api/casustafels/proef/signals/999999999/followup", followupBodies[i]);
        }

        string[] runBodies =
        [
            "{", "[]", "{\"profile\":\"bestaat-niet\"}", "{\"reference_date\":\"9999-12-31\"}", "{\"reference_date\":\"0001-01-01\"}",
            "{\"kind\":\"\\u0000\"}", "{\"version\":-1}", "{\"version\":99999999999}", "{\"profile\":\"\\ud800\"}", "{\"kind\":\"<script>\"}",
        ];
        for (var i = 0; i < runBodies.Length; i++) Json($"scores.run:{i}", "/api/scores/run", runBodies[i]);
        return [.. list];
    }
}
