namespace GeoRisk.Core.Ports;

/// <summary>A place where a camera could go (RD New metres) with the programme's or the grid's id.</summary>
public readonly record struct CandidateSite(string Id, double X, double Y);

/// <summary>A demand point: an uncovered signal or incident and what covering it is worth.</summary>
public readonly record struct DemandPoint(double X, double Y, double Weight);

/// <summary>A candidate camera: a site and one of the template's headings.</summary>
public readonly record struct CandidateCamera(int Site, double HeadingDeg);

/// <summary>
/// Turns sites × headings and demand points into a max-coverage instance: for every candidate
/// camera the demand points inside its sector (template field of view and range). A grid of
/// range-sized cells keeps this near-linear in the number of points a site can see.
/// </summary>
public static class SitingInstance
{
    public static (List<CandidateCamera> Candidates, List<int[]> Covers) Build(
        IReadOnlyList<CandidateSite> sites, IReadOnlyList<DemandPoint> demand, int headings, double fovDeg, double rangeM)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(headings, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rangeM);
        // A full circle has one orientation only.
        if (fovDeg >= 360) headings = 1;
        var cell = rangeM;
        var grid = new Dictionary<(long, long), List<int>>();
        for (var i = 0; i < demand.Count; i++)
        {
            var key = ((long)Math.Floor(demand[i].X / cell), (long)Math.Floor(demand[i].Y / cell));
            if (!grid.TryGetValue(key, out var list)) grid[key] = list = [];
            list.Add(i);
        }
        var candidates = new List<CandidateCamera>(sites.Count * headings);
        var covers = new List<int[]>(sites.Count * headings);
        var headingDeg = Enumerable.Range(0, headings).Select(h => Heading(h, headings)).ToArray();
        var perHeading = new List<int>[headings];
        for (var h = 0; h < headings; h++) perHeading[h] = [];
        for (var s = 0; s < sites.Count; s++)
        {
            foreach (var l in perHeading) l.Clear();
            var site = sites[s];
            var cx = (long)Math.Floor(site.X / cell);
            var cy = (long)Math.Floor(site.Y / cell);
            for (var gx = cx - 1; gx <= cx + 1; gx++)
            for (var gy = cy - 1; gy <= cy + 1; gy++)
            {
                if (!grid.TryGetValue((gx, gy), out var points)) continue;
                foreach (var i in points)
                {
                    // Viewshed.SectorContains for every heading, with the distance and the bearing
                    // (the costly atan2) worked out once per point instead of once per heading.
                    var dx = demand[i].X - site.X;
                    var dy = demand[i].Y - site.Y;
                    var d2 = dx * dx + dy * dy;
                    if (d2 > rangeM * rangeM) continue;
                    if (fovDeg >= 360 || d2 == 0)
                    {
                        for (var h = 0; h < headings; h++) perHeading[h].Add(i);
                        continue;
                    }
                    var bearing = Viewshed.Compass(dx, dy);
                    for (var h = 0; h < headings; h++)
                        if (Math.Abs(Viewshed.AngleDifference(bearing, headingDeg[h])) <= fovDeg / 2)
                            perHeading[h].Add(i);
                }
            }
            for (var h = 0; h < headings; h++)
            {
                candidates.Add(new CandidateCamera(s, Heading(h, headings)));
                covers.Add(perHeading[h].ToArray());
            }
        }
        return (candidates, covers);
    }

    /// <summary>Heading number h of n, evenly spread from north clockwise.</summary>
    public static double Heading(int h, int n) => 360.0 * h / n;
}
