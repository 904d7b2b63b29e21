using NetTopologySuite.Geometries;

namespace GeoRisk.Data.Demo;

internal static class DemoGeometry
{
    /// <summary>A uniformly random point inside a polygon (rejection sampling in its envelope).</summary>
    public static Coordinate RandomPointIn(Random random, Geometry polygon)
    {
        var envelope = polygon.EnvelopeInternal;
        while (true)
        {
            var c = new Coordinate(envelope.MinX + random.NextDouble() * envelope.Width, envelope.MinY + random.NextDouble() * envelope.Height);
            if (polygon.Contains(polygon.Factory.CreatePoint(c))) return c;
        }
    }
}
