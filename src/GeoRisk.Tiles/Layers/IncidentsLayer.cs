using GeoRisk.Data.Ports;
using GeoRisk.Rendering;
using GeoRisk.Tiles.Styles;
using NetTopologySuite.Geometries;
using Npgsql;

namespace GeoRisk.Tiles.Layers;

/// <summary>Features of the overlay datasets whose layer is 'incidents'.</summary>
public static class IncidentsLayer
{
    public static TileLayerDefinition Create(NpgsqlDataSource db, TileStyles styles) =>
        new("incidents", "Incidents uploaded by programmes (port, flower auction): points and polygons", 8, 18,
        [
            new("incidents", "Incident features", new Dictionary<string, string>
            {
                ["dataset"] = "String: dataset code",
                ["programme"] = "String: programme that uploaded it",
                ["kind"] = "String: kind of incident",
                ["month"] = "String: YYYY-MM observed (Europe/Amsterdam)",
            }),
        ])
        {
            DataVersions = ["overlay", "casustafel"],
            // Incidents belong to a programme: a viewer never sees another programme's.
            ScopeArgument = PortStore.VisibleProgrammes,
            InCutout = true,
            WebMap = new WebMapLayer("Incidenten", "Incidents", []),
            Raster = async (tile, filter, scope, ratio, cancellationToken) =>
            {
                var rows = await TileSql.GeometriesAsync(db, "incidents.raster.sql",
                    [.. TileSql.Tile(tile), TileSql.Instant(filter.FromInstant), TileSql.Instant(filter.ToExclusiveInstant),
                     TileSql.TextArray(PortStore.VisibleProgrammes(scope)), TileSql.Int(256)],
                    cancellationToken);
                if (rows.Count == 0) return [];
                using var canvas = new RasterCanvas(256 * ratio, 256 * ratio, ratio);
                Draw(canvas, rows.Select(r => r.Geometry), styles.Incidents);
                return canvas.ToPng();
            },
        };

    internal static void Draw(RasterCanvas canvas, IEnumerable<Geometry> features, IncidentsStyle style)
    {
        foreach (var g in features)
        {
            if (g is Point or MultiPoint) canvas.DrawPoints(g, style.PointRadius, style.PointColour, style.PointOutline);
            else canvas.DrawPolygons(g, style.PolygonFill, style.PolygonOutline, style.OutlineWidth);
        }
    }
}
