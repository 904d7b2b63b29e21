using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace GeoRisk.Api.Infrastructure;

/// <summary>
/// What every response and every request passes at the edge, before authentication: security
/// headers, a check that the path and query carry no control characters or broken Unicode, and
/// size limits on the request line and headers answered with problem details.
/// <para>
/// Kestrel answers requests it cannot parse (raw control bytes in the request line or a header,
/// a request line or header block above its own limits) itself, with an empty body, before any
/// middleware runs. Its limits are therefore set above ours, so that an over-long URL (414) or
/// header block (431) reaches this middleware and gets a problem-details body. What Kestrel
/// still refuses itself (a request line or header it cannot parse, an unsupported HTTP version)
/// gets its problem details from <see cref="KestrelRejections"/>, a connection middleware.
/// </para>
/// </summary>
public static class EdgeProtection
{
    /// <summary>Longest path + query we serve; tile URLs with many category filters stay far below.</summary>
    public const int MaxUrlLength = 8 * 1024;

    /// <summary>Largest header block (names + values) we serve.</summary>
    public const int MaxHeadersBytes = 32 * 1024;

    /// <summary>
    /// The web map: scripts, styles and fonts from this origin only; MapLibre runs its workers from
    /// blob: URLs and draws images from data:/blob:; no framing (clickjacking), no plugins.
    /// The configured basemap's origin is added to img-src and connect-src; other origins (e.g. the
    /// tiles and glyphs of a vector basemap style) with <c>GeoRisk:Security:ExtraConnectSources</c>.
    /// </summary>
    public static string ContentSecurityPolicy(string extraConnect) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:"
        + (extraConnect.Length > 0 ? " " + extraConnect : "")
        + "; font-src 'self' data:; worker-src 'self' blob:; child-src 'self' blob:; connect-src 'self'"
        + (extraConnect.Length > 0 ? " " + extraConnect : "")
        + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IHostApplicationBuilder AddGeoRiskEdgeProtection(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Above our own limits, so that the middleware (not Kestrel) answers with a body.
            kestrel.Limits.MaxRequestLineSize = MaxUrlLength * 2;
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxHeadersBytes * 2;
            // What Kestrel still refuses itself gets problem details on the way out.
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(KestrelRejections.Middleware));
        });
        return builder;
    }

    public static WebApplication UseGeoRiskEdgeProtection(this WebApplication app)
    {
        var extra = app.Configuration["GeoRisk:Security:ExtraConnectSources"]?.Trim() ?? "";
        if (extra.Any(c => char.IsControl(c) || c is ';' or ',' or '\''))
            throw new InvalidOperationException("GeoRisk:Security:ExtraConnectSources must be space-separated origins (https://host)");
        // The configured basemap's origin: the page fetches its tiles (connect-src) and draws them (img-src).
        if (app.Services.GetService<Microsoft.Extensions.Options.IOptions<GeoRisk.Rendering.Basemaps.BasemapOptions>>()?.Value.Origin() is { } basemap
            && !extra.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(basemap, StringComparer.OrdinalIgnoreCase))
            extra = (extra + " " + basemap).Trim();
        var csp = ContentSecurityPolicy(extra);
        app.Use(async (http, next) =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = csp;
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "geolocation=(), camera=(), microphone=()";

            var request = http.Request;
            var urlLength = request.PathBase.Value?.Length + request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
            if (urlLength > MaxUrlLength)
            {
                await Problems.WriteAsync(http, StatusCodes.Status414UriTooLong, "URL too long",
                    $"The path and query may be at most {MaxUrlLength} characters.");
                return;
            }
            if (HeaderBytes(request.Headers) > MaxHeadersBytes)
            {
                await Problems.WriteAsync(http, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Headers too large",
                    $"The request headers may be at most {MaxHeadersBytes / 1024} KB in all.");
                return;
            }
            if (!IsClean(request.Path.Value) || request.Query.Any(q => !IsClean(q.Key) || q.Value.Any(v => !IsClean(v))))
            {
                await Problems.WriteAsync(http, StatusCodes.Status400BadRequest, "Invalid characters",
                    "The path or a query parameter contains a control character or broken Unicode; nothing was done.");
                return;
            }
            await next(http);
        });
        return app;
    }

    /// <summary>No control characters (C0, DEL, C1) and no unpaired surrogates (what '%ED%A0%80' decodes to).</summary>
    public static bool IsClean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) || c == '\uFFFD') return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }

    private static long HeaderBytes(IHeaderDictionary headers)
    {
        long total = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var v in values) total += name.Length + 2 + Encoding.UTF8.GetByteCount(v ?? "");
        }
        return total;
    }
}
