using System.Collections.Concurrent;
using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;
using GeoRisk.Tiles.Rendering;
using GeoRisk.Tiles.Styles;
using Npgsql;

namespace GeoRisk.Tiles.Layers;

/// <summary>
/// The hexagon grid (hex_cell, hex_count) at the cell size of the zoom
/// (tiles/styles/hexbins.json), with counts, rate and Gi* class; raster: cells by Gi* class.
/// </summary>
public sealed class HexbinsLayer(NpgsqlDataSource db, TileStyles styles, TileFormat format, TimeProvider? time = null) : ITileLayer
{
    /// <summary>Gi* reference statistics are shared by all tiles of a filter and refreshed this often.</summary>
    private static readonly TimeSpan StatsLifetime = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (double Mean, double Sd, long Cells, DateTimeOffset Until)> _stats = new(StringComparer.Ordinal);

    public string Id => "hexbins";
    public string Description => "Hexagon grid of signal counts (100-2500 m cells, following the zoom) with rate and Getis-Ord Gi* class";
    public TileFormat Format => format;
    public int MinZoom => 8;
    public int MaxZoom => 18;
    // hex_count changes invalidate per tile (tile_change).
    public IReadOnlyList<string> DataVersions { get; } = ["casustafel"];

    public IReadOnlyList<VectorLayerInfo> VectorLayers { get; } =
    [
        new("hexbins", "Hexagon cells with signals", new Dictionary<string, string>
        {
            ["q"] = "Number: axial cell coordinate",
            ["r"] = "Number: axial cell coordinate",
            ["size_m"] = "Number: cell size (circumradius) in metres: 2500, 1000, 500, 250 or 100",
            ["n"] = "Number: signals in the cell under the filter",
            ["weight"] = "Number: sum of reliability",
            ["rate_km2"] = "Number: signals per km²",
            ["gi_z"] = "Number: Getis-Ord Gi* z-score (cell and its 6 neighbours)",
            ["gi_class"] = "Number: -3..3, hot (positive) or cold spot at 99/95/90% confidence, 0 not significant",
        }),
    ];

    public async Task<byte[]> GetTileAsync(TileId tile, TileFilter filter, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(scope);
        var size = styles.Hexbins.CellSizeAt(tile.Z);
        var (fromMonth, toMonth) = Months(filter);
        var (mean, sd, cells) = await StatsAsync(size, filter, fromMonth, toMonth, cancellationToken);
        var (sqlScope, k) = TileSql.Scope(scope);
        NpgsqlParameter[] parameters = [.. TileSql.Tile(tile), TileSql.Int(size), TileSql.TextArray(filter.SqlCategories),
            TileSql.Date(fromMonth), TileSql.Date(toMonth), sqlScope, k, TileSql.Double(mean), TileSql.Double(sd), TileSql.Long(cells)];
        if (format == TileFormat.Mvt)
            return await TileSql.BytesAsync(db, "hexbins.mvt.sql", parameters, cancellationToken);

        var rows = await TileSql.GeometriesAsync(db, "hexbins.raster.sql", parameters, cancellationToken);
        if (rows.Count == 0) return [];
        var ratio = format == TileFormat.Png2x ? 2 : 1;
        using var canvas = new RasterCanvas(256 * ratio, 256 * ratio, ratio);
        // Hexagons never overlap: one path per class colour.
        canvas.DrawPolygonsByColour(rows.Select(r => (r.Geometry, styles.Hexbins.ColourForClass(r.Row.Int(0)))),
            styles.Hexbins.OutlineColour, styles.Hexbins.OutlineWidth);
        return canvas.ToPng();
    }

    /// <summary>hex_count is per month: a date filter selects the months it touches.</summary>
    private static (DateOnly? From, DateOnly? To) Months(TileFilter filter) =>
        (filter.From is { } f ? new DateOnly(f.Year, f.Month, 1) : null,
         filter.To is { } t ? new DateOnly(t.Year, t.Month, 1) : null);

    private async Task<(double Mean, double Sd, long Cells)> StatsAsync(int size, TileFilter filter, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var key = $"{size}|{filter.Normalised}";
        var now = _time.GetUtcNow();
        if (_stats.TryGetValue(key, out var s) && s.Until > now) return (s.Mean, s.Sd, s.Cells);
        await using var command = db.CreateCommand("SELECT mean, sd, n_cells FROM hexbin_stats($1, $2, $3, $4)");
        command.Parameters.AddRange((NpgsqlParameter[])[TileSql.Int(size), TileSql.TextArray(filter.SqlCategories), TileSql.Date(from), TileSql.Date(to)]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var stats = (reader.IsDBNull(0) ? 0 : reader.GetDouble(0), reader.IsDBNull(1) ? 0 : reader.GetDouble(1), reader.GetInt64(2));
        _stats[key] = (stats.Item1, stats.Item2, stats.Item3, now + StatsLifetime);
        return stats;
    }
}
