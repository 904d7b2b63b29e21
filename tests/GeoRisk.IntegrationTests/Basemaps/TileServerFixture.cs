using System.Collections.Concurrent;
using GeoRisk.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace GeoRisk.IntegrationTests.Basemaps;

/// <summary>How the fixture tile server misbehaves.</summary>
public enum TileServerMode { Normal, Slow, Oversized, Failing, NotPng, DropsFirstConnection }

/// <summary>
/// A real HTTP tile server on a loopback port (Kestrel) serving known tiles: 256 px squares in
/// one of two colours by the parity of x + y, so that which tile lies under a map pixel can be
/// checked. Counts requests; can be made slow, oversized, failing or nonsensical, or drop the
/// connection of each tile's first request without an answer.
/// </summary>
public sealed class TileServerFixture : IAsyncDisposable
{
    public static readonly (byte R, byte G, byte B) Even = (0x2e, 0x8b, 0x57);
    public static readonly (byte R, byte G, byte B) Odd = (0x46, 0x3c, 0xb4);

    private readonly WebApplication _app;
    private readonly byte[] _even = Png(Even);
    private readonly byte[] _odd = Png(Odd);

    private int _withCredentials;
    private readonly ConcurrentDictionary<(int, int, int), bool> _dropped = new();

    public ConcurrentQueue<(int Z, int X, int Y)> Requests { get; } = new();

    /// <summary>Requests that carried an Authorization header or a cookie (a GeoRisk key must never reach the basemap host).</summary>
    public int RequestsWithCredentials => Volatile.Read(ref _withCredentials);
    public TileServerMode Mode { get; set; } = TileServerMode.Normal;
    public Uri BaseAddress { get; }

    /// <summary>The tile template to configure (host 127.0.0.1).</summary>
    public string Template => new Uri(BaseAddress, "/tiles/{z}/{x}/{y}.png").ToString().Replace("%7B", "{", StringComparison.Ordinal).Replace("%7D", "}", StringComparison.Ordinal);

    private TileServerFixture(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
    }

    public static async Task<TileServerFixture> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        TileServerFixture? fixture = null;
        app.MapGet("/tiles/{z:int}/{x:int}/{y:int}.png", async (HttpContext http, int z, int x, int y) =>
        {
            var f = fixture!;
            f.Requests.Enqueue((z, x, y));
            // As PDOK does: MapLibre fetches tiles cross-origin and needs CORS to read them.
            http.Response.Headers.AccessControlAllowOrigin = "*";
            if (http.Request.Headers.Authorization.Count > 0 || http.Request.Headers.Cookie.Count > 0) Interlocked.Increment(ref f._withCredentials);
            switch (f.Mode)
            {
                case TileServerMode.Slow:
                    try { await Task.Delay(TimeSpan.FromSeconds(30), http.RequestAborted); } catch (OperationCanceledException) { }
                    return Results.Bytes(f.Tile(x, y), "image/png");
                case TileServerMode.Oversized:
                    var big = new byte[3 * 1024 * 1024];
                    f.Tile(x, y).CopyTo(big, 0);
                    return Results.Bytes(big, "image/png");
                case TileServerMode.Failing:
                    return Results.StatusCode(500);
                case TileServerMode.DropsFirstConnection when f._dropped.TryAdd((z, x, y), true):
                    http.Abort();
                    return Results.Empty;
                case TileServerMode.NotPng:
                    return Results.Text("<html>maintenance</html>", "image/png");
                default:
                    return Results.Bytes(f.Tile(x, y), "image/png");
            }
        });
        await app.StartAsync();
        fixture = new TileServerFixture(app, new Uri(app.Urls.Single()));
        return fixture;
    }

    public byte[] Tile(int x, int y) => (x + y) % 2 == 0 ? _even : _odd;

    public static (byte R, byte G, byte B) ColourOf(int x, int y) => (x + y) % 2 == 0 ? Even : Odd;

    private static byte[] Png((byte R, byte G, byte B) c)
    {
        using var image = CairoImageSurface.Create(256, 256);
        using (var cr = new CairoContext(image))
        {
            cr.SetSource(new Rgba(c.R, c.G, c.B));
            cr.Paint();
        }
        return image.ToPng();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
