using GeoRisk.Core.Ogc;
using GeoRisk.Core.Tiles;
using Xunit;

namespace GeoRisk.UnitTests.Ogc;

public class OgcItemsQueryTests
{
    private static (OgcItemsQuery Query, Dictionary<string, string> Errors) Parse(params (string Name, string Value)[] parameters) =>
        OgcItemsQuery.Parse(name => parameters.Where(p => p.Name == name).Select(p => p.Value).LastOrDefault());

    [Fact]
    public void Defaults_are_crs84_and_a_page_of_100()
    {
        var (q, errors) = Parse();
        Assert.Empty(errors);
        Assert.Equal(100, q.Limit);
        Assert.Equal(OgcCrs.Crs84, q.Crs);
    }

    [Theory]
    [InlineData("5", 5)]
    [InlineData("10000", 10000)]
    [InlineData("25000", 10000)]
    [InlineData("99999999999", 10000)]
    public void A_limit_above_the_maximum_is_served_as_the_maximum(string limit, int expected) =>
        Assert.Equal(expected, Parse(("limit", limit)).Query.Limit);

    [Theory]
    [InlineData("limit", "0")]
    [InlineData("limit", "-3")]
    [InlineData("limit", "ten")]
    [InlineData("offset", "-1")]
    [InlineData("crs", "EPSG:31370")]
    [InlineData("bbox", "4.8,52.3,4.9")]
    [InlineData("bbox", "4.9,52.3,4.8,52.4")]
    [InlineData("bbox", "4.8,52.3,4.9,95")]
    [InlineData("datetime", "yesterday")]
    [InlineData("datetime", "../..")]
    [InlineData("datetime", "2026-02-01/2026-01-01")]
    [InlineData("datetime", "2026-01-01T00:00:00")]
    [InlineData("filter-lang", "cql2-json")]
    public void Bad_values_are_errors_named_by_parameter(string name, string value)
    {
        var (_, errors) = Parse((name, value));
        Assert.True(errors.ContainsKey(name), $"no error for {name}={value}");
    }

    [Fact]
    public void Crs_accepts_uris_curies_and_urns()
    {
        Assert.Equal(OgcCrs.RdNew, OgcCrs.Parse("http://www.opengis.net/def/crs/EPSG/0/28992"));
        Assert.Equal(OgcCrs.RdNew, OgcCrs.Parse("https://www.opengis.net/def/crs/EPSG/0/28992"));
        Assert.Equal(OgcCrs.RdNew, OgcCrs.Parse("[EPSG:28992]"));
        Assert.Equal(OgcCrs.Epsg4326, OgcCrs.Parse("urn:ogc:def:crs:EPSG::4326"));
        Assert.Equal(OgcCrs.Crs84, OgcCrs.Parse("http://www.opengis.net/def/crs/OGC/1.3/CRS84"));
        Assert.Null(OgcCrs.Parse("EPSG:2193"));
    }

    [Fact]
    public void A_bbox_in_epsg_4326_is_latitude_first()
    {
        var (q, errors) = Parse(("bbox", "52.3,4.8,52.4,4.9"), ("bbox-crs", "http://www.opengis.net/def/crs/EPSG/0/4326"));
        Assert.Empty(errors);
        Assert.Equal((4.8, 52.3, 4.9, 52.4), q.Bbox!.XY);
    }

    [Fact]
    public void A_date_means_the_whole_day_in_amsterdam()
    {
        var (q, _) = Parse(("datetime", "2026-07-01"));
        Assert.Equal(new DateTimeOffset(2026, 6, 30, 22, 0, 0, TimeSpan.Zero), q.Datetime!.From);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 22, 0, 0, TimeSpan.Zero), q.Datetime!.Until);
    }

    [Fact]
    public void Open_intervals_leave_an_end_open()
    {
        var (q, errors) = Parse(("datetime", "../2026-01-31T23:00:00Z"));
        Assert.Empty(errors);
        Assert.Null(q.Datetime!.From);
        Assert.Equal(new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero).AddTicks(10), q.Datetime.Until);
        var (q2, _) = Parse(("datetime", "2026-01-01/"));
        Assert.Null(q2.Datetime!.Until);
    }

    [Fact]
    public void Web_mercator_quad_tiles_are_the_xyz_tiles()
    {
        var tms = TileMatrixSet.WebMercatorQuad;
        foreach (var tile in new[] { new TileId(0, 0, 0), new TileId(12, 2103, 1345), new TileId(17, 67312, 43079) })
        {
            var (minX, minY, maxX, maxY) = tms.Envelope(tile.Z, tile.Y, tile.X);
            var e = tile.Envelope;
            Assert.Equal(e.MinX, minX, 3);
            Assert.Equal(e.MinY, minY, 3);
            Assert.Equal(e.MaxX, maxX, 3);
            Assert.Equal(e.MaxY, maxY, 3);
        }
    }

    [Fact]
    public void Netherlands_rd_new_quad_matches_the_registry_definition()
    {
        var tms = TileMatrixSet.NetherlandsRdNewQuad;
        // Level 0: one tile of 256 px at 3440.64 m per pixel from (-285401.92, 903401.92).
        Assert.Equal((-285401.92, 903401.92 - 880803.84, -285401.92 + 880803.84, 903401.92), tms.Envelope(0, 0, 0));
        // The Dam (121000, 487000) lies in level 5 row 15, column 14.
        var (minX, minY, maxX, maxY) = tms.Envelope(5, 15, 14);
        Assert.InRange(121000, minX, maxX);
        Assert.InRange(487000, minY, maxY);
        Assert.Equal(12288000 / 32.0, (double)((List<Dictionary<string, object>>)tms.ToJson()["tileMatrices"])[5]["scaleDenominator"]);
    }
}
