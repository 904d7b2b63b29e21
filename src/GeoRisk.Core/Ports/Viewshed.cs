using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;

namespace GeoRisk.Core.Ports;

/// <summary>A camera as geometry needs it: position in RD New, heading clockwise from north, field of view, range.</summary>
public readonly record struct CameraSpec(double X, double Y, double HeadingDeg, double FovDeg, double RangeM);

/// <summary>
/// What a camera sees on the ground, in RD New metres. <see cref="Sector"/> is the same polygon
/// as SQL <c>camera_viewshed</c> (16 arc segments; a full circle as <c>ST_Buffer(p, r, 32)</c>).
/// <see cref="Clip"/> removes what obstacles hide by 2D shadow casting: rays from the camera to
/// every obstacle corner inside the sector (and just left and right of it) and to every arc
/// vertex stop at the first wall they meet; the ray ends, in angular order, outline the visible
/// region. With polygonal obstacles that outline is exact (only the arc is approximated, as in
/// the plain sector). Height is not modelled: a wall blocks the view whatever the mast height.
/// </summary>
public static class Viewshed
{
    public const int SectorSegments = 16;
    public const int CircleSegments = 128;

    /// <summary>
    /// A camera within this distance of an obstacle is mounted on it (on a wall, a roof edge): that
    /// building does not hide the camera's own view. Also a camera inside a footprint looks out.
    /// </summary>
    public const double MountedDistanceM = 1.0;

    /// <summary>Angular offset (degrees) of the rays that pass just beside an obstacle corner.</summary>
    private const double CornerEpsilonDeg = 1e-4;

    public static GeometryFactory Factory { get; } = new(new PrecisionModel(), 28992);

    public static Polygon Sector(CameraSpec camera)
    {
        var coordinates = new List<Coordinate>();
        if (camera.FovDeg >= 360)
        {
            for (var i = 0; i < CircleSegments; i++)
                coordinates.Add(At(camera, 360.0 * i / CircleSegments, camera.RangeM));
            coordinates.Add(coordinates[0].Copy());
        }
        else
        {
            var start = camera.HeadingDeg - camera.FovDeg / 2;
            coordinates.Add(new Coordinate(camera.X, camera.Y));
            for (var i = 0; i <= SectorSegments; i++)
                coordinates.Add(At(camera, start + camera.FovDeg * i / SectorSegments, camera.RangeM));
            coordinates.Add(new Coordinate(camera.X, camera.Y));
        }
        return Factory.CreatePolygon(coordinates.ToArray());
    }

