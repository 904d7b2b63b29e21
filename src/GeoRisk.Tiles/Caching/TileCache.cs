using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.IO.Compression;
using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;

namespace GeoRisk.Tiles.Caching;

/// <summary>What identifies one cached tile. <see cref="Variant"/> is everything else the bytes depend on.</summary>
public readonly record struct TileCacheKey(string Layer, TileId Tile, string Format, string Variant)
{
    /// <summary>
    /// Builds the variant from the normalised filter, the caller's reach (<c>CallerScope.CacheKey</c>)
    /// and the versions of the data the layer reads, hashed so any text fits in a file name.
    /// </summary>
    public static TileCacheKey Create(string layer, TileId tile, string format, string normalisedFilter, string scopeKey, string dataVersions)
    {
        var text = $"{normalisedFilter}\n{scopeKey}\n{dataVersions}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
        return new TileCacheKey(layer, tile, format, hash);
    }
}

/// <summary>
/// A tile's bytes (empty: no features, served as 204), its entity tag, and what answering it
/// needs besides: the gzip encoding and the MVT feature count for the audit log. Both are
/// computed once, by the first request that needs them, and kept with the bytes in the cache
/// entry, so a cache hit is a copy, not work.
/// </summary>
public sealed class CachedTile
{
    private readonly TilePayload _payload;

    public CachedTile(byte[] data, string etag, bool fromCache) : this(new TilePayload(data), etag, fromCache) { }

    internal CachedTile(TilePayload payload, string etag, bool fromCache)
    {
        _payload = payload;
        ETag = etag;
        FromCache = fromCache;
    }

    public byte[] Data => _payload.Data;
    public string ETag { get; }
    public bool FromCache { get; }
    public bool IsEmpty => Data.Length == 0;

    /// <summary>The bytes gzip-compressed (computed on first use, then kept).</summary>
    public byte[] Gzipped => _payload.Gzipped;

    /// <summary>Features over all layers of an MVT (computed on first use, then kept).</summary>
    public long MvtFeatures => _payload.MvtFeatures;

    public static string ETagOf(ReadOnlySpan<byte> data) =>
        $"\"{Convert.ToHexStringLower(SHA256.HashData(data).AsSpan(0, 10))}\"";
}

/// <summary>The bytes of one tile and what is derived from them, each computed at most once per entry.</summary>
internal sealed class TilePayload(byte[] data)
{
    private byte[]? _gzipped;
    private long _features = -1;

    public byte[] Data { get; } = data;

    // Races compute the same value twice at worst; the result is identical.
    public byte[] Gzipped => _gzipped ??= Compress(Data);

    public long MvtFeatures
    {
        get
        {
            if (_features < 0) _features = Data.Length == 0 ? 0 : MvtFeatureCount.Count(Data);
            return _features;
        }
    }

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream(data.Length / 2 + 64);
        // Paid once per cached tile, so the better ratio of Optimal is worth its time.
        using (var gz = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(data);
        return output.ToArray();
    }
}

/// <summary>
/// Disk tile cache: <c>{root}/{layer}/{z}/{x}/{y}/{format}-{variant}.tile</c>. Concurrent misses
/// of one key render once (single flight); the total size stays under a bound by evicting the
/// least recently used files; tiles are invalidated per tile (a signal changed inside) or per
/// layer. Empty tiles are cached as empty files, because most tiles of a map are empty.
/// </summary>
public sealed class TileCache : IDisposable
{
    private readonly TileCacheOptions _options;
    private readonly string _root;
    private readonly IReadOnlyList<PointDependentLayer> _pointLayers;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Flight> _inFlight = new(StringComparer.Ordinal);
    // Invalidation sequence per tile directory: a render that started before an invalidation of
    // its tile must not store its (possibly stale) result afterwards.
    private readonly ConcurrentDictionary<string, long> _invalidatedAt = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _evicting = new(1, 1);
    private long _sequence;
    private long _bytes;
    private long _memoryBytes;

    public TileCache(TileCacheOptions options, IEnumerable<PointDependentLayer>? pointLayers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _root = Path.GetFullPath(options.Directory);
        _pointLayers = pointLayers?.ToArray() ?? [];
        if (options.Enabled)
        {
            Directory.CreateDirectory(_root);
            LoadIndex();
        }
    }

    public bool Enabled => _options.Enabled;
    public string Root => _root;
    public long SizeBytes => Interlocked.Read(ref _bytes);
    public int Count => _entries.Count;

