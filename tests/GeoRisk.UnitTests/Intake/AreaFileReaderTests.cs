using System.Text;
using GeoRisk.Core.Intake;

namespace GeoRisk.UnitTests.Intake;

public class AreaFileReaderTests
{
    private static MemoryStream Utf8(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Reads_cbs_style_boundaries_with_code_name_and_parent()
    {
        const string file = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},
             "features":[
              {"type":"Feature","properties":{"buurtcode":"BU03620401","buurtnaam":"Stadshart","wijkcode":"WK036204"},
               "geometry":{"type":"Polygon","coordinates":[[[4.85,52.30],[4.86,52.30],[4.86,52.31],[4.85,52.30]]]}},
              {"type":"Feature","properties":{"buurtcode":"BU03620402","buurtnaam":"Oude Dorp","wijkcode":"WK036204"},
               "geometry":{"type":"MultiPolygon","coordinates":[[[[4.85,52.30],[4.86,52.30],[4.86,52.31],[4.85,52.30]]]]}},
              {"type":"Feature","properties":{"buurtcode":"BU 0362","buurtnaam":"Slecht"},
               "geometry":{"type":"Polygon","coordinates":[[[4.85,52.30],[4.86,52.30],[4.86,52.31],[4.85,52.30]]]}},
              {"type":"Feature","properties":{"buurtcode":"BU03620403","buurtnaam":"Lijn"},
               "geometry":{"type":"LineString","coordinates":[[4.85,52.30],[4.86,52.30]]}}
             ]}
            """;
        var (areas, rejections) = AreaFileReader.Read(Utf8(file), new AreaIntakeOptions("buurt", "buurtcode", "buurtnaam", "wijkcode"));
        Assert.Equal(["BU03620401", "BU03620402"], areas.Select(a => a.Code));
        Assert.All(areas, a => Assert.Equal((4326, "WK036204"), (a.Srid, a.ParentCode)));
        Assert.Contains("\"Polygon\"", areas[0].GeometryJson, StringComparison.Ordinal);
        Assert.Contains(rejections, r => r.Row == 3 && r.Field == "buurtcode" && r.Reason == RejectionReasons.InvalidCode);
        Assert.Contains(rejections, r => r.Row == 4 && r.Field == "geometry" && r.Reason == RejectionReasons.InvalidGeometry);
    }

    [Fact]
    public void Numeric_codes_and_rd_crs_are_accepted()
    {
        const string file = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:28992"}},"features":[
              {"type":"Feature","properties":{"pc4":1012,"naam":"Centrum"},
               "geometry":{"type":"Polygon","coordinates":[[[121000,487000],[122000,487000],[122000,488000],[121000,487000]]]}}]}
            """;
        var (areas, rejections) = AreaFileReader.Read(Utf8(file), new AreaIntakeOptions("postcode", "pc4", "naam"));
        Assert.Empty(rejections);
        Assert.Equal(("1012", 28992), (areas[0].Code, areas[0].Srid));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("code,name\n", "GeoJSON")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[", "not valid JSON")]
    public void Malformed_area_files_are_format_errors(string file, string expected)
    {
        var e = Assert.Throws<IntakeFormatException>(() => AreaFileReader.Read(Utf8(file), new AreaIntakeOptions("buurt", "code", "naam")));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_kind_is_refused()
    {
        Assert.Throws<IntakeFormatException>(() => AreaFileReader.Read(Utf8("{}"), new AreaIntakeOptions("stadsdeel", "code", "naam")));
    }
}