    /// <summary>
    /// The sector minus everything hidden behind (or inside) <paramref name="obstacles"/>. The
    /// ray ends outline a polygon that is star-shaped around the camera; its intersection with the
    /// sector (also star-shaped around the camera, and every sector corner is a ray) is found ray
    /// by ray: the nearer of the two boundaries on each ray, plus the point where they cross
    /// between two rays. That is the region <see cref="ClipByOverlay"/> computes with a general
    /// polygon overlay, without its cost (the tests compare both on random scenes).
    /// </summary>
    public static Geometry Clip(CameraSpec camera, IEnumerable<Geometry> obstacles)
    {
        var sector = Sector(camera);
        var (segments, angles) = Rays(camera, sector, obstacles);
        if (segments.Count == 0) return sector;
        var full = camera.FovDeg >= 360;
        var start = full ? 0 : camera.HeadingDeg - camera.FovDeg / 2;
        var span = full ? 360 : camera.FovDeg;
        var arcSegments = full ? CircleSegments : SectorSegments;
        // The sector's arc corners, as Sector() places them.
        var arc = sector.ExteriorRing.Coordinates;
        var arcStart = full ? 0 : 1;

        var bins = AngularBins(camera, start, segments);
        var view = new List<(double X, double Y)>(angles.Count);
        var edge = new List<(double X, double Y)>(angles.Count);
        var previous = double.NaN;
        foreach (var relative in angles)
        {
            if (relative == previous) continue;
            previous = relative;
            var compass = start + relative;
            var dx = Math.Sin(compass * Math.PI / 180);
            var dy = Math.Cos(compass * Math.PI / 180);
            var distance = camera.RangeM;
            // Only the walls whose angular extent holds this ray can stop it; the others miss.
            var bin = bins[(int)Math.Floor(((relative % 360) + 360) % 360 / BinDeg) % bins.Length];
            if (bin is not null)
            {
                foreach (var w in bin)
                {
                    var (ax, ay, bx, by) = segments[w];
                    var t = RayHit(camera.X, camera.Y, dx, dy, ax, ay, bx, by);
                    if (t < distance) distance = t;
                }
            }
            // Where the ray leaves the sector: on the chord between the two arc corners around it.
            var k = Math.Clamp((int)Math.Floor(relative / (span / arcSegments)), 0, arcSegments - 1);
            var chord = double.PositiveInfinity;
            foreach (var j in (ReadOnlySpan<int>)[k, k - 1, k + 1])
            {
                if (j < 0 || j >= arcSegments || !double.IsInfinity(chord)) continue;
                var (a, b) = (arc[arcStart + j], arc[arcStart + j + 1]);
                chord = RayHit(camera.X, camera.Y, dx, dy, a.X, a.Y, b.X, b.Y);
            }
            if (double.IsInfinity(chord)) chord = camera.RangeM;
            view.Add((camera.X + dx * distance, camera.Y + dy * distance));
            edge.Add((camera.X + dx * chord, camera.Y + dy * chord));
        }

        var origin = new Coordinate(camera.X, camera.Y);
        var ring = new List<Coordinate>(view.Count + 8);
        if (!full) ring.Add(origin.Copy());
        var n = view.Count;
        for (var i = 0; i < n; i++)
        {
            var viewNearer = Nearer(camera, view[i], edge[i]);
            ring.Add(viewNearer ? new Coordinate(view[i].X, view[i].Y) : new Coordinate(edge[i].X, edge[i].Y));
            var next = i + 1;
            if (next == n)
            {
                if (!full) break;
                next = 0;
            }
            // The two boundaries swap between this ray and the next: their crossing is a corner.
            if (Crosses(camera, view[i], edge[i], view[next], edge[next]) is { } crossing) ring.Add(crossing);
        }
        ring.Add(ring[0].Copy());
        if (ring.Count < 4) return Factory.CreatePolygon();
        return Factory.CreatePolygon(ring.ToArray());
    }

    /// <summary>
    /// The same view by a general overlay: the ray-end polygon, repaired, intersected with the
    /// sector. Slower; the reference <see cref="Clip"/> is checked against.
    /// </summary>
    public static Geometry ClipByOverlay(CameraSpec camera, IEnumerable<Geometry> obstacles)
    {
        var sector = Sector(camera);
        var (segments, angles) = Rays(camera, sector, obstacles);
        if (segments.Count == 0) return sector;
        var full = camera.FovDeg >= 360;
        var start = full ? 0 : camera.HeadingDeg - camera.FovDeg / 2;
        var origin = new Coordinate(camera.X, camera.Y);
        var ring = new List<Coordinate>();
        if (!full) ring.Add(origin.Copy());
        var previous = double.NaN;
        foreach (var relative in angles)
        {
            if (relative == previous) continue;
            previous = relative;
            var compass = start + relative;
            var dx = Math.Sin(compass * Math.PI / 180);
            var dy = Math.Cos(compass * Math.PI / 180);
            var distance = camera.RangeM;
            foreach (var (ax, ay, bx, by) in segments)
            {
                var t = RayHit(camera.X, camera.Y, dx, dy, ax, ay, bx, by);
                if (t < distance) distance = t;
            }
            ring.Add(new Coordinate(camera.X + dx * distance, camera.Y + dy * distance));
        }
        ring.Add(ring[0].Copy());
        if (ring.Count < 4) return Factory.CreatePolygon();
        var visible = GeometryFixer.Fix(Factory.CreatePolygon(ring.ToArray()));
        var clipped = visible.Intersection(sector);
        return OnlyPolygons(clipped);
    }

