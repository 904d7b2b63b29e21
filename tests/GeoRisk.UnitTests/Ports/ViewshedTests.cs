using GeoRisk.Core.Ports;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoRisk.UnitTests.Ports;

/// <summary>Sector geometry and line-of-sight clipping on hand-drawn cases (WKT in, areas and points out).</summary>
public class ViewshedTests
{
    private static readonly WKTReader Wkt = new(Viewshed.Factory.GeometryServices);
    private static readonly CameraSpec North90 = new(0, 0, 0, 90, 100);

    private static Geometry Read(string wkt) => Wkt.Read(wkt);

    private static bool Sees(Geometry view, double x, double y) => view.Covers(Viewshed.Factory.CreatePoint(new Coordinate(x, y)));

    [Fact]
    public void A_sector_is_the_camera_plus_seventeen_arc_points_centred_on_the_heading()
    {
        var sector = Viewshed.Sector(North90);
        Assert.Equal(19, sector.NumPoints); // camera, 17 arc points, camera again
        Assert.Equal(new Coordinate(0, 0), sector.Coordinates[0]);
        Assert.Equal(-100 * Math.Sin(Math.PI / 4), sector.Coordinates[1].X, 6);
        Assert.Equal(100, sector.Coordinates[9].Y, 6); // the middle arc point lies straight north
        // 16 chords of a quarter circle: slightly less than π r² / 4.
        var exact = Math.PI * 100 * 100 / 4;
        Assert.InRange(sector.Area, exact * 0.995, exact);
        Assert.True(Sees(sector, 0, 99));
        Assert.False(Sees(sector, 0, -1));
        Assert.False(Sees(sector, 80, 20)); // east, outside the ±45° wedge
    }

    [Fact]
    public void A_full_circle_has_128_segments_and_contains_every_direction()
    {
        var circle = Viewshed.Sector(new CameraSpec(1000, 2000, 123, 360, 50));
        Assert.Equal(129, circle.NumPoints);
        foreach (var (dx, dy) in new[] { (49.0, 0.0), (0.0, -49.0), (-30.0, 30.0) }) Assert.True(Sees(circle, 1000 + dx, 2000 + dy));
        Assert.False(Sees(circle, 1051, 2000));
    }

    [Fact]
    public void A_wall_along_the_heading_close_to_the_camera_halves_the_sector()
    {
        // A wall 1 m thick starting 1 m in front of the camera, covering the right (east) half.
        var wall = Read("POLYGON((0 1, 200 1, 200 2, 0 2, 0 1))");
        var sector = Viewshed.Sector(North90);
        var view = Viewshed.Clip(North90, [wall]);
        // What remains: the left half of the sector and the 1 m² triangle in front of the wall... (0,0)-(0,1)-(1,1) = 0.5 m².
        Assert.Equal(sector.Area / 2 + 0.5, view.Area, 1);
        Assert.True(Sees(view, -30, 60));
        Assert.False(Sees(view, 30, 60));
        Assert.False(Sees(view, 5, 1.5)); // inside the wall itself
    }

    [Fact]
    public void A_wall_further_away_hides_only_what_lies_behind_it()
    {
        var wall = Read("POLYGON((0 50, 200 50, 200 51, 0 51, 0 50))");
        var sector = Viewshed.Sector(North90);
        var view = Viewshed.Clip(North90, [wall]);
        // Right half in front of the wall: the triangle (0,0)-(0,50)-(50,50) of 1250 m².
        Assert.Equal(sector.Area / 2 + 1250, view.Area, 0);
        Assert.True(Sees(view, 20, 40));   // in front of the wall
        Assert.False(Sees(view, 20, 60));  // behind it
        Assert.True(Sees(view, -20, 60));  // beside it
    }

    [Fact]
    public void A_box_casts_a_wedge_shaped_shadow()
    {
        // A 10 × 10 building straight ahead at 40–50 m: the shadow widens with distance.
        var box = Read("POLYGON((-5 40, 5 40, 5 50, -5 50, -5 40))");
        var view = Viewshed.Clip(North90, [box]);
        Assert.True(Sees(view, 0, 39));
        Assert.False(Sees(view, 0, 60));
        Assert.False(Sees(view, 9, 90));   // within the shadow: |x| < 90 × 5/40 = 11.25
        Assert.True(Sees(view, 13, 90));   // just outside it
        // Shadow area: the wedge from 40 m to the arc between the rays through (±5, 40), minus nothing in front.
        var half = Math.Atan(5.0 / 40);
        var wedge = half * 100 * 100 - 40 * 5; // sector of the wedge beyond the near face: r²θ - triangle up to the face (approx.)
        Assert.InRange(Viewshed.Sector(North90).Area - view.Area, wedge * 0.9, wedge * 1.1);
    }

