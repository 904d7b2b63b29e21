using GeoRisk.Tiles.Caching;
using GeoRisk.Tiles.Layers;
using GeoRisk.Tiles.Styles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace GeoRisk.Tiles;

public static class TilesExtensions
{
    /// <summary>
    /// Registers the tile layers (from their definitions), the styles (read now, so a bad style
    /// file stops start-up), the disk cache and the watcher that invalidates it.
    /// Configuration: <c>Tiles:StyleDirectory</c>, <c>Tiles:Cache:{Enabled, Directory, MaxBytes, PollInterval}</c>.
    /// </summary>
    public static IHostApplicationBuilder AddGeoRiskTiles(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Tiles");
        var styles = TileStyles.Load(section["StyleDirectory"] is { Length: > 0 } dir ? dir : null);
        var cacheOptions = new TileCacheOptions();
        section.GetSection("Cache").Bind(cacheOptions);
        if (cacheOptions.MaxBytes <= 0) throw new InvalidOperationException("Tiles:Cache:MaxBytes must be above 0");
        if (cacheOptions.PollInterval <= TimeSpan.Zero) throw new InvalidOperationException("Tiles:Cache:PollInterval must be above 0");
        // Not the working directory: the service must find its cache however it was started.
        cacheOptions.Directory = Path.GetFullPath(cacheOptions.Directory, builder.Environment.ContentRootPath);

        builder.Services.AddSingleton(styles);
        builder.Services.AddSingleton(cacheOptions);
        builder.Services.AddSingleton<DataVersions>();
        builder.Services.AddSingleton<TileReferenceData>();
        // The cut-out draws its layers in this order: areas below the points.
        builder.Services.AddTileLayer(_ => AreasLayer.Create(styles));
        builder.Services.AddTileLayer(sp => HexbinsLayer.Create(sp.GetRequiredService<NpgsqlDataSource>(), styles));
        builder.Services.AddTileLayer(_ => HotspotsLayer.Create(styles));
        builder.Services.AddTileLayer(_ => SignalsLayer.Create(styles));
        builder.Services.AddTileLayer(_ => CamerasLayer.Create(styles));
        builder.Services.AddTileLayer(_ => IncidentsLayer.Create(styles));
        builder.Services.AddTileLayer(_ => GelegenheidskaartLayer.Create());
        builder.Services.AddTileLayer(_ => CoverageLayer.Create());
        builder.Services.AddSingleton(sp => new TileCache(cacheOptions,
            sp.GetServices<TileLayerDefinition>().Where(d => d.Changes is not null)
              .Select(d => new PointDependentLayer(d.Id, d.MinZoom, d.MaxZoom, d.Changes!.MarginPx, d.Changes.Source))));
        builder.Services.AddSingleton<TileService>();
        builder.Services.AddSingleton<RdAreasTiles>();
        builder.Services.AddSingleton<GeoRisk.Data.Intake.ISignalChangeListener, TileCacheSignalListener>();
        builder.Services.AddSingleton<MapCutoutRenderer>();
        builder.Services.AddSingleton<TileChangeWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TileChangeWatcher>());
        builder.Services.AddSingleton<GeoRisk.Data.Notifications.IDatabaseNotificationSubscriber>(sp => sp.GetRequiredService<TileChangeWatcher>());
        return builder;
    }

    /// <summary>
    /// Adds a tile layer: its definition (built once, when the tile service starts). The layer's
    /// SQL function <c>tile_&lt;id&gt;</c> must exist in the database (a file in sql/functions/).
    /// </summary>
    public static IServiceCollection AddTileLayer(this IServiceCollection services, Func<IServiceProvider, TileLayerDefinition> definition) =>
        services.AddSingleton(definition);
}