    /// <summary>The walls of the obstacles that touch the sector, and the sorted ray angles (relative to the sector's start).</summary>
    private static (List<(double Ax, double Ay, double Bx, double By)> Segments, List<double> Angles) Rays(
        CameraSpec camera, Polygon sector, IEnumerable<Geometry> obstacles)
    {
        var originPoint = Factory.CreatePoint(new Coordinate(camera.X, camera.Y));
        var full = camera.FovDeg >= 360;
        var start = full ? 0 : camera.HeadingDeg - camera.FovDeg / 2;
        var span = full ? 360 : camera.FovDeg;
        var segments = new List<(double Ax, double Ay, double Bx, double By)>();
        var angles = new List<double>();
        for (var i = 0; i <= (full ? CircleSegments - 1 : SectorSegments); i++)
            angles.Add(span * i / (full ? CircleSegments : SectorSegments));

        // The sector is tested against every obstacle near the camera: prepared once (indexed
        // edges) instead of a full relate per obstacle, which cost more than the shadow casting.
        var preparedSector = PreparedGeometryFactory.Prepare(sector);
        foreach (var obstacle in obstacles)
        {
            if (obstacle.IsEmpty || !obstacle.EnvelopeInternal.Intersects(sector.EnvelopeInternal)) continue;
            // Mounted on it? Only an obstacle whose box comes within the distance can be.
            if (obstacle.EnvelopeInternal.Distance(originPoint.EnvelopeInternal) < MountedDistanceM && obstacle.Distance(originPoint) < MountedDistanceM) continue;
            if (!preparedSector.Intersects(obstacle)) continue;
            for (var g = 0; g < obstacle.NumGeometries; g++)
            {
                if (obstacle.GetGeometryN(g) is not Polygon polygon) continue;
                AddRing(polygon.ExteriorRing, camera, start, span, full, segments, angles);
                foreach (var hole in polygon.InteriorRings) AddRing(hole, camera, start, span, full, segments, angles);
            }
        }
        angles.Sort();
        return (segments, angles);
    }

    /// <summary>Width of the angular bins that index the walls by the directions they cover.</summary>
    private const double BinDeg = 0.5;

    /// <summary>
    /// For each half-degree of direction (relative to the sector's start) the walls that cover it,
    /// widened by a hair so a ray through a wall's end still meets it. A wall never passes within
    /// a metre of the camera (see <see cref="MountedDistanceM"/>), so it covers less than 180°.
    /// </summary>
    private static List<int>?[] AngularBins(CameraSpec camera, double start, List<(double Ax, double Ay, double Bx, double By)> segments)
    {
        const double hair = 1e-6;
        var count = (int)(360 / BinDeg);
        var bins = new List<int>?[count];
        for (var w = 0; w < segments.Count; w++)
        {
            var (ax, ay, bx, by) = segments[w];
            var a = Compass(ax - camera.X, ay - camera.Y);
            var turn = AngleDifference(Compass(bx - camera.X, by - camera.Y), a);
            var from = (a - start + Math.Min(0, turn) - hair) % 360;
            if (from < 0) from += 360;
            var first = (int)Math.Floor(from / BinDeg);
            var last = (int)Math.Floor((from + Math.Abs(turn) + 2 * hair) / BinDeg);
            for (var b = first; b <= last; b++) (bins[b % count] ??= []).Add(w);
        }
        return bins;
    }

    private static bool Nearer(CameraSpec camera, (double X, double Y) a, (double X, double Y) b) =>
        Square(a.X - camera.X) + Square(a.Y - camera.Y) <= Square(b.X - camera.X) + Square(b.Y - camera.Y);

    private static double Square(double v) => v * v;

    /// <summary>Where segment v0–v1 (the ray ends) crosses e0–e1 (the sector's edge), when the nearer of the two changes strictly between the rays.</summary>
    private static Coordinate? Crosses(CameraSpec camera, (double X, double Y) v0, (double X, double Y) e0, (double X, double Y) v1, (double X, double Y) e1)
    {
        double Gap((double X, double Y) v, (double X, double Y) e) =>
            Square(v.X - camera.X) + Square(v.Y - camera.Y) - (Square(e.X - camera.X) + Square(e.Y - camera.Y));
        var g0 = Gap(v0, e0);
        var g1 = Gap(v1, e1);
        if (!(g0 < 0 && g1 > 0) && !(g0 > 0 && g1 < 0)) return null;
        var (rx, ry) = (v1.X - v0.X, v1.Y - v0.Y);
        var (sx, sy) = (e1.X - e0.X, e1.Y - e0.Y);
        var denominator = rx * sy - ry * sx;
        if (Math.Abs(denominator) < 1e-18) return null;
        var u = ((e0.X - v0.X) * sy - (e0.Y - v0.Y) * sx) / denominator;
        if (u <= 0 || u >= 1) return null;
        return new Coordinate(v0.X + u * rx, v0.Y + u * ry);
    }

