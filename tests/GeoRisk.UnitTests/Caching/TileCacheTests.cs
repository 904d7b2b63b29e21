using GeoRisk.Core.Tiles;
using GeoRisk.Tiles.Caching;
using Xunit;

namespace GeoRisk.UnitTests.Caching;

public sealed class TileCacheTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("georisk-tilecache-");
    private static readonly PointDependentLayer Signals = new("signals", 0, 18, 16);

    private TileCache NewCache(long maxBytes = 1 << 20, bool enabled = true) =>
        new(new TileCacheOptions { Directory = _dir.FullName, MaxBytes = maxBytes, Enabled = enabled }, [Signals]);

    private static TileCacheKey Key(TileId tile, string layer = "signals", string variant = "v1") =>
        TileCacheKey.Create(layer, tile, "mvt", variant, "all", "signal=1");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task A_miss_renders_and_stores_and_a_hit_reads_the_same_bytes_and_etag()
    {
        using var cache = NewCache();
        var renders = 0;
        var tile = new TileId(14, 8414, 5384);
        var first = await cache.GetOrRenderAsync(Key(tile), _ => { renders++; return Task.FromResult(new byte[] { 1, 2, 3 }); }, default);
        var second = await cache.GetOrRenderAsync(Key(tile), _ => { renders++; return Task.FromResult(new byte[] { 9 }); }, default);
        Assert.Equal(1, renders);
        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Data, second.Data);
        Assert.Equal(first.ETag, second.ETag);
        Assert.True(File.Exists(Path.Combine(_dir.FullName, "signals", "14", "8414", "5384", $"mvt-{Key(tile).Variant}.tile")));
    }

    [Fact]
    public async Task A_hit_serves_the_gzip_bytes_computed_once_for_the_entry()
    {
        using var cache = NewCache();
        var tile = new TileId(14, 8414, 5385);
        var data = Enumerable.Range(0, 4000).Select(i => (byte)(i % 7)).ToArray();
        var first = await cache.GetOrRenderAsync(Key(tile), _ => Task.FromResult(data), default);
        var gzipped = first.Gzipped;
        var hit = await cache.GetOrRenderAsync(Key(tile), _ => Task.FromResult(data), default);

        Assert.True(hit.FromCache);
        Assert.Same(gzipped, hit.Gzipped); // kept with the entry, not compressed again
        using var inflate = new System.IO.Compression.GZipStream(new MemoryStream(hit.Gzipped), System.IO.Compression.CompressionMode.Decompress);
        using var plain = new MemoryStream();
        inflate.CopyTo(plain);
        Assert.Equal(data, plain.ToArray());
        Assert.True(hit.Gzipped.Length < data.Length / 4);
    }

    [Fact]
    public async Task Variants_of_one_tile_are_cached_apart()
    {
        using var cache = NewCache();
        var tile = new TileId(3, 1, 1);
        await cache.GetOrRenderAsync(Key(tile, variant: "category=a"), _ => Task.FromResult(new byte[] { 1 }), default);
        var other = await cache.GetOrRenderAsync(Key(tile, variant: "category=b"), _ => Task.FromResult(new byte[] { 2 }), default);
        Assert.False(other.FromCache);
        Assert.Equal([2], other.Data);
    }

    [Fact]
    public async Task Empty_tiles_are_cached_too()
    {
        using var cache = NewCache();
        var tile = new TileId(5, 1, 1);
        await cache.GetOrRenderAsync(Key(tile), _ => Task.FromResult(Array.Empty<byte>()), default);
        var hit = await cache.GetOrRenderAsync(Key(tile), _ => throw new InvalidOperationException("must not render"), default);
        Assert.True(hit.FromCache);
        Assert.True(hit.IsEmpty);
    }

    [Fact]
    public async Task Concurrent_misses_of_one_tile_render_once()
    {
        using var cache = NewCache();
        var renders = 0;
        var gate = new TaskCompletionSource();
        async Task<byte[]> Render(CancellationToken ct)
        {
            Interlocked.Increment(ref renders);
            await gate.Task.WaitAsync(ct);
            return [42];
        }
        var callers = Enumerable.Range(0, 20).Select(_ => Task.Run(() => cache.GetOrRenderAsync(Key(new TileId(10, 5, 5)), Render, default))).ToArray();
        await Task.Delay(200);
        gate.SetResult();
        var results = await Task.WhenAll(callers);
        Assert.Equal(1, renders);
        Assert.All(results, r => Assert.Equal([42], r.Data));
    }

    [Fact]
    public async Task A_render_is_cancelled_only_when_every_waiting_caller_gave_up()
    {
        using var cache = NewCache();
        var renderToken = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<byte[]> Render(CancellationToken ct)
        {
            renderToken.SetResult(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct); // stands for a PostgreSQL query
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
            return [];
        }
        using var a = new CancellationTokenSource();
        using var b = new CancellationTokenSource();
        var key = Key(new TileId(12, 1, 1));
        var first = cache.GetOrRenderAsync(key, Render, a.Token);
        var token = await renderToken.Task;
        var second = cache.GetOrRenderAsync(key, Render, b.Token);

        await a.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False(token.IsCancellationRequested, "another caller still waits for this render");

        await b.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        await Task.WhenAny(cancelled.Task, Task.Delay(5000));
        Assert.True(token.IsCancellationRequested, "render token not cancelled");
        Assert.True(cancelled.Task.IsCompleted, "the render saw no cancellation");
    }

    [Fact]
    public async Task Invalidating_a_point_drops_the_tiles_containing_it_at_every_zoom_and_keeps_far_tiles()
    {
        using var cache = NewCache();
        var (x, y) = WebMercator.FromLonLat(4.8936, 52.3731); // Dam, Amsterdam
        var near = TileId.ContainingPoint(x, y, 14);
        var nearParent = TileId.ContainingPoint(x, y, 10);
        var far = TileId.ContainingLonLat(4.47, 51.92, 14);   // Rotterdam
        foreach (var t in new[] { near, nearParent, far })
            await cache.GetOrRenderAsync(Key(t), _ => Task.FromResult(new byte[] { 1 }), default);
        await cache.GetOrRenderAsync(Key(near, layer: "areas"), _ => Task.FromResult(new byte[] { 1 }), default);

        var removed = await cache.InvalidatePointsAsync([(x, y)]);

        Assert.Equal(2, removed);
        var renders = 0;
        Task<byte[]> Render(CancellationToken _) { renders++; return Task.FromResult(new byte[] { 2 }); }
        Assert.False((await cache.GetOrRenderAsync(Key(near), Render, default)).FromCache);
        Assert.False((await cache.GetOrRenderAsync(Key(nearParent), Render, default)).FromCache);
        Assert.True((await cache.GetOrRenderAsync(Key(far), Render, default)).FromCache);
        // Areas do not depend on signal positions.
        Assert.True((await cache.GetOrRenderAsync(Key(near, layer: "areas"), Render, default)).FromCache);
        Assert.Equal(2, renders);
    }

    [Fact]
    public void A_point_near_a_tile_edge_also_touches_the_neighbour_within_the_margin()
    {
        var tile = new TileId(14, 8414, 5384);
        var e = tile.Envelope;
        var mpp = TileId.MetresPerPixel(14);
        var nearRightEdge = (e.MaxX - 3 * mpp, (e.MinY + e.MaxY) / 2);
        var middle = ((e.MinX + e.MaxX) / 2, (e.MinY + e.MaxY) / 2);
        var layer = new PointDependentLayer("signals", 14, 14, 16);
        Assert.Equal([tile, new TileId(14, 8415, 5384)], TileCache.TilesTouching([nearRightEdge], layer).OrderBy(t => t.X));
        Assert.Equal([tile], TileCache.TilesTouching([middle], layer));
    }

    [Fact]
    public async Task Layer_invalidation_drops_only_that_layer()
    {
        using var cache = NewCache();
        var t = new TileId(4, 2, 2);
        await cache.GetOrRenderAsync(Key(t, layer: "cameras"), _ => Task.FromResult(new byte[] { 1 }), default);
        await cache.GetOrRenderAsync(Key(t, layer: "areas"), _ => Task.FromResult(new byte[] { 1 }), default);
        Assert.Equal(1, cache.InvalidateLayer("cameras"));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task The_size_stays_bounded_and_the_least_recently_used_tiles_go_first()
    {
        using var cache = NewCache(maxBytes: 10_000);
        var keep = Key(new TileId(8, 0, 0));
        await cache.GetOrRenderAsync(keep, _ => Task.FromResult(new byte[1000]), default);
        for (var i = 1; i < 30; i++)
        {
            await Task.Delay(2);
            await cache.GetOrRenderAsync(keep, _ => Task.FromResult(new byte[1000]), default); // keep it hot
            await cache.GetOrRenderAsync(Key(new TileId(8, i, 0)), _ => Task.FromResult(new byte[1000]), default);
            Assert.True(cache.SizeBytes <= 10_000, $"{cache.SizeBytes} bytes after {i} tiles");
        }
        var onDisk = Directory.EnumerateFiles(_dir.FullName, "*.tile", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.Equal(cache.SizeBytes, onDisk);
        Assert.True((await cache.GetOrRenderAsync(keep, _ => Task.FromResult(new byte[1]), default)).FromCache);
        Assert.False((await cache.GetOrRenderAsync(Key(new TileId(8, 1, 0)), _ => Task.FromResult(new byte[1]), default)).FromCache);
    }

    [Fact]
    public async Task A_new_cache_over_the_same_directory_serves_and_counts_what_is_there()
    {
        var tile = new TileId(9, 3, 3);
        using (var cache = NewCache())
            await cache.GetOrRenderAsync(Key(tile), _ => Task.FromResult(new byte[] { 7, 7 }), default);
        using var again = NewCache();
        Assert.Equal(2, again.SizeBytes);
        var hit = await again.GetOrRenderAsync(Key(tile), _ => throw new InvalidOperationException("must not render"), default);
        Assert.Equal([7, 7], hit.Data);
    }

    [Fact]
    public async Task A_render_that_started_before_an_invalidation_is_not_stored()
    {
        using var cache = NewCache();
        var tile = new TileId(15, 100, 100);
        var gate = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var slow = cache.GetOrRenderAsync(Key(tile), async ct => { started.SetResult(); await gate.Task; return new byte[] { 1 }; }, default);
        await started.Task;
        cache.InvalidateTiles("signals", [tile]);
        gate.SetResult();
        Assert.Equal([1], (await slow).Data);
        Assert.False((await cache.GetOrRenderAsync(Key(tile), _ => Task.FromResult(new byte[] { 2 }), default)).FromCache);
    }

    [Fact]
    public async Task A_disabled_cache_always_renders_and_writes_nothing()
    {
        using var cache = NewCache(enabled: false);
        var renders = 0;
        for (var i = 0; i < 3; i++)
            await cache.GetOrRenderAsync(Key(new TileId(1, 0, 0)), _ => { renders++; return Task.FromResult(new byte[] { 1 }); }, default);
        Assert.Equal(3, renders);
        Assert.Empty(Directory.EnumerateFiles(_dir.FullName, "*", SearchOption.AllDirectories));
    }
}
