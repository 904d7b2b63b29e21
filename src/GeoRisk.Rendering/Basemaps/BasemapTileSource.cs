using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace GeoRisk.Rendering.Basemaps;

/// <summary>What became of the basemap of one cut-out.</summary>
public enum BasemapStatus
{
    /// <summary>No server-side basemap is configured.</summary>
    None,

    /// <summary>Every tile was there: the mosaic is complete.</summary>
    Drawn,

    /// <summary>The tile server was slow, failing or sent something unusable: no basemap this time.</summary>
    Unavailable,
}

/// <summary>
/// A basemap image for a Web Mercator rectangle, composed from the configured tile server's
/// tiles. <see cref="Image"/> is null unless <see cref="Status"/> is <see cref="BasemapStatus.Drawn"/>.
/// <see cref="Reason"/> says why not, in words fit for a log (no URL, no data).
/// </summary>
public sealed class BasemapMosaic(CairoImageSurface? image, BasemapStatus status, string? reason, int fetched) : IDisposable
{
    public CairoImageSurface? Image { get; } = image;
    public BasemapStatus Status { get; } = status;
    public string? Reason { get; } = reason;

    /// <summary>Tiles that came from the tile server (not from a cache) for this mosaic.</summary>
    public int TilesFetched { get; } = fetched;

    public static BasemapMosaic None { get; } = new(null, BasemapStatus.None, null, 0);

    public void Dispose() => Image?.Dispose();
}

/// <summary>
/// Fetches basemap tiles from the one configured tile server and composes them into an image.
/// Only the template from configuration is ever requested, with integers for z/x/y; redirects
/// are not followed (they could lead to another host); each cut-out has a time budget, each tile
/// a size limit and must decode as PNG. Tiles are cached in memory and, when configured, on disk.
/// Any failure gives <see cref="BasemapStatus.Unavailable"/>, never an exception: a cut-out
/// without basemap is better than no cut-out.
/// </summary>
public sealed class BasemapTileSource : IDisposable
{
    private const double HalfWorld = 20037508.342789244;
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly HttpClient _http;
    private readonly string? _diskCache;
    private readonly TileMemoryCache _memory;
    private readonly SemaphoreSlim _connections = new(6);
    private long _skipServerUntil;

