using System.Collections.Frozen;
using System.Globalization;
using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;
using GeoRisk.Tiles.Caching;
using Npgsql;

namespace GeoRisk.Tiles;

/// <summary>
/// The current <c>data_version</c> rows, refreshed by <see cref="TileChangeWatcher"/>: part of the
/// cache key (and so of the ETag) of every layer that names them.
/// </summary>
public sealed class DataVersions
{
    private volatile FrozenDictionary<string, long> _versions = FrozenDictionary<string, long>.Empty;

    public void Update(IReadOnlyDictionary<string, long> versions) => _versions = versions.ToFrozenDictionary(StringComparer.Ordinal);

    public long this[string name] => _versions.TryGetValue(name, out var v) ? v : 0;

    public string KeyFor(IEnumerable<string> names) =>
        string.Join(',', names.Select(n => $"{n}={this[n].ToString(CultureInfo.InvariantCulture)}"));
}

/// <summary>The layers (from their definitions) by id and format, and tiles through the cache.</summary>
public sealed class TileService
{
    private readonly FrozenDictionary<(string, TileFormat), ITileLayer> _layers;
    private readonly TileCache cache;
    private readonly DataVersions versions;

    public TileService(IEnumerable<TileLayerDefinition> definitions, GeoRisk.Data.ReadRouting reads, TileCache cache, DataVersions versions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var registered = definitions.ToList();
        // The cut-out draws its layers in the order they were added: areas below the points.
        CutoutLayers = [.. registered.Where(d => d.InCutout).Select(d => d.Id)];
        Definitions = [.. registered.OrderBy(d => d.Id, StringComparer.Ordinal)];
        var duplicate = Definitions.GroupBy(d => d.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"two tile layers are named '{duplicate.Key}'");
        if (Definitions.FirstOrDefault(d => d.InCutout && d.Raster is null) is { } bad)
            throw new InvalidOperationException($"tile layer '{bad.Id}' is in the cut-out but has no raster to draw it with");
        _layers = Definitions.SelectMany(d => d.Formats.Select(f => (ITileLayer)new DefinedTileLayer(d, f, reads)))
            .ToFrozenDictionary(l => (l.Id, l.Format));
        LayerIds = [.. Definitions.Select(d => d.Id)];
        this.cache = cache;
        this.versions = versions;
    }

    /// <summary>Every layer, ordered by id.</summary>
    public IReadOnlyList<TileLayerDefinition> Definitions { get; }

    public IReadOnlyList<string> LayerIds { get; }

    /// <summary>The layer in this format, or null (unknown id, or a vector-only layer asked for PNG).</summary>
    public ITileLayer? Find(string id, TileFormat format) => _layers.GetValueOrDefault((id, format));

    /// <summary>The layers an area's map cut-out can draw.</summary>
    public IReadOnlyList<string> CutoutLayers { get; }

    public TileCache Cache => cache;

    public Task<CachedTile> GetAsync(ITileLayer layer, TileId tile, TileFilter filter, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(scope);
        var key = TileCacheKey.Create(layer.Id, tile, layer.Format.CacheName(), filter.Normalised, scope.CacheKey, versions.KeyFor(layer.DataVersions));
        return cache.GetOrRenderAsync(key, ct => layer.GetTileAsync(tile, filter, scope, ct), cancellationToken);
    }
}

/// <summary>Known categories and scoring profiles for validating filters, re-read every 30 s.</summary>
public sealed class TileReferenceData(NpgsqlDataSource db, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private (IReadOnlyCollection<string> Categories, IReadOnlyCollection<string> Profiles, DateTimeOffset Until)? _current;

    public async Task<(IReadOnlyCollection<string> Categories, IReadOnlyCollection<string> Profiles)> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } c && c.Until > _time.GetUtcNow()) return (c.Categories, c.Profiles);
        await using var command = db.CreateCommand(
            "SELECT array(SELECT code FROM category ORDER BY code), array(SELECT DISTINCT name FROM scoring_profile ORDER BY name)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var categories = reader.GetFieldValue<string[]>(0).ToFrozenSet(StringComparer.Ordinal);
        var profiles = reader.GetFieldValue<string[]>(1).ToFrozenSet(StringComparer.Ordinal);
        _current = (categories, profiles, _time.GetUtcNow().AddSeconds(30));
        return (categories, profiles);
    }
}
