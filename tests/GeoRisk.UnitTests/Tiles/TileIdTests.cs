using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GeoRisk.Core.Tiles;
using Xunit;

namespace GeoRisk.UnitTests.Tiles;

public class TileIdTests
{
    /// <summary>Arbitrary valid tiles up to zoom 20.</summary>
    public static class ValidTiles
    {
        public static Arbitrary<TileId> Tiles() =>
            (from z in Gen.Choose(0, 20)
             from x in Gen.Choose(0, (int)TileId.TilesPerAxis(z) - 1)
             from y in Gen.Choose(0, (int)TileId.TilesPerAxis(z) - 1)
             select new TileId(z, x, y)).ToArbitrary();
    }

    [Fact]
    public void World_tile_envelope_is_the_whole_square_world()
    {
        var e = new TileId(0, 0, 0).Envelope;
        Assert.Equal(-20037508.342789244, e.MinX, 6);
        Assert.Equal(20037508.342789244, e.MaxY, 6);
        Assert.Equal(2 * 20037508.342789244, e.Width, 6);
    }

    [Fact]
    public void Known_tile_matches_postgis_st_tileenvelope()
    {
        // SELECT ST_AsText(ST_TileEnvelope(12, 2103, 1345)) in PostGIS 3.3.
        var e = new TileId(12, 2103, 1345).Envelope;
        Assert.Equal(538116.679127641, e.MinX, 3);
        Assert.Equal(6868325.613592798, e.MinY, 3);
        Assert.Equal(547900.6187481433, e.MaxX, 3);
        Assert.Equal(6878109.5532133, e.MaxY, 3);
    }

    [Fact]
    public void Amsterdam_centre_is_in_the_expected_tile()
    {
        // Dam square, 4.8936 E 52.3731 N.
        Assert.Equal(new TileId(12, 2103, 1346), TileId.ContainingLonLat(4.8936, 52.3731, 12));
        Assert.Equal(new TileId(0, 0, 0), TileId.ContainingLonLat(4.8936, 52.3731, 0));
    }

    [Theory]
    [InlineData(-1, 0, 0, "z must be between 0 and 24")]
    [InlineData(25, 0, 0, "z must be between 0 and 24")]
    [InlineData(3, 8, 0, "x must be between 0 and 7 at zoom 3")]
    [InlineData(3, 0, 8, "y must be between 0 and 7 at zoom 3")]
    [InlineData(3, -1, 0, "x must be between 0 and 7")]
    public void Invalid_tiles_are_named(int z, int x, int y, string expected)
    {
        Assert.Contains(expected, TileId.Validate(z, x, y));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TileId(z, x, y));
    }

    [Theory]
    [InlineData("a", "0", "0", "z must be a whole number")]
    [InlineData("1", "1.5", "0", "x must be a whole number")]
    [InlineData("1", "0", "-1", "y must be a whole number")]
    [InlineData("1", "0", "99999999999", "y must be a whole number")]
    [InlineData("1", "2", "0", "x must be between 0 and 1")]
    public void Parsing_rejects_bad_route_values(string z, string x, string y, string expected)
    {
        Assert.False(TileId.TryParse(z, x, y, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Parsing_accepts_a_valid_tile()
    {
        Assert.True(TileId.TryParse("14", "8414", "5384", out var tile, out var error));
        Assert.Null(error);
        Assert.Equal(new TileId(14, 8414, 5384), tile);
        Assert.Equal("14/8414/5384", tile.ToString());
    }

    [Property(Arbitrary = [typeof(ValidTiles)])]
    public bool Tile_contains_its_own_centre(TileId tile)
    {
        var e = tile.Envelope;
        return TileId.ContainingPoint((e.MinX + e.MaxX) / 2, (e.MinY + e.MaxY) / 2, tile.Z) == tile;
    }

    [Property(Arbitrary = [typeof(ValidTiles)])]
    public bool Children_tile_their_parent_exactly(TileId tile)
    {
        if (tile.Z >= 20) return true;
        var children = tile.Children().ToList();
        var e = tile.Envelope;
        return children.Count == 4
            && children.All(c => c.Parent == tile)
            && children.Min(c => c.Envelope.MinX) == e.MinX
            && children.Max(c => c.Envelope.MaxX) == e.MaxX
            && children.Min(c => c.Envelope.MinY) == e.MinY
            && children.Max(c => c.Envelope.MaxY) == e.MaxY
            && Math.Abs(children.Sum(c => c.Envelope.Width * c.Envelope.Height) - e.Width * e.Height) < 1e-6 * e.Width * e.Height;
    }

    [Property(Arbitrary = [typeof(ValidTiles)])]
    public bool Neighbours_share_their_edge_bit_for_bit(TileId tile)
    {
        var n = TileId.TilesPerAxis(tile.Z);
        var ok = true;
        if (tile.X + 1 < n) ok &= tile.Envelope.MaxX == new TileId(tile.Z, tile.X + 1, tile.Y).Envelope.MinX;
        if (tile.Y + 1 < n) ok &= tile.Envelope.MinY == new TileId(tile.Z, tile.X, tile.Y + 1).Envelope.MaxY;
        return ok;
    }

    [Property]
    public bool LonLat_round_trips_through_mercator(NormalFloat lonSeed, NormalFloat latSeed)
    {
        var lon = Math.IEEERemainder(lonSeed.Get, 180);
        var lat = Math.IEEERemainder(latSeed.Get, 85);
        var (x, y) = WebMercator.FromLonLat(lon, lat);
        var (lon2, lat2) = WebMercator.ToLonLat(x, y);
        return Math.Abs(lon - lon2) < 1e-9 && Math.Abs(lat - lat2) < 1e-9;
    }

    [Property]
    public bool A_lonlat_point_lies_in_the_envelope_of_its_tile(NormalFloat lonSeed, NormalFloat latSeed, byte zSeed)
    {
        var lon = Math.IEEERemainder(lonSeed.Get, 179.9);
        var lat = Math.IEEERemainder(latSeed.Get, 85);
        var z = zSeed % 21;
        var (x, y) = WebMercator.FromLonLat(lon, lat);
        var tile = TileId.ContainingPoint(x, y, z);
        var (px, py) = tile.ToPixel(x, y, 256);
        return tile.Envelope.Contains(x, y) && px >= 0 && px < 256 && py >= 0 && py <= 256;
    }
}