    /// <summary>Whether a point lies in the plain sector (range and angle), as siting uses it.</summary>
    public static bool SectorContains(CameraSpec camera, double x, double y)
    {
        var dx = x - camera.X;
        var dy = y - camera.Y;
        var d2 = dx * dx + dy * dy;
        if (d2 > camera.RangeM * camera.RangeM) return false;
        if (camera.FovDeg >= 360 || d2 == 0) return true;
        return Math.Abs(AngleDifference(Compass(dx, dy), camera.HeadingDeg)) <= camera.FovDeg / 2;
    }

    /// <summary>Compass bearing (degrees clockwise from north, 0–360) of a direction.</summary>
    public static double Compass(double dx, double dy)
    {
        var a = Math.Atan2(dx, dy) * 180 / Math.PI;
        return a < 0 ? a + 360 : a;
    }

    /// <summary>a − b folded into (−180, 180].</summary>
    public static double AngleDifference(double a, double b)
    {
        var d = (a - b) % 360;
        if (d <= -180) d += 360;
        else if (d > 180) d -= 360;
        return d;
    }

    private static void AddRing(LineString ring, CameraSpec camera, double start, double span, bool full,
        List<(double, double, double, double)> segments, List<double> angles)
    {
        var c = ring.Coordinates;
        for (var i = 0; i < c.Length - 1; i++)
        {
            segments.Add((c[i].X, c[i].Y, c[i + 1].X, c[i + 1].Y));
            // Corners beyond the range add no ray: an edge leaving the range is straight, and the
            // arc-vertex rays either side of where it leaves bound its shadow like the arc itself.
            var dx = c[i].X - camera.X;
            var dy = c[i].Y - camera.Y;
            if (dx * dx + dy * dy > camera.RangeM * camera.RangeM * 1.0001) continue;
            var relative = (Compass(dx, dy) - start) % 360;
            if (relative < 0) relative += 360;
            foreach (var r in new[] { relative - CornerEpsilonDeg, relative, relative + CornerEpsilonDeg })
            {
                if (full) angles.Add((r + 360) % 360);
                else if (r >= 0 && r <= span) angles.Add(r);
            }
        }
    }

    /// <summary>Distance along the unit ray (ox, oy) + t (dx, dy) to segment a–b; +∞ when it misses.</summary>
    private static double RayHit(double ox, double oy, double dx, double dy, double ax, double ay, double bx, double by)
    {
        var ex = bx - ax;
        var ey = by - ay;
        var denominator = dx * ey - dy * ex;
        if (Math.Abs(denominator) < 1e-12) return double.PositiveInfinity;
        var wx = ax - ox;
        var wy = ay - oy;
        var t = (wx * ey - wy * ex) / denominator;
        var s = (wx * dy - wy * dx) / denominator;
        return t > 1e-9 && s >= -1e-12 && s <= 1 + 1e-12 ? t : double.PositiveInfinity;
    }

    private static Geometry OnlyPolygons(Geometry g)
    {
        if (g is Polygon or MultiPolygon) return g;
        var polygons = new List<Polygon>();
        for (var i = 0; i < g.NumGeometries; i++)
            if (g.GetGeometryN(i) is Polygon p && !p.IsEmpty) polygons.Add(p);
        return polygons.Count switch
        {
            0 => Factory.CreatePolygon(),
            1 => polygons[0],
            _ => Factory.CreateMultiPolygon(polygons.ToArray()),
        };
    }

    private static Coordinate At(CameraSpec camera, double compassDeg, double distance) =>
        new(camera.X + distance * Math.Sin(compassDeg * Math.PI / 180), camera.Y + distance * Math.Cos(compassDeg * Math.PI / 180));
}
