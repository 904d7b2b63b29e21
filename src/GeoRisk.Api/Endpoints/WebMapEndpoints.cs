using GeoRisk.Reports;
using GeoRisk.Reports.Factsheets;
using GeoRisk.Rendering.Basemaps;
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
        builder.Services.AddOptions<BasemapOptions>().Bind(builder.Configuration.GetSection(BasemapOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BasemapOptions>, BasemapValidation>();
        // One source for the whole process: its caches and its back-off are shared by all cut-outs.
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BasemapOptions>>().Value;
            if (options.Problem() is { } problem) throw new InvalidOperationException(problem);
            return new BasemapTileSource(options, sp.GetRequiredService<IHostEnvironment>().ContentRootPath);
        });
        builder.Services.AddSingleton<FactsheetBasemapLoader>();
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

    /// <summary>What the page needs of the basemap (not the server's fetch and cache settings).</summary>
    public sealed record WebMapBasemap(string Url, string Type, string Attribution, int TileSize, int MaxZoom);

    public sealed record WebMapConfig(WebMapBasemap Basemap);

    internal static Ok<WebMapConfig> GetConfig(IOptions<BasemapOptions> options)
    {
        var b = options.Value;
        return TypedResults.Ok(new WebMapConfig(new WebMapBasemap(b.Url, b.Type, b.Attribution, b.TileSize, b.MaxZoom)));
    }

    /// <summary>Start-up fails with the setting that is wrong (e.g. a tile host missing from the allow-list).</summary>
    private sealed class BasemapValidation : IValidateOptions<BasemapOptions>
    {
        public ValidateOptionsResult Validate(string? name, BasemapOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
