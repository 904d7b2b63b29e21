using System.ComponentModel.DataAnnotations;
using GeoRisk.Reports;
using Microsoft.Extensions.Options;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// The web map: static files from wwwroot (index.html, app.js, MapLibre in lib/) and
/// its configuration. Without a basemap URL the map draws a plain background with GeoRisk's own
/// area outlines, so it works offline; production sets PDOK's BRT-Achtergrondkaart (docs/webmap.md).
/// </summary>
public static class WebMapEndpoints
{
    public static IHostApplicationBuilder AddGeoRiskWebMap(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebMapOptions>().Bind(builder.Configuration.GetSection(WebMapOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Basemap.Url is not { Length: > 0 } url
                           || (Uri.TryCreate(url.Replace("{z}", "0", StringComparison.Ordinal).Replace("{x}", "0", StringComparison.Ordinal).Replace("{y}", "0", StringComparison.Ordinal), UriKind.Absolute, out var u)
                               && u.Scheme is "https" or "http"),
                "WebMap:Basemap:Url must be an absolute http(s) URL (a tile template with {z}/{x}/{y} or a style URL)")
            .ValidateOnStart();
        builder.AddGeoRiskReports();
        return builder;
    }

    /// <summary>The config endpoint. The static files themselves are served by
    /// <c>UseGeoRiskAuth</c>, before authentication: they hold no data.</summary>
    public static WebApplication MapWebMap(this WebApplication app)
    {
        app.MapGet("/api/webmap/config", GetConfig).WithTags("Web map").WithSummary("Basemap and other settings of the web map");
        return app;
    }

    public sealed record WebMapConfig(BasemapOptions Basemap);

    internal static Ok<WebMapConfig> GetConfig(IOptions<WebMapOptions> options) =>
        TypedResults.Ok(new WebMapConfig(options.Value.Basemap));
}

public sealed class WebMapOptions
{
    public const string Section = "WebMap";
    public BasemapOptions Basemap { get; set; } = new();
}

/// <summary>Basemap under the risk layers. Empty <see cref="Url"/>: none (offline).</summary>
public sealed class BasemapOptions
{
    /// <summary>Raster tile template ({z}/{x}/{y}) or, with Type = style, a MapLibre style URL.</summary>
    public string Url { get; set; } = "";

    /// <summary><c>raster</c> or <c>style</c>.</summary>
    [RegularExpression("^(raster|style)$")]
    public string Type { get; set; } = "raster";

    public string Attribution { get; set; } = "";

    [Range(64, 1024)]
    public int TileSize { get; set; } = 256;

    [Range(1, 24)]
    public int MaxZoom { get; set; } = 19;
}
