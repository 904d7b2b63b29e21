using System.Globalization;
using System.Text;
using GeoRisk.Data.Rtm;

namespace GeoRisk.Reports.Rtm;

/// <summary>The CSV take-aways of a gelegenheidskaart: its cells and its blind spots (comma-separated, invariant numbers).</summary>
public static class RtmCsv
{
    public static string Cells(IEnumerable<RtmCellRow> cells)
    {
        var csv = new StringBuilder("q,r,lon,lat,rrs,expected,fit_count,test_count,factors\n");
        foreach (var c in cells)
            csv.Append(CultureInfo.InvariantCulture,
                $"{c.Q},{c.R},{N(c.Lon)},{N(c.Lat)},{N(c.Rrs)},{N(c.Expected)},{c.FitCount?.ToString(CultureInfo.InvariantCulture)},{c.TestCount?.ToString(CultureInfo.InvariantCulture)},{string.Join(' ', c.Factors)}\n");
        return csv.ToString();
    }

    public static string BlindSpots(IEnumerable<BlindSpot> spots)
    {
        var csv = new StringBuilder("rank,q,r,lon,lat,rrs,expected,factors\n");
        foreach (var s in spots)
            csv.Append(CultureInfo.InvariantCulture, $"{s.Rank},{s.Q},{s.R},{N(s.Lon)},{N(s.Lat)},{N(s.Rrs)},{N(s.Expected)},{string.Join(' ', s.Factors)}\n");
        return csv.ToString();
    }

    private static string N(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