    [Fact]
    public void An_obstacle_outside_the_sector_or_holding_the_camera_changes_nothing()
    {
        var sector = Viewshed.Sector(North90);
        var behind = Read("POLYGON((-10 -30, 10 -30, 10 -20, -10 -20, -10 -30))");
        Assert.Equal(sector.Area, Viewshed.Clip(North90, [behind]).Area, 6);
        // The camera hangs on the facade of this building: the building does not blind it.
        var own = Read("POLYGON((-20 -10, 20 -10, 20 0.5, -20 0.5, -20 -10))");
        Assert.Equal(sector.Area, Viewshed.Clip(North90, [own]).Area, 6);
    }

    [Fact]
    public void A_full_circle_camera_is_clipped_on_the_side_of_the_obstacle_only()
    {
        var camera = new CameraSpec(0, 0, 0, 360, 100);
        var wall = Read("POLYGON((20 -100, 21 -100, 21 100, 20 100, 20 -100))");
        var view = Viewshed.Clip(camera, [wall]);
        Assert.True(Sees(view, -90, 0));
        Assert.True(Sees(view, 19, 0));
        Assert.False(Sees(view, 30, 0));
        Assert.False(Sees(view, 50, 40));
    }

    [Theory]
    [InlineData(0, 350, 10)]
    [InlineData(90, 60, 30)]
    public void Sector_contains_agrees_with_the_polygon_away_from_the_arc(double heading, double pointBearing, double _)
    {
        var camera = new CameraSpec(0, 0, heading, 90, 100);
        var inside = Math.Abs(Viewshed.AngleDifference(pointBearing, heading)) <= 45;
        var x = 50 * Math.Sin(pointBearing * Math.PI / 180);
        var y = 50 * Math.Cos(pointBearing * Math.PI / 180);
        Assert.Equal(inside, Viewshed.SectorContains(camera, x, y));
        Assert.Equal(inside, Sees(Viewshed.Sector(camera), x, y));
    }

    [Theory]
    [InlineData(90, 150, 40)]
    [InlineData(30, 250, 60)]
    [InlineData(200, 120, 30)]
    [InlineData(360, 150, 40)]
    public void The_ray_by_ray_clip_is_the_region_of_the_polygon_overlay_on_random_scenes(double fov, double range, int buildings)
    {
        // Random boxes and rotated quadrilaterals round random cameras, as the benchmark's port:
        // the fast clip and the overlay reference must give the same region (their symmetric
        // difference is nothing but rounding), a single valid polygon.
        var random = new Random(2026 + (int)fov);
        var checkedScenes = 0;
        for (var scene = 0; scene < 60; scene++)
        {
            var camera = new CameraSpec(random.NextDouble() * 100, random.NextDouble() * 100, Math.Floor(random.NextDouble() * 360), fov, range);
            var obstacles = new List<Geometry>();
            for (var b = 0; b < buildings; b++)
            {
                var (x, y) = (camera.X + (random.NextDouble() - 0.5) * 2.4 * range, camera.Y + (random.NextDouble() - 0.5) * 2.4 * range);
                var (w, h, turn) = (3 + random.NextDouble() * 25, 3 + random.NextDouble() * 25, random.NextDouble() * Math.PI);
                var corners = new[] { (0.0, 0.0), (w, 0.0), (w, h), (0.0, h), (0.0, 0.0) }
                    .Select(c => new Coordinate(x + c.Item1 * Math.Cos(turn) - c.Item2 * Math.Sin(turn), y + c.Item1 * Math.Sin(turn) + c.Item2 * Math.Cos(turn))).ToArray();
                obstacles.Add(Viewshed.Factory.CreatePolygon(corners));
            }
            var fast = Viewshed.Clip(camera, obstacles);
            var reference = Viewshed.ClipByOverlay(camera, obstacles);
            Assert.True(fast.IsValid, $"scene {scene}: {fast}");
            Assert.IsType<Polygon>(fast);
            Assert.Equal(reference.Area, fast.Area, 6);
            Assert.True(fast.SymmetricDifference(reference).Area < 1e-6, $"scene {scene}: regions differ by {fast.SymmetricDifference(reference).Area} m²");
            if (fast.Area < Viewshed.Sector(camera).Area - 1) checkedScenes++;
        }
        Assert.True(checkedScenes >= 30, $"only {checkedScenes} scenes had something hidden");
    }
}

