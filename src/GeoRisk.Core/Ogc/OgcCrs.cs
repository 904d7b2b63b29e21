namespace GeoRisk.Core.Ogc;

/// <summary>
/// A coordinate reference system of OGC API Features Part 2, by its URI. <see cref="Srid"/> is
/// what PostGIS calls it; <see cref="LatLon"/> says the axis order is latitude first (EPSG:4326
/// as EPSG defines it), so coordinates must be swapped against PostGIS' x/y.
/// </summary>
public sealed record OgcCrs(string Uri, int Srid, bool LatLon, int Decimals, string Label)
{
    /// <summary>WGS84 longitude/latitude: the GeoJSON default (RFC 7946). 7 decimals ≈ 1 cm.</summary>
    public static OgcCrs Crs84 { get; } = new("http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326, false, 7, "CRS84");

    /// <summary>WGS84 with EPSG's latitude-first axis order.</summary>
    public static OgcCrs Epsg4326 { get; } = new("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, true, 7, "EPSG:4326");

    /// <summary>RD New (Amersfoort / RD New), metres; the storage CRS. 2 decimals = 1 cm.</summary>
    public static OgcCrs RdNew { get; } = new("http://www.opengis.net/def/crs/EPSG/0/28992", 28992, false, 2, "EPSG:28992");

    /// <summary>Web Mercator, metres (for clients that work in the map's projection).</summary>
    public static OgcCrs WebMercator { get; } = new("http://www.opengis.net/def/crs/EPSG/0/3857", 3857, false, 2, "EPSG:3857");

    public static IReadOnlyList<OgcCrs> Supported { get; } = [Crs84, RdNew, Epsg4326, WebMercator];

    /// <summary>
    /// The CRS named by a URI (http or https), a safe CURIE <c>[EPSG:28992]</c>, <c>EPSG:28992</c>
    /// or the OGC URN form; null when it is none of <see cref="Supported"/>.
    /// </summary>
    public static OgcCrs? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Trim();
        if (v.StartsWith('[') && v.EndsWith(']')) v = v[1..^1];
        if (v.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) v = "http://" + v[8..];
        foreach (var crs in Supported)
        {
            if (string.Equals(v, crs.Uri, StringComparison.OrdinalIgnoreCase)) return crs;
        }
        var upper = v.ToUpperInvariant();
        return upper switch
        {
            "OGC:CRS84" or "CRS84" or "URN:OGC:DEF:CRS:OGC:1.3:CRS84" or "URN:OGC:DEF:CRS:OGC::CRS84" => Crs84,
            "EPSG:4326" or "URN:OGC:DEF:CRS:EPSG::4326" => Epsg4326,
            "EPSG:28992" or "URN:OGC:DEF:CRS:EPSG::28992" => RdNew,
            "EPSG:3857" or "URN:OGC:DEF:CRS:EPSG::3857" => WebMercator,
            _ => null,
        };
    }
}
