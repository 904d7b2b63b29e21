using System.Globalization;

namespace GeoRisk.Core.Tiles;

/// <summary>
/// A slippy-map tile z/x/y (XYZ scheme: y = 0 is the northern row), the scheme of
/// ST_TileEnvelope, MapLibre, Leaflet and QGIS XYZ layers.
/// </summary>
public readonly record struct TileId
{
    /// <summary>Deepest zoom we accept at all; a layer narrows this to its own range.</summary>
    public const int MaxSupportedZoom = 24;

    public int Z { get; }
    public int X { get; }
    public int Y { get; }

    public TileId(int z, int x, int y)
    {
        if (Validate(z, x, y) is { } error)
        {
            throw new ArgumentOutOfRangeException(nameof(z), error);
        }
        (Z, X, Y) = (z, x, y);
    }

    /// <summary>Number of tiles along one axis at zoom <paramref name="z"/>.</summary>
    public static long TilesPerAxis(int z) => 1L << z;

    /// <summary>Null when z/x/y name a tile; otherwise what is wrong, for a 400 response.</summary>
    public static string? Validate(int z, int x, int y)
    {
        if (z < 0 || z > MaxSupportedZoom)
        {
            return $"z must be between 0 and {MaxSupportedZoom}";
        }
        var n = TilesPerAxis(z);
        if (x < 0 || x >= n)
        {
            return $"x must be between 0 and {n - 1} at zoom {z}";
        }
        if (y < 0 || y >= n)
        {
            return $"y must be between 0 and {n - 1} at zoom {z}";
        }
        return null;
    }

    /// <summary>Parses route values; <paramref name="error"/> says which part is wrong.</summary>
    public static bool TryParse(string? z, string? x, string? y, out TileId tile, out string? error)
    {
        tile = default;
        if (!TryInt(z, out var zi)) { error = "z must be a whole number"; return false; }
        if (!TryInt(x, out var xi)) { error = "x must be a whole number"; return false; }
        if (!TryInt(y, out var yi)) { error = "y must be a whole number"; return false; }
        error = Validate(zi, xi, yi);
        if (error is not null) return false;
        tile = new TileId(zi, xi, yi);
        return true;

        static bool TryInt(string? s, out int v) =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);
    }

    /// <summary>Side of a tile at this zoom in 3857 metres.</summary>
    public static double TileSize(int z) => 2 * WebMercator.HalfWorld / TilesPerAxis(z);

    /// <summary>The tile's square in EPSG:3857, identical to PostGIS ST_TileEnvelope(z, x, y).</summary>
    public Envelope3857 Envelope
    {
        get
        {
            var size = TileSize(Z);
            var minX = -WebMercator.HalfWorld + X * size;
            var maxY = WebMercator.HalfWorld - Y * size;
            // Computing each edge from its own index keeps shared edges bit-identical between neighbours.
            return new Envelope3857(minX, WebMercator.HalfWorld - (Y + 1) * size, -WebMercator.HalfWorld + (X + 1) * size, maxY);
        }
    }

    /// <summary>The tile at zoom <paramref name="z"/> containing the 3857 point (clamped to the world).</summary>
    public static TileId ContainingPoint(double x3857, double y3857, int z)
    {
        var n = TilesPerAxis(z);
        var size = TileSize(z);
        var tx = (long)Math.Floor((x3857 + WebMercator.HalfWorld) / size);
        var ty = (long)Math.Floor((WebMercator.HalfWorld - y3857) / size);
        return new TileId(z, (int)Math.Clamp(tx, 0, n - 1), (int)Math.Clamp(ty, 0, n - 1));
    }

    public static TileId ContainingLonLat(double lon, double lat, int z)
    {
        var (x, y) = WebMercator.FromLonLat(lon, lat);
        return ContainingPoint(x, y, z);
    }

    /// <summary>North-west corner in degrees.</summary>
    public (double Lon, double Lat) NorthWest => WebMercator.ToLonLat(Envelope.MinX, Envelope.MaxY);

    public TileId Parent => Z == 0 ? throw new InvalidOperationException("tile 0/0/0 has no parent") : new TileId(Z - 1, X / 2, Y / 2);

    public IEnumerable<TileId> Children()
    {
        if (Z == MaxSupportedZoom) yield break;
        for (var dy = 0; dy < 2; dy++)
            for (var dx = 0; dx < 2; dx++)
                yield return new TileId(Z + 1, 2 * X + dx, 2 * Y + dy);
    }

    /// <summary>Maps a 3857 point to pixel coordinates of this tile drawn <paramref name="pixels"/> wide (y down).</summary>
    public (double Px, double Py) ToPixel(double x3857, double y3857, int pixels)
    {
        var e = Envelope;
        var scale = pixels / e.Width;
        return ((x3857 - e.MinX) * scale, (e.MaxY - y3857) * scale);
    }

    /// <summary>Metres (3857) per pixel of a 256 px tile at zoom <paramref name="z"/>.</summary>
    public static double MetresPerPixel(int z) => TileSize(z) / 256;

    public override string ToString() => $"{Z}/{X}/{Y}";
}
