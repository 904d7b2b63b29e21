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
    /// Registers the tile layers (every layer in MVT, PNG and PNG @2x), the styles (read now, so a
    /// bad style file stops start-up), the disk cache and the watcher that invalidates it.
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
        foreach (var format in Enum.GetValues<TileFormat>())
        {
            builder.Services.AddSingleton<ITileLayer>(sp => new AreasLayer(sp.GetRequiredService<NpgsqlDataSource>(), styles, format));
            builder.Services.AddSingleton<ITileLayer>(sp => new HexbinsLayer(sp.GetRequiredService<NpgsqlDataSource>(), styles, format));
            builder.Services.AddSingleton<ITileLayer>(sp => new SignalsLayer(sp.GetRequiredService<NpgsqlDataSource>(), styles, format));
            builder.Services.AddSingleton<ITileLayer>(sp => new CamerasLayer(sp.GetRequiredService<NpgsqlDataSource>(), styles, format));
            builder.Services.AddSingleton<ITileLayer>(sp => new IncidentsLayer(sp.GetRequiredService<NpgsqlDataSource>(), styles, format));
            builder.Services.AddSingleton<ITileLayer>(sp => new GelegenheidskaartLayer(sp.GetRequiredService<NpgsqlDataSource>(), format));
        }
        builder.Services.AddSingleton(sp => new TileCache(cacheOptions,
        [
            // Signals reach beyond their tile by the heatmap radius (the MVT buffer is smaller).
            new PointDependentLayer("signals", 0, 18, Math.Max(2, styles.Heatmap.RadiusPx + 1), "signal"),
            // Hexagons: the raster buffer (4 px) around each changed cell's box.
            new PointDependentLayer("hexbins", 0, 18, 5, "hex"),
        ]));
        builder.Services.AddSingleton<TileService>();
        builder.Services.AddSingleton<GeoRisk.Data.Intake.ISignalChangeListener, TileCacheSignalListener>();
        builder.Services.AddSingleton<MapCutoutRenderer>();
        builder.Services.AddSingleton<TileChangeWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TileChangeWatcher>());
        builder.Services.AddSingleton<GeoRisk.Data.Notifications.IDatabaseNotificationSubscriber>(sp => sp.GetRequiredService<TileChangeWatcher>());
        return builder;
    }
}
