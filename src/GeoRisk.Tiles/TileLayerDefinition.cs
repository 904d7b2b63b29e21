using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;

namespace GeoRisk.Tiles;

/// <summary>
/// Rows of <c>tile_change</c> with this source make the tiles they touch stale one by one,
/// widened by a margin in 256 px tile pixels (the MVT buffer or a raster's reach beyond its tile).
/// </summary>
public sealed record TileChangeSource(string Source, double MarginPx);

/// <summary>How the web map lists and draws a layer: labels and MapLibre style layers (type, paint, filter, source-layer).</summary>
public sealed record WebMapLayer(string LabelNl, string LabelEn, IReadOnlyList<JsonObject> Style)
{
    public bool VisibleByDefault { get; init; }
}

/// <summary>Values a layer adds to the filter its SQL function receives (e.g. the hexagon size for the zoom).</summary>
public delegate ValueTask<IReadOnlyDictionary<string, object?>> TileFilterExtras(TileId tile, TileFilter filter, CancellationToken cancellationToken);

/// <summary>
/// A tile layer as data: everything the catalogue, TileJSON, the cache, the cut-out and the web
/// map need to know. Its vector tiles come from the SQL function
/// <c>tile_&lt;id&gt;(z, x, y, filter jsonb, scope text[], k int) RETURNS bytea</c> in
/// <c>sql/functions/</c>; one generic class (<see cref="DefinedTileLayer"/>) serves every
/// definition. Adding a layer: a definition (registered with <c>AddTileLayer</c>), its SQL
/// function, and a style (<see cref="WebMap"/>); for PNG tiles and the map cut-out a
/// <see cref="Raster"/> part with its SQL function <c>tile_&lt;id&gt;_raster</c>.
/// </summary>
public sealed partial record TileLayerDefinition
{
    public TileLayerDefinition(string id, string description, int minZoom, int maxZoom, IReadOnlyList<VectorLayerInfo> vectorLayers)
    {
        // The id names a SQL function: it comes from code, and this keeps it an identifier.
        if (!IdPattern().IsMatch(id)) throw new ArgumentException($"tile layer id '{id}' must match {IdPattern()}", nameof(id));
        if (minZoom < 0 || maxZoom > TileId.MaxSupportedZoom || minZoom > maxZoom)
            throw new ArgumentOutOfRangeException(nameof(minZoom), $"zoom range {minZoom}-{maxZoom} of layer '{id}'");
        ArgumentNullException.ThrowIfNull(vectorLayers);
        Id = id;
        Description = description;
        MinZoom = minZoom;
        MaxZoom = maxZoom;
        VectorLayers = vectorLayers;
    }

    /// <summary>URL name, and the SQL function's suffix.</summary>
    public string Id { get; }

    public string Description { get; }

    public int MinZoom { get; }

    public int MaxZoom { get; }

    /// <summary>The layers inside the MVT and their attributes (TileJSON <c>vector_layers</c>).</summary>
    public IReadOnlyList<VectorLayerInfo> VectorLayers { get; }

    /// <summary>
    /// Names in <c>data_version</c> (bumped by triggers in sql/functions/) whose change re-keys
    /// every tile of the layer. <c>casustafel</c> by default: scopes are built from casustafel areas.
    /// </summary>
    public IReadOnlyList<string> DataVersions { get; init; } = ["casustafel"];

    /// <summary>Invalidation per tile instead of per data version (signals, hexagons); null for none.</summary>
    public TileChangeSource? Changes { get; init; }

    /// <summary>
    /// What the SQL function and the raster renderer receive as <c>scope</c>: the caller's
    /// casustafel ids by default (NULL: unrestricted); cameras and incidents pass the programmes
    /// the caller sees instead.
    /// </summary>
    public Func<CallerScope, string[]?> ScopeArgument { get; init; } = scope => scope.SqlScope;

    /// <summary>The filter this layer answers for a caller (e.g. widened to whole months for suppressed callers); null: as asked.</summary>
    public Func<TileFilter, CallerScope, TileFilter>? AdjustFilter { get; init; }

    /// <summary>Adds layer-specific values to the filter passed to the SQL function.</summary>
    public TileFilterExtras? FilterExtras { get; init; }

    /// <summary>PNG tiles (256 and 512 px) from <c>tile_&lt;id&gt;_raster</c>; null: the layer has vector tiles only.</summary>
    public TileRaster? Raster { get; init; }

    /// <summary>The layer can be drawn in an area's map cut-out (<c>/api/areas/{code}/map.png</c>), with its <see cref="Raster"/>.</summary>
    public bool InCutout { get; init; }

    /// <summary>How the web map shows the layer; null: not on the web map.</summary>
    public WebMapLayer? WebMap { get; init; }

    /// <summary>The SQL function that returns the layer's vector tile.</summary>
    public string MvtFunction => "tile_" + Id;

    public IEnumerable<TileFormat> Formats => Raster is null ? [TileFormat.Mvt] : Enum.GetValues<TileFormat>();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex IdPattern();
}
