using System.Globalization;
using System.Text.Json.Nodes;
using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;
using GeoRisk.Tiles.Rendering;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Tiles;

/// <summary>
/// The one tile layer class: a <see cref="TileLayerDefinition"/> in one format. Vector tiles
/// call the definition's SQL function with the tile, the filter as jsonb, the caller's scope
/// and suppression k; raster tiles are drawn from its raster function by <see cref="RasterRenderer"/>.
/// </summary>
public sealed class DefinedTileLayer(TileLayerDefinition definition, TileFormat format, GeoRisk.Data.ReadRouting reads) : ITileLayer
{
    private readonly string _sql = $"SELECT {definition.MvtFunction}($1, $2, $3, $4, $5, $6)";

    public TileLayerDefinition Definition => definition;
    public string Id => definition.Id;
    public string Description => definition.Description;
    public TileFormat Format => format;
    public int MinZoom => definition.MinZoom;
    public int MaxZoom => definition.MaxZoom;
    public IReadOnlyList<VectorLayerInfo> VectorLayers => definition.VectorLayers;
    public IReadOnlyList<string> DataVersions => definition.DataVersions;

    public async Task<byte[]> GetTileAsync(TileId tile, TileFilter filter, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(scope);
        if (definition.AdjustFilter is { } adjust) filter = adjust(filter, scope);
        if (format != TileFormat.Mvt)
        {
            return definition.Raster is null ? []
                : await RasterRenderer.TileAsync(reads.ForReads, definition, tile, filter, scope, format == TileFormat.Png2x ? 2 : 1, cancellationToken);
        }
        var extras = definition.FilterExtras is { } add ? await add(tile, filter, cancellationToken) : null;
        await using var command = reads.ForReads.CreateCommand(_sql);
        command.Parameters.Add(new NpgsqlParameter { Value = tile.Z, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = tile.X, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = tile.Y, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = FilterJson(filter, extras), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)definition.ScopeArgument(scope) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = scope.Suppressed ? scope.SuppressionK : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        return await command.ExecuteScalarAsync(cancellationToken) is byte[] bytes ? bytes : [];
    }

    /// <summary>The filter as the SQL functions read it (see sql/functions/0800_tile_layers.sql).</summary>
    public static string FilterJson(TileFilter filter, IReadOnlyDictionary<string, object?>? extras = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var json = new JsonObject
        {
            ["categories"] = filter.SqlCategories is { } c ? new JsonArray([.. c.Select(v => JsonValue.Create(v))]) : null,
            ["from"] = filter.FromInstant?.ToString("O", CultureInfo.InvariantCulture),
            ["to"] = filter.ToExclusiveInstant?.ToString("O", CultureInfo.InvariantCulture),
            ["from_date"] = filter.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to_date"] = filter.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["profile"] = filter.Profile,
            ["area"] = filter.Area,
        };
        foreach (var (key, value) in extras ?? new Dictionary<string, object?>())
            json[key] = value switch
            {
                null => null,
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                double d => JsonValue.Create(d),
                bool b => JsonValue.Create(b),
                string s => JsonValue.Create(s),
                _ => throw new ArgumentException($"filter value '{key}' has an unsupported type {value.GetType().Name}", nameof(extras)),
            };
        return json.ToJsonString();
    }
}