    /// <summary>
    /// The cached tile, or renders it once for all concurrent callers and stores it. A caller that
    /// gives up (its <paramref name="ct"/> fires) stops waiting; the render itself is cancelled —
    /// and with it the PostgreSQL query — only when every waiting caller has given up.
    /// </summary>
    public async Task<CachedTile> GetOrRenderAsync(TileCacheKey key, Func<CancellationToken, Task<byte[]>> render, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(render);
        if (!_options.Enabled)
        {
            var fresh = await render(ct);
            return new CachedTile(fresh, CachedTile.ETagOf(fresh), fromCache: false);
        }

        var relative = RelativePath(key);
        if (await TryReadAsync(relative, ct) is { } hit) return hit;

        while (true)
        {
            var flight = _inFlight.GetOrAdd(relative, static _ => new Flight());
            if (!flight.TryJoin())
            {
                // That flight was abandoned by all its callers a moment ago: start a new one.
                _inFlight.TryRemove(new KeyValuePair<string, Flight>(relative, flight));
                continue;
            }
            if (flight.Start())
            {
                _ = RunFlightAsync(flight, key, relative, render);
            }
            try
            {
                var result = await flight.Result.Task.WaitAsync(ct);
                return result;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                flight.Leave();
                throw;
            }
        }
    }

