using GeoRisk.Rendering;
using GeoRisk.Rendering.Basemaps;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Reports.Factsheets;

/// <summary>
/// The basemap under a factsheet's map: Web Mercator tiles placed in the map's RD New frame.
/// <see cref="FrameToMosaic"/> takes a map pixel to a pixel of <see cref="Mosaic"/>; over the few
/// kilometres of a cut-out the two conformal projections differ by a rotation (about 0.4° in
/// Amsterdam) and a scale, which an affine map from three corners carries to well under a pixel.
/// </summary>
public sealed class FactsheetBasemap(BasemapMosaic mosaic, CairoMatrix frameToMosaic, string attribution) : IDisposable
{
    public BasemapMosaic Mosaic { get; } = mosaic;
    public CairoMatrix FrameToMosaic { get; } = frameToMosaic;
    public string Attribution { get; } = attribution;
    public BasemapStatus Status => Mosaic.Status;

    public void Dispose() => Mosaic.Dispose();
}

/// <summary>Fetches the basemap of a factsheet's map frame (the corners are projected by PostGIS).</summary>
public sealed class FactsheetBasemapLoader(NpgsqlDataSource db, BasemapTileSource source)
{
    /// <summary>Null when no server-side basemap is configured.</summary>
    public async Task<FactsheetBasemap?> LoadAsync(FactsheetData data, int width, int height, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!source.Enabled) return null;
        var frame = FactsheetMap.Frame(data.AreaGeometry, width, height);
        (double X, double Y)[] pixels = [(0, 0), (width, 0), (0, height), (width, height)];
        var rd = pixels.Select(p => frame.ToWorld(p.X, p.Y)).ToArray();
        var m = new (double X, double Y)[4];
        await using (var cmd = db.CreateCommand("""
            SELECT ST_X(q), ST_Y(q)
            FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(x, y, i)
            CROSS JOIN LATERAL (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(u.x, u.y), 28992), 3857) AS q) t
            ORDER BY u.i
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = rd.Select(p => p.X).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
            cmd.Parameters.Add(new NpgsqlParameter { Value = rd.Select(p => p.Y).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            for (var i = 0; i < 4 && await r.ReadAsync(ct); i++) m[i] = (r.GetDouble(0), r.GetDouble(1));
        }
        double minX = m.Min(p => p.X), maxX = m.Max(p => p.X), minY = m.Min(p => p.Y), maxY = m.Max(p => p.Y);
        var mpp = Math.Sqrt(Math.Pow(m[1].X - m[0].X, 2) + Math.Pow(m[1].Y - m[0].Y, 2)) / width;
        var mw = (int)Math.Clamp(Math.Ceiling((maxX - minX) / mpp), 1, 4096);
        var mh = (int)Math.Clamp(Math.Ceiling((maxY - minY) / mpp), 1, 4096);
        var mosaic = await source.RenderAsync(minX, minY, maxX, maxY, mw, mh, ct);
        var used = Math.Max((maxX - minX) / mw, (maxY - minY) / mh); // as RenderAsync places the tiles
        (double X, double Y) U((double X, double Y) p) => ((p.X - minX) / used, (maxY - p.Y) / used);
        var (u0, u1, u2) = (U(m[0]), U(m[1]), U(m[2]));
        var toMosaic = new CairoMatrix((u1.X - u0.X) / width, (u1.Y - u0.Y) / width, (u2.X - u0.X) / height, (u2.Y - u0.Y) / height, u0.X, u0.Y);
        return new FactsheetBasemap(mosaic, toMosaic, source.Attribution);
    }
}
