using System.Collections.Concurrent;
using GeoRisk.Core.Tiles;
using GeoRisk.Tiles.Styles;
using Npgsql;

namespace GeoRisk.Tiles.Layers;

/// <summary>
/// The hexagon grid (hex_cell, hex_count) at the cell size of the zoom
/// (tiles/styles/hexbins.json), with counts, rate and Gi* class; raster: cells by Gi* class.
/// </summary>
public sealed class HexbinsLayer(NpgsqlDataSource db, TileStyles styles, TimeProvider? time = null)
{
    /// <summary>Gi* reference statistics are shared by all tiles of a filter and refreshed this often.</summary>
    private static readonly TimeSpan StatsLifetime = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (double Mean, double Sd, long Cells, DateTimeOffset Until)> _stats = new(StringComparer.Ordinal);

    public static TileLayerDefinition Create(NpgsqlDataSource db, TileStyles styles, TimeProvider? time = null) =>
        new HexbinsLayer(db, styles, time).Definition();

    private TileLayerDefinition Definition() =>
        new("hexbins", "Hexagon grid of signal counts (100-2500 m cells, following the zoom) with rate and Getis-Ord Gi* class", 8, 18,
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
        ])
        {
            // hex_count changes invalidate per tile: the raster buffer (4 px) around each changed cell's box.
            Changes = new TileChangeSource("hex", 5),
            WebMap = new WebMapLayer("Hexagonen (hotspots)", "Hexagons (hot spots)", []) { VisibleByDefault = true },
            FilterExtras = FilterExtrasAsync,
            // Hexagons never overlap: one path per class colour.
            Raster = TileRaster.Features(new RasterStyle(
            [
                new RasterRule
                {
                    Fill = v => styles.Hexbins.ColourForClass((int)(v ?? 0)),
                    Outline = styles.Hexbins.OutlineColour, OutlineWidth = styles.Hexbins.OutlineWidth, Partition = true,
                },
            ])),
        };

    /// <summary>The cell size of the zoom and the Gi* reference statistics of the filter.</summary>
    private async ValueTask<IReadOnlyDictionary<string, object?>> FilterExtrasAsync(TileId tile, TileFilter filter, CancellationToken ct)
    {
        var size = styles.Hexbins.CellSizeAt(tile.Z);
        var (mean, sd, cells) = await StatsAsync(size, filter, ct);
        return new Dictionary<string, object?> { ["size_m"] = size, ["mean"] = mean, ["sd"] = sd, ["n_cells"] = cells };
    }

    /// <summary>hex_count is per month: a date filter selects the months it touches.</summary>
    private static (DateOnly? From, DateOnly? To) Months(TileFilter filter) =>
        (filter.From is { } f ? new DateOnly(f.Year, f.Month, 1) : null,
         filter.To is { } t ? new DateOnly(t.Year, t.Month, 1) : null);

    private async Task<(double Mean, double Sd, long Cells)> StatsAsync(int size, TileFilter filter, CancellationToken ct)
    {
        var key = $"{size}|{filter.Normalised}";
        var now = _time.GetUtcNow();
        if (_stats.TryGetValue(key, out var s) && s.Until > now) return (s.Mean, s.Sd, s.Cells);
        var (from, to) = Months(filter);
        await using var command = db.CreateCommand("SELECT mean, sd, n_cells FROM hexbin_stats($1, $2, $3, $4)");
        command.Parameters.AddRange((NpgsqlParameter[])[TileSql.Int(size), TileSql.TextArray(filter.SqlCategories), TileSql.Date(from), TileSql.Date(to)]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var stats = (reader.IsDBNull(0) ? 0 : reader.GetDouble(0), reader.IsDBNull(1) ? 0 : reader.GetDouble(1), reader.GetInt64(2));
        _stats[key] = (stats.Item1, stats.Item2, stats.Item3, now + StatsLifetime);
        return stats;
    }
}
