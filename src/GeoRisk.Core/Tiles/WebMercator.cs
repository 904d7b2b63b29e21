namespace GeoRisk.Core.Tiles;

/// <summary>
/// Spherical Web Mercator (EPSG:3857) as used by slippy-map tiles and PostGIS
/// <c>ST_TileEnvelope</c>: the square world of ±<see cref="HalfWorld"/> metres.
/// </summary>
public static class WebMercator
{
    public const double EarthRadius = 6378137.0;

    /// <summary>Half the side of the square world: π·R = 20037508.342789244 m.</summary>
    public const double HalfWorld = Math.PI * EarthRadius;

    /// <summary>Latitude where the square world ends (±85.0511287798°).</summary>
    public static readonly double MaxLatitude = Math.Atan(Math.Sinh(Math.PI)) * 180 / Math.PI;

    public static Envelope3857 World { get; } = new(-HalfWorld, -HalfWorld, HalfWorld, HalfWorld);

    public static (double X, double Y) FromLonLat(double lon, double lat)
    {
        lat = Math.Clamp(lat, -MaxLatitude, MaxLatitude);
        var x = lon * Math.PI / 180 * EarthRadius;
        var y = Math.Log(Math.Tan(Math.PI / 4 + lat * Math.PI / 360)) * EarthRadius;
        return (x, y);
    }

    public static (double Lon, double Lat) ToLonLat(double x, double y)
    {
        var lon = x / EarthRadius * 180 / Math.PI;
        var lat = (2 * Math.Atan(Math.Exp(y / EarthRadius)) - Math.PI / 2) * 180 / Math.PI;
        return (lon, lat);
    }
}

/// <summary>An axis-aligned rectangle in EPSG:3857 metres.</summary>
public readonly record struct Envelope3857(double MinX, double MinY, double MaxX, double MaxY)
{
    // Derived: API answers that carry an envelope (an import's changed_extent) show the four bounds only.
    [System.Text.Json.Serialization.JsonIgnore]
    public double Width => MaxX - MinX;

    [System.Text.Json.Serialization.JsonIgnore]
    public double Height => MaxY - MinY;

    /// <summary>Half-open on the max sides, so that a point on a shared edge is in exactly one tile.</summary>
    public bool Contains(double x, double y) => x >= MinX && x < MaxX && y > MinY && y <= MaxY;

    public bool Intersects(Envelope3857 other) =>
        MinX <= other.MaxX && other.MinX <= MaxX && MinY <= other.MaxY && other.MinY <= MaxY;

    public Envelope3857 Expand(double by) => new(MinX - by, MinY - by, MaxX + by, MaxY + by);

    /// <summary>South-west and north-east corners in degrees, as TileJSON <c>bounds</c> wants them.</summary>
    public (double West, double South, double East, double North) ToLonLatBounds()
    {
        var (w, s) = WebMercator.ToLonLat(MinX, MinY);
        var (e, n) = WebMercator.ToLonLat(MaxX, MaxY);
        return (w, s, e, n);
    }
}