    private async Task RunFlightAsync(Flight flight, TileCacheKey key, string relative, Func<CancellationToken, Task<byte[]>> render)
    {
        var startedAt = Interlocked.Increment(ref _sequence);
        try
        {
            // A concurrent flight may have stored it between our miss and now.
            if (await TryReadAsync(relative, CancellationToken.None) is { } hit)
            {
                flight.Result.TrySetResult(hit);
                return;
            }
            var data = await render(flight.Cancellation.Token);
            var payload = new TilePayload(data);
            var tile = new CachedTile(payload, CachedTile.ETagOf(data), fromCache: false);
            if (!IsInvalidatedSince(key, startedAt))
            {
                await StoreAsync(relative, payload, tile.ETag);
                // An invalidation that ran while we were writing did not see our file yet.
                if (IsInvalidatedSince(key, startedAt)) Remove(relative);
            }
            flight.Result.TrySetResult(tile);
        }
        catch (OperationCanceledException e)
        {
            flight.Result.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            flight.Result.TrySetException(e);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Flight>(relative, flight));
            flight.Dispose();
        }
    }

    private bool IsInvalidatedSince(TileCacheKey key, long sequence) =>
        (_invalidatedAt.TryGetValue(TileDirectory(key.Layer, key.Tile), out var tileMark) && tileMark > sequence)
        || (_layerInvalidatedAt.TryGetValue(key.Layer, out var layerMark) && layerMark > sequence);

    private async Task<CachedTile?> TryReadAsync(string relative, CancellationToken ct)
    {
        if (!_entries.TryGetValue(relative, out var entry)) return null;
        if (entry.Memory is { } inMemory && entry.ETag is { } knownTag)
        {
            entry.Touch();
            return new CachedTile(inMemory, knownTag, fromCache: true);
        }
        byte[] data;
        try
        {
            data = await File.ReadAllBytesAsync(Path.Combine(_root, relative), ct);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Deleted underneath us (invalidation, eviction, someone cleaning the directory).
            if (_entries.TryRemove(relative, out var gone)) Interlocked.Add(ref _bytes, -gone.Size);
            return null;
        }
        entry.Touch();
        entry.ETag ??= CachedTile.ETagOf(data);
        var payload = new TilePayload(data);
        KeepInMemory(entry, payload);
        return new CachedTile(payload, entry.ETag, fromCache: true);
    }

    private async Task StoreAsync(string relative, TilePayload payload, string etag)
    {
        var data = payload.Data;
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write then rename: a reader never sees half a tile.
        var temp = $"{path}.{Environment.CurrentManagedThreadId}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temp, data);
        File.Move(temp, path, overwrite: true);
        var entry = new Entry(data.Length) { ETag = etag };
        KeepInMemory(entry, payload);
        _entries.AddOrUpdate(relative,
            _ => { Interlocked.Add(ref _bytes, entry.Size); return entry; },
            (_, old) => { Interlocked.Add(ref _bytes, entry.Size - old.Size); ReleaseMemory(old); return entry; });
        if (SizeBytes > _options.MaxBytes) await EvictAsync();
    }

    /// <summary>Deletes least recently used tiles until the cache is at 90% of its bound.</summary>
    private async Task EvictAsync()
    {
        if (!await _evicting.WaitAsync(0)) return; // another caller is already evicting
        try
        {
            var target = _options.MaxBytes * 9 / 10;
            foreach (var (relative, _) in _entries.ToArray().OrderBy(e => e.Value.LastAccess))
            {
                if (SizeBytes <= target) break;
                Remove(relative);
            }
        }
        finally
        {
            _evicting.Release();
        }
    }

    /// <summary>
    /// Keeps the bytes with the entry while the memory budget allows (first come, first kept).
    /// Twice the tile's size is reserved: its gzip copy is kept with it once computed.
    /// </summary>
    private void KeepInMemory(Entry entry, TilePayload payload)
    {
        var reserve = 2L * payload.Data.Length;
        if (entry.Memory is not null || reserve > _options.MemoryBytes / 16) return;
        if (Interlocked.Add(ref _memoryBytes, reserve) > _options.MemoryBytes)
        {
            Interlocked.Add(ref _memoryBytes, -reserve);
            return;
        }
        entry.Memory = payload;
    }

    private void ReleaseMemory(Entry entry)
    {
        if (entry.Memory is { } payload && Interlocked.CompareExchange(ref entry.Memory, null, payload) == payload)
            Interlocked.Add(ref _memoryBytes, -2L * payload.Data.Length);
    }

    private void Remove(string relative)
    {
        if (_entries.TryRemove(relative, out var entry))
        {
            Interlocked.Add(ref _bytes, -entry.Size);
            ReleaseMemory(entry);
        }
        try { File.Delete(Path.Combine(_root, relative)); }
        catch (IOException) { /* gone already or being replaced: the index no longer points at it */ }
    }

    /// <summary>Drops every cached variant of the given tiles of one layer. Returns the files removed.</summary>
    public int InvalidateTiles(string layer, IEnumerable<TileId> tiles)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        if (!_options.Enabled) return 0;
        var removed = 0;
        foreach (var tile in tiles)
        {
            var dir = TileDirectory(layer, tile);
            _invalidatedAt[dir] = Interlocked.Increment(ref _sequence);
            var full = Path.Combine(_root, dir);
            if (!Directory.Exists(full)) continue;
            foreach (var file in Directory.EnumerateFiles(full))
            {
                Remove(Path.GetRelativePath(_root, file));
                removed++;
            }
        }
        PruneInvalidationMarks();
        return removed;
    }

    /// <summary>
    /// Signals changed at these EPSG:3857 positions: drops, for every point-dependent layer and
    /// zoom, exactly the tiles whose extent (widened by the layer's margin) contains one of them.
    /// </summary>
    public Task<int> InvalidatePointsAsync(IReadOnlyCollection<(double X, double Y)> points3857, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(points3857);
        return Task.FromResult(InvalidateBoxes("signal", points3857.Select(p => new Envelope3857(p.X, p.Y, p.X, p.Y)).ToList(), ct));
    }

    /// <summary>Data of <paramref name="source"/> changed inside these boxes (EPSG:3857): drops the touching tiles.</summary>
    public int InvalidateBoxes(string source, IReadOnlyCollection<Envelope3857> boxes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        var removed = 0;
        foreach (var layer in _pointLayers.Where(l => l.Source == source))
        {
            ct.ThrowIfCancellationRequested();
            removed += InvalidateTiles(layer.Layer, TilesTouching(boxes, layer));
        }
        return removed;
    }

    /// <summary>A change of <paramref name="source"/> at unknown places: drops every tile of its layers.</summary>
    public int InvalidateSource(string source) =>
        _pointLayers.Where(l => l.Source == source).Sum(l => InvalidateLayer(l.Layer));

    /// <summary>The tiles of <paramref name="layer"/>'s zoom range whose widened extent contains a point.</summary>
    public static IEnumerable<TileId> TilesTouching(IEnumerable<(double X, double Y)> points3857, PointDependentLayer layer) =>
        TilesTouching(points3857.Select(p => new Envelope3857(p.X, p.Y, p.X, p.Y)).ToList(), layer);

    /// <summary>The tiles of <paramref name="layer"/>'s zoom range whose widened extent touches a box.</summary>
    public static IEnumerable<TileId> TilesTouching(IReadOnlyCollection<Envelope3857> boxes, PointDependentLayer layer)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(layer);
        var tiles = new HashSet<TileId>();
        for (var z = layer.MinZoom; z <= layer.MaxZoom; z++)
        {
            var margin = layer.MarginPx * TileId.MetresPerPixel(z);
            foreach (var box in boxes)
            {
                var lo = TileId.ContainingPoint(box.MinX - margin, box.MaxY + margin, z);
                var hi = TileId.ContainingPoint(box.MaxX + margin, box.MinY - margin, z);
                for (var tx = lo.X; tx <= hi.X; tx++)
                    for (var ty = lo.Y; ty <= hi.Y; ty++)
                        tiles.Add(new TileId(z, tx, ty));
            }
        }
        return tiles;
    }

    /// <summary>Drops every tile of a layer (a change without positions, e.g. a bulk import).</summary>
    public int InvalidateLayer(string layer)
    {
        if (!_options.Enabled) return 0;
        var prefix = layer + Path.DirectorySeparatorChar;
        var removed = 0;
        foreach (var relative in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            Remove(relative);
            removed++;
        }
        // Renders of the layer that are still running started before this: they must not store.
        _layerInvalidatedAt[layer] = Interlocked.Increment(ref _sequence);
        return removed;
    }

    private readonly ConcurrentDictionary<string, long> _layerInvalidatedAt = new(StringComparer.Ordinal);


    private void PruneInvalidationMarks()
    {
        // Marks only matter while a render that started earlier is still running.
        if (_invalidatedAt.Count < 100_000 || !_inFlight.IsEmpty) return;
        _invalidatedAt.Clear();
    }

    private static string TileDirectory(string layer, TileId tile) =>
        Path.Combine(layer, tile.Z.ToString(System.Globalization.CultureInfo.InvariantCulture),
            tile.X.ToString(System.Globalization.CultureInfo.InvariantCulture), tile.Y.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string RelativePath(TileCacheKey key)
    {
        if (!IsSafeName(key.Layer) || !IsSafeName(key.Format) || !IsSafeName(key.Variant))
            throw new ArgumentException("cache key parts must be [a-z0-9@_-]", nameof(key));
        return Path.Combine(TileDirectory(key.Layer, key.Tile), $"{key.Format}-{key.Variant}.tile");
    }

    private static bool IsSafeName(string s) =>
        s.Length is > 0 and <= 64 && s.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '@' or '_' or '-');

    /// <summary>Picks up what an earlier run left on disk, so the bound also counts it.</summary>
    private void LoadIndex()
    {
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".tmp", StringComparison.Ordinal))
            {
                try { File.Delete(file); } catch (IOException) { }
                continue;
            }
            if (!file.EndsWith(".tile", StringComparison.Ordinal)) continue;
            var info = new FileInfo(file);
            var entry = new Entry(info.Length);
            entry.LastAccess = info.LastWriteTimeUtc.Ticks;
            if (_entries.TryAdd(Path.GetRelativePath(_root, file), entry)) _bytes += info.Length;
        }
    }

    public void Dispose() => _evicting.Dispose();

    private sealed class Entry(long size)
    {
        public long Size { get; } = size;
        public long LastAccess { get; set; } = DateTime.UtcNow.Ticks;
        public string? ETag { get; set; }
        public TilePayload? Memory;
        public void Touch() => LastAccess = DateTime.UtcNow.Ticks;
    }

    /// <summary>One render shared by the callers that missed the same key at the same time.</summary>
    private sealed class Flight : IDisposable
    {
        private int _waiters;
        private int _started;
        private bool _closed;
        private readonly Lock _lock = new();

        public TaskCompletionSource<CachedTile> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenSource Cancellation { get; } = new();

        public bool TryJoin()
        {
            lock (_lock)
            {
                if (_closed) return false;
                _waiters++;
                return true;
            }
        }

        public bool Start() => Interlocked.Exchange(ref _started, 1) == 0;

        public void Leave()
        {
            lock (_lock)
            {
                if (--_waiters > 0 || Result.Task.IsCompleted) return;
                _closed = true;
            }
            try { Cancellation.Cancel(); } catch (ObjectDisposedException) { }
        }

        public void Dispose()
        {
            lock (_lock) _closed = true;
            Cancellation.Dispose();
        }
    }
}