    public BasemapTileSource(BasemapOptions options, string contentRoot, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        if (options.Problem() is { } problem) throw new InvalidOperationException(problem);
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // the per-cut-out budget cancels instead
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("GeoRisk", "1.0"));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("image/png"));
        if (options.ServerSide && options.CacheDirectory.Length > 0)
        {
            // One directory per template: another basemap never serves this one's tiles.
            var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.Url)))[..16];
            _diskCache = Path.Combine(Path.GetFullPath(options.CacheDirectory, contentRoot), id);
        }
        _memory = new TileMemoryCache(Math.Max(0, options.MemoryCacheTiles));
    }

    public BasemapOptions Options { get; }

    /// <summary>The basemap is drawn in cut-outs.</summary>
    public bool Enabled => Options.ServerSide;

    public string Attribution => Options.Attribution;

    /// <summary>
    /// The basemap of the rectangle (EPSG:3857 metres) as a <paramref name="width"/> × <paramref name="height"/>
    /// image, north up, pixel (0, 0) at (minX, maxY). Throws only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<BasemapMosaic> RenderAsync(double minX, double minY, double maxX, double maxY, int width, int height, CancellationToken cancellationToken)
    {
        if (!Enabled) return BasemapMosaic.None;
        if (!(maxX > minX && maxY > minY) || width < 1 || height < 1) return new BasemapMosaic(null, BasemapStatus.Unavailable, "empty extent", 0);

        var metresPerPixel = Math.Max((maxX - minX) / width, (maxY - minY) / height);
        var zoom = (int)Math.Clamp(Math.Ceiling(Math.Log2(2 * HalfWorld / (metresPerPixel * Options.TileSize)) - 0.25), 0, Options.MaxZoom);
        List<(int X, int Y)> tiles;
        while (true)
        {
            tiles = Tiles(minX, minY, maxX, maxY, zoom);
            if (tiles.Count <= Options.MaxTiles || zoom == 0) break;
            zoom--;
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Options.TimeoutMs);
        var fetched = 0;
        byte[][] pngs;
        try
        {
            pngs = await Task.WhenAll(tiles.Select(async t =>
            {
                var (png, fromServer) = await TileAsync(zoom, t.X, t.Y, budget.Token);
                if (fromServer) Interlocked.Increment(ref fetched);
                return png;
            }));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Fail();
            return new BasemapMosaic(null, BasemapStatus.Unavailable, $"tile server slower than {Options.TimeoutMs} ms", fetched);
        }
        catch (BasemapException e)
        {
            if (e.FromServer) Fail();
            return new BasemapMosaic(null, BasemapStatus.Unavailable, e.Message, fetched);
        }
        catch (HttpRequestException e)
        {
            Fail();
            return new BasemapMosaic(null, BasemapStatus.Unavailable, $"tile server unreachable ({e.HttpRequestError})", fetched);
        }
        finally
        {
            // Nothing may keep fetching for a cut-out that has been decided.
            await budget.CancelAsync();
        }

        var image = CairoImageSurface.Create(width, height);
        try
        {
            using var cr = new CairoContext(image);
            var span = 2 * HalfWorld / (1 << zoom);
            for (var i = 0; i < tiles.Count; i++)
            {
                using var tile = Decode(pngs[i]);
                var px = (-HalfWorld + tiles[i].X * span - minX) / metresPerPixel;
                var py = (maxY - (HalfWorld - tiles[i].Y * span)) / metresPerPixel;
                // Whole-pixel edges: neighbouring tiles then meet without a half-covered seam.
                double x0 = Math.Round(px), y0 = Math.Round(py);
                double x1 = Math.Round(px + span / metresPerPixel), y1 = Math.Round(py + span / metresPerPixel);
                cr.DrawImage(tile, x0, y0, x1 - x0, y1 - y0);
            }
            cr.ThrowOnError("composing basemap tiles");
            image.Flush();
            return new BasemapMosaic(image, BasemapStatus.Drawn, null, fetched);
        }
        catch (CairoException)
        {
            image.Dispose();
            return new BasemapMosaic(null, BasemapStatus.Unavailable, "a tile could not be decoded", fetched);
        }
    }

    /// <summary>The tiles of the rectangle at a zoom, clamped to the world.</summary>
    private static List<(int X, int Y)> Tiles(double minX, double minY, double maxX, double maxY, int zoom)
    {
        var n = 1 << zoom;
        var span = 2 * HalfWorld / n;
        int Clamp(double v) => (int)Math.Clamp(Math.Floor(v), 0, n - 1);
        int x0 = Clamp((minX + HalfWorld) / span), x1 = Clamp((maxX + HalfWorld) / span - 1e-9);
        int y0 = Clamp((HalfWorld - maxY) / span), y1 = Clamp((HalfWorld - minY) / span - 1e-9);
        var list = new List<(int, int)>((x1 - x0 + 1) * (y1 - y0 + 1));
        for (var y = y0; y <= y1; y++)
            for (var x = x0; x <= x1; x++)
                list.Add((x, y));
        return list;
    }

    private async Task<(byte[] Png, bool FromServer)> TileAsync(int z, int x, int y, CancellationToken ct)
    {
        var key = $"{z}/{x}/{y}";
        if (_memory.TryGet(key, out var cached)) return (cached, false);
        var file = _diskCache is null ? null : Path.Combine(_diskCache, z.ToString(System.Globalization.CultureInfo.InvariantCulture),
            x.ToString(System.Globalization.CultureInfo.InvariantCulture), y.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".png");
        if (file is not null && File.Exists(file) && File.GetLastWriteTimeUtc(file) > DateTime.UtcNow.AddHours(-Options.CacheHours))
        {
            try
            {
                var bytes = await File.ReadAllBytesAsync(file, ct);
                if (IsPng(bytes))
                {
                    _memory.Set(key, bytes);
                    return (bytes, false);
                }
            }
            catch (IOException)
            {
                // A tile being replaced by another request: fetch it again.
            }
        }
        if (Environment.TickCount64 < Interlocked.Read(ref _skipServerUntil))
            throw new BasemapException("tile server failed recently; not asked again yet", fromServer: false);

        var png = await FetchAsync(BasemapOptions.TileUri(Options.Url, z, x, y), ct);
        _memory.Set(key, png);
        if (file is not null)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                var temp = $"{file}.{Guid.NewGuid():N}.tmp";
                await File.WriteAllBytesAsync(temp, png, ct);
                File.Move(temp, file, overwrite: true);
            }
            catch (IOException)
            {
                // The disk cache is an optimisation: a full disk must not lose the basemap.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return (png, true);
    }

    private async Task<byte[]> FetchAsync(string uri, CancellationToken ct)
    {
        await _connections.WaitAsync(ct);
        try
        {
            try
            {
                return await FetchOnceAsync(uri, ct);
            }
            catch (HttpRequestException) when (!ct.IsCancellationRequested)
            {
                // No answer at all (a connection dropped by a busy server or a restarting proxy) says
                // little about the tile server's health: one more try within the budget, instead of a
                // map without basemap and the server skipped for a while. Answers that are wrong
                // (status, size, not a PNG) are BasemapExceptions and are not asked again.
                return await FetchOnceAsync(uri, ct);
            }
        }
        finally
        {
            _connections.Release();
        }
    }

    private async Task<byte[]> FetchOnceAsync(string uri, CancellationToken ct)
    {
        using var response = await _http.GetAsync(new Uri(uri, UriKind.Absolute), HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            throw new BasemapException($"tile server answered {(int)response.StatusCode}");
        if (response.Content.Headers.ContentLength > Options.MaxTileBytes)
            throw new BasemapException($"tile larger than {Options.MaxTileBytes} bytes");
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > Options.MaxTileBytes)
                throw new BasemapException($"tile larger than {Options.MaxTileBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        var png = buffer.ToArray();
        if (!IsPng(png)) throw new BasemapException("tile is not a PNG");
        // Decoding now keeps a broken tile out of the caches.
        try
        {
            using var _ = Decode(png);
        }
        catch (CairoException)
        {
            throw new BasemapException("tile is not a readable PNG");
        }
        return png;
    }

    private void Fail() =>
        Interlocked.Exchange(ref _skipServerUntil, Environment.TickCount64 + Options.RetryAfterFailureSeconds * 1000L);

    private static bool IsPng(byte[] bytes) => bytes.AsSpan().StartsWith(PngSignature);

    private static CairoImageSurface Decode(byte[] png)
    {
        using var stream = new MemoryStream(png, writable: false);
        return CairoImageSurface.FromPng(stream);
    }

    public void Dispose()
    {
        _http.Dispose();
        _connections.Dispose();
    }

    private sealed class BasemapException(string message, bool fromServer = true) : Exception(message)
    {
        public bool FromServer { get; } = fromServer;
    }

    /// <summary>Least-recently-used PNG bytes by tile key.</summary>
    private sealed class TileMemoryCache(int capacity)
    {
        private readonly Dictionary<string, LinkedListNode<(string Key, byte[] Png)>> _index = new(StringComparer.Ordinal);
        private readonly LinkedList<(string Key, byte[] Png)> _order = new();
        private readonly Lock _lock = new();

        public bool TryGet(string key, out byte[] png)
        {
            lock (_lock)
            {
                if (_index.TryGetValue(key, out var node))
                {
                    _order.Remove(node);
                    _order.AddFirst(node);
                    png = node.Value.Png;
                    return true;
                }
            }
            png = [];
            return false;
        }

        public void Set(string key, byte[] png)
        {
            if (capacity == 0) return;
            lock (_lock)
            {
                if (_index.TryGetValue(key, out var old)) _order.Remove(old);
                _index[key] = _order.AddFirst((key, png));
                while (_index.Count > capacity)
                {
                    var last = _order.Last!;
                    _order.RemoveLast();
                    _index.Remove(last.Value.Key);
                }
            }
        }
    }
}
