using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GeoRisk.Data;

/// <summary>
/// Opens a few pooled connections at start-up: the first query on a new connection costs a
/// few hundred milliseconds, which would otherwise land on the first map tiles a user asks for.
/// A database that is down does not stop the start: /health reports it.
/// </summary>
internal sealed partial class PoolWarmup(NpgsqlDataSource dataSource, ILogger<PoolWarmup> logger) : IHostedService
{
    private const int Connections = 4;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connections = new List<NpgsqlConnection>();
            for (var i = 0; i < Connections; i++)
            {
                var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connections.Add(connection);
                await using var command = new NpgsqlCommand("SELECT postgis_lib_version()", connection);
                await command.ExecuteScalarAsync(cancellationToken);
            }
            foreach (var connection in connections) await connection.DisposeAsync();
            LogWarmedUp(logger, Connections);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            LogWarmupFailed(logger, ex.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database pool warmed up with {Count} connections")]
    private static partial void LogWarmedUp(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable at start-up ({Error}); /health reports 503 until it is")]
    private static partial void LogWarmupFailed(ILogger logger, string error);
}
