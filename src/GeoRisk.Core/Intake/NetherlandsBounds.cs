namespace GeoRisk.Core.Intake;

/// <summary>
/// Is a point in the Netherlands (land and territorial waters, generous by a few km), and if not,
/// is it a mix-up the user can fix? Swapped lat/lon is the commonest mistake.
/// </summary>
public static class NetherlandsBounds
{
    // RD New validity area of the Netherlands, with the Wadden and the Zeeland coast.
    public const double RdMinX = 0, RdMaxX = 300_000, RdMinY = 300_000, RdMaxY = 625_000;
    public const double MinLon = 3.2, MaxLon = 7.3, MinLat = 50.7, MaxLat = 53.7;

    public static bool InRd(double x, double y) => x is >= RdMinX and <= RdMaxX && y is >= RdMinY and <= RdMaxY;

    public static bool InLonLat(double lon, double lat) => lon is >= MinLon and <= MaxLon && lat is >= MinLat and <= MaxLat;

    /// <summary>Null when the point is in the Netherlands; otherwise a rejection (without the values).</summary>
    public static (string Reason, string Message)? Check(double x, double y, int srid, string xName, string yName)
    {
        if (double.IsNaN(x) || double.IsNaN(y) || double.IsInfinity(x) || double.IsInfinity(y))
        {
            return (RejectionReasons.InvalidNumber, $"{xName}/{yName} are not finite numbers");
        }
        if (srid == Crs.Rd)
        {
            if (InRd(x, y))
            {
                return null;
            }
            if (InRd(y, x))
            {
                return (RejectionReasons.SwappedCoordinates,
                    $"the point is outside the Netherlands, but would be inside with {xName} and {yName} swapped: check the column order (RD x is 0–300 000, y is 300 000–625 000)");
            }
            if (InLonLat(x, y) || InLonLat(y, x))
            {
                return (RejectionReasons.OutsideNetherlands,
                    $"{xName}/{yName} look like degrees (WGS84), not RD metres: use lon/lat columns or --crs 4326");
            }
            return (RejectionReasons.OutsideNetherlands, $"the point ({xName}/{yName}, EPSG:28992) is outside the Netherlands");
        }
        if (InLonLat(x, y))
        {
            return null;
        }
        if (InLonLat(y, x))
        {
            return (RejectionReasons.SwappedCoordinates,
                $"the point is outside the Netherlands, but would be inside with {xName} and {yName} swapped: longitude (east, 3.2–7.3) comes first, latitude (north, 50.7–53.7) second");
        }
        if (InRd(x, y))
        {
            return (RejectionReasons.OutsideNetherlands,
                $"{xName}/{yName} look like RD metres (EPSG:28992), not degrees: use x/y columns or --crs 28992");
        }
        return (RejectionReasons.OutsideNetherlands, $"the point ({xName}/{yName}, EPSG:4326) is outside the Netherlands");
    }
}
