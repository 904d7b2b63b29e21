using System.Text;
using GeoRisk.Core.Intake;
using GeoRisk.Core.Ports;

namespace GeoRisk.UnitTests.Ports;

/// <summary>Camera registries, incidents and obstacles: formats, CRS, rejections and the privacy gate.</summary>
public class PortFileReaderTests
{
    private static MemoryStream Text(string s) => new(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void A_camera_csv_in_rd_reads_every_column()
    {
        var (cameras, rejections, rows) = PortFileReader.ReadCameras(Text("""
            external_id,owner,description,x,y,heading,fov,range,height,status,active_from,active_to
            CAM-1,havenbedrijf,kade 3 noord,116500,490200,45,90,150,8,active,2025-06-01,
            CAM-2,havenbedrijf,,116600,490300,180,360,80,,removed,2024-01-01,2025-03-01
            """), null);
        Assert.Empty(rejections);
        Assert.Equal(2, rows);
        var c = cameras[0];
        Assert.Equal(("CAM-1", 116500.0, 490200.0, 28992, 45.0, 90.0, 150.0, 8.0, "active"), (c.ExternalId, c.X, c.Y, c.Srid, c.HeadingDeg, c.FovDeg, c.RangeM, c.HeightM!.Value, c.Status));
        Assert.Equal(new DateOnly(2025, 6, 1), c.ActiveFrom);
        Assert.Equal(new DateOnly(2025, 3, 1), cameras[1].ActiveTo);
    }

    [Fact]
    public void A_camera_geojson_in_wgs84_keeps_its_crs_for_the_database()
    {
        var (cameras, rejections, _) = PortFileReader.ReadCameras(Text("""
            {"type":"FeatureCollection","features":[{"type":"Feature","id":"C7","geometry":{"type":"Point","coordinates":[4.83,52.40]},
             "properties":{"owner":"havenbedrijf","heading":90,"fov":60,"range":200,"status":"planned"}}]}
            """), null);
        Assert.Empty(rejections);
        Assert.Equal(("C7", 4326, "planned"), (cameras[0].ExternalId, cameras[0].Srid, cameras[0].Status));
    }

    [Theory]
    [InlineData("C1,o,,116500,490200,360,90,150,,active,,", "heading", "invalid_value")]
    [InlineData("C1,o,,116500,490200,10,0,150,,active,,", "fov", "invalid_value")]
    [InlineData("C1,o,,116500,490200,10,90,5000,,active,,", "range", "invalid_value")]
    [InlineData("C1,o,,116500,490200,10,90,150,,broken,,", "status", "invalid_value")]
    [InlineData("C1,o,,116500,490200,10,90,150,,removed,,", "active_to", "required")]
    [InlineData("C1,o,,116500,490200,10,90,150,,active,2025-06-01,2025-01-01", "active_to", "invalid_value")]
    [InlineData("C1,o,,490200,116500,10,90,150,,active,,", "x", "swapped_coordinates")]
    [InlineData("C1,o,bel 06-12345678,116500,490200,10,90,150,,active,,", "description", "personal_data")]
    [InlineData("C1,jan@example.nl,,116500,490200,10,90,150,,active,,", "owner", "personal_data")]
    [InlineData(",o,,116500,490200,10,90,150,,active,,", "external_id", "required")]
    public void Bad_camera_rows_are_rejected_with_field_and_reason(string row, string field, string reason)
    {
        var (cameras, rejections, _) = PortFileReader.ReadCameras(Text("external_id,owner,description,x,y,heading,fov,range,height,status,active_from,active_to\n" + row + "\n"), null);
        Assert.Empty(cameras);
        var r = Assert.Single(rejections);
        Assert.Equal((1, field, reason), (r.Row, r.Field, r.Reason));
        Assert.DoesNotContain("06-12345678", r.Message);
    }

    [Fact]
    public void An_unknown_camera_column_refuses_the_file()
    {
        var e = Assert.Throws<IntakeFormatException>(() => PortFileReader.ReadCameras(Text("external_id,owner,x,y,heading,fov,range,kenteken\nC,o,1,2,3,4,5,6\n"), null));
        Assert.Equal("unknown_field", Assert.Single(e.Rejections).Reason);
    }

    [Fact]
    public void Incidents_keep_free_properties_that_pass_the_gate_and_reject_the_rest()
    {
        var (incidents, rejections, _) = PortFileReader.ReadIncidents(Text("""
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:28992"}},"features":[
             {"type":"Feature","id":"I1","geometry":{"type":"Point","coordinates":[116500,490200]},
              "properties":{"kind":"uithalers","observed_at":"2026-03-14T02:10:00+01:00","terminal":"ECT Delta","aantal":3,"bewaakt":true}},
             {"type":"Feature","id":"I2","geometry":{"type":"Polygon","coordinates":[[[116500,490200],[116600,490200],[116600,490300],[116500,490200]]]},
              "properties":{"kind":"onbevoegde_toegang","observed_at":"2026-03-15","melder":"NL91ABNA0417164300"}},
             {"type":"Feature","id":"I3","geometry":{"type":"Point","coordinates":[116500,490200]},
              "properties":{"kind":"uithalers","observed_at":"2026-03-16","details":{"nested":1}}}]}
            """), null);
        var first = Assert.Single(incidents);
        Assert.Equal("{\"terminal\":\"ECT Delta\",\"aantal\":3,\"bewaakt\":true}", first.PropertiesJson);
        Assert.Equal(28992, first.Srid);
        Assert.Contains(rejections, r => r.Row == 2 && r.Field == "melder" && r.Reason == "personal_data" && r.Kind == "iban");
        Assert.Contains(rejections, r => r.Row == 3 && r.Field == "details" && r.Reason == "invalid_value");
    }

    [Fact]
    public void Incident_csv_needs_a_kind_code_and_a_past_date()
    {
        var (incidents, rejections, _) = PortFileReader.ReadIncidents(Text("""
            external_id,kind,observed_at,lon,lat,locatie
            A,Uithalers,14-03-2026 02:10,4.83,52.40,kade 5
            B,verdachte lading!,2026-03-14,4.83,52.40,
            C,uithalers,2099-01-01,4.83,52.40,
            """), null);
        var a = Assert.Single(incidents);
        Assert.Equal(("uithalers", 4326, "{\"locatie\":\"kade 5\"}"), (a.Kind, a.Srid, a.PropertiesJson));
        Assert.Contains(rejections, r => r.Row == 2 && r.Reason == "invalid_code");
        Assert.Contains(rejections, r => r.Row == 3 && r.Reason == "future_date");
    }

    [Fact]
    public void Obstacles_take_the_bag_identificatie_and_ignore_other_properties()
    {
        var (obstacles, rejections, _) = PortFileReader.ReadObstacles(Text("""
            {"type":"FeatureCollection","features":[
             {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[4.83,52.40],[4.831,52.40],[4.831,52.401],[4.83,52.40]]]},
              "properties":{"identificatie":"0363100012345678","bouwjaar":1972,"hoogte":12.5}},
             {"type":"Feature","geometry":{"type":"Point","coordinates":[4.83,52.40]},"properties":{"identificatie":"0363100012345679"}}]}
            """), null);
        var o = Assert.Single(obstacles);
        Assert.Equal(("0363100012345678", "pand", 12.5, 4326), (o.ExternalId, o.Kind, o.HeightM!.Value, o.Srid));
        Assert.Equal("invalid_geometry", Assert.Single(rejections).Reason);
    }
}
