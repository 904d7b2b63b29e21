using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GeoRisk.Data;

public static class GeoRiskDataExtensions
{
    /// <summary>Registers the one <see cref="NpgsqlDataSource"/> of the application and warms its pool at start-up.</summary>
    public static IHostApplicationBuilder AddGeoRiskData(this IHostApplicationBuilder builder)
    {
        var connectionString = GeoRiskDatabase.ResolveConnectionString(builder.Configuration);
        builder.Services.AddSingleton(_ => GeoRiskDatabase.CreateDataSource(connectionString));
        // An optional streaming replica for tiles (docs/scaling.md); writes and LISTEN stay on the primary.
        var readConnectionString = builder.Configuration.GetConnectionString("GeoRiskRead");
        builder.Services.AddSingleton(sp => new ReadRouting(sp.GetRequiredService<NpgsqlDataSource>(),
            readConnectionString is { Length: > 0 } ? GeoRiskDatabase.CreateDataSource(readConnectionString) : null,
            sp.GetRequiredService<ILogger<ReadRouting>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReadRouting>());
        builder.Services.AddSingleton<Notifications.IDatabaseNotificationSubscriber>(sp => sp.GetRequiredService<ReadRouting>());
        builder.Services.AddHostedService<PoolWarmup>();
        builder.Services.AddSingleton<Notifications.DatabaseNotifications>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Notifications.DatabaseNotifications>());
        return builder;
    }
}

public static class GeoRiskDatabase
{
    /// <summary>The project-local development cluster that scripts/run.sh starts.</summary>
    public const string DevelopmentConnectionString =
        "Host=127.0.0.1;Port=55432;Username=georisk;Password=georisk-dev;Database=georisk";

    /// <summary><c>ConnectionStrings:GeoRisk</c> wins over the <c>GEORISK_DB</c> environment variable.</summary>
    public static string ResolveConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("GeoRisk") is { Length: > 0 } configured ? configured
        : configuration["GEORISK_DB"] is { Length: > 0 } fromEnvironment ? fromEnvironment
        : throw new InvalidOperationException(
            "No database configured: set the GEORISK_DB environment variable or ConnectionStrings:GeoRisk.");

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "georisk";
        // A dead database must be reported quickly (health checks, 503s), not after 15 s.
        if (builder.ConnectionStringBuilder.Timeout == 15) builder.ConnectionStringBuilder.Timeout = 5;
        return builder.Build();
    }
}
