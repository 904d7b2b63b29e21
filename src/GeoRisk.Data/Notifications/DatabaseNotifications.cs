using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GeoRisk.Data.Notifications;

/// <summary>
/// Receives PostgreSQL notifications of some channels (sql/functions/0520_notify.sql) for in-process caches.
/// <see cref="OnListeningAsync"/> runs every time listening (re)starts: notifications sent while
/// the node was not listening are lost, so a subscriber must treat that moment as "anything may
/// have changed" (drop its cache, read again).
/// </summary>
public interface IDatabaseNotificationSubscriber
{
    /// <summary>The channels this subscriber wants (fixed names, not user input).</summary>
    IReadOnlyCollection<string> Channels { get; }

    Task OnNotificationAsync(string channel, string payload, CancellationToken cancellationToken);

    Task OnListeningAsync(CancellationToken cancellationToken);

    /// <summary>The connection was lost: from now on until the next <see cref="OnListeningAsync"/> nothing is heard.</summary>
    void OnDeaf();
}

/// <summary>
/// One dedicated connection per process that LISTENs on the channels of every subscriber and
/// dispatches what arrives. When the connection drops it reconnects with a short back-off;
/// subscribers hear <see cref="IDatabaseNotificationSubscriber.OnDeaf"/> at once and
/// <see cref="IDatabaseNotificationSubscriber.OnListeningAsync"/> when it is back.
/// In a scale-out the connection goes to the primary: NOTIFY is not replicated.
/// </summary>
public sealed partial class DatabaseNotifications(
    NpgsqlDataSource db, IEnumerable<IDatabaseNotificationSubscriber> subscribers, ILogger<DatabaseNotifications> logger)
    : BackgroundService
{
    private readonly IDatabaseNotificationSubscriber[] _subscribers = subscribers.ToArray();
    private readonly TaskCompletionSource _firstListen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _listening;

    /// <summary>True while notifications are being received.</summary>
    public bool IsListening => _listening;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        // Before the first request, if the database is there: caches can be trusted from the start.
        await Task.WhenAny(_firstListen.Task, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_subscribers.Length == 0) { _firstListen.TrySetResult(); return; }
        var channels = _subscribers.SelectMany(s => s.Channels).Distinct(StringComparer.Ordinal).ToArray();
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Dispatch(e.Channel, e.Payload, stoppingToken);
                foreach (var channel in channels)
                {
                    // Channel names are constants of the subscribers, quoted as identifiers.
                    await using var listen = new NpgsqlCommand($"LISTEN \"{channel.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Listening first, then resetting: a change between the two is seen twice, never missed.
                foreach (var s in _subscribers) await s.OnListeningAsync(stoppingToken);
                _listening = true;
                _firstListen.TrySetResult();
                LogListening(logger, channels.Length);
                delay = TimeSpan.FromMilliseconds(100);
                while (!stoppingToken.IsCancellationRequested)
                {
                    // Wakes at least every 10 s so that a silently dead connection is noticed.
                    await connection.WaitAsync(TimeSpan.FromSeconds(10), stoppingToken);
                    if (!await PingAsync(connection, stoppingToken)) break;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                LogLost(logger, e.GetType().Name);
            }
            finally
            {
                if (_listening)
                {
                    _listening = false;
                    foreach (var s in _subscribers) s.OnDeaf();
                }
            }
            try { await Task.Delay(delay, stoppingToken); }
            catch (OperationCanceledException) { break; }
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
        }
    }

    private static async Task<bool> PingAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var ping = new NpgsqlCommand("SELECT 1", connection);
        return await ping.ExecuteScalarAsync(ct) is 1;
    }

    private void Dispatch(string channel, string payload, CancellationToken ct)
    {
        foreach (var s in _subscribers)
        {
            if (!s.Channels.Contains(channel)) continue;
            // Handlers run off the connection's read loop; they only drop cache entries or wake a poll.
            _ = InvokeAsync(s, channel, payload, ct);
        }
    }

    private async Task InvokeAsync(IDatabaseNotificationSubscriber s, string channel, string payload, CancellationToken ct)
    {
        try
        {
            await s.OnNotificationAsync(channel, payload, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogHandlerFailed(logger, channel, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for database notifications on {Channels} channels")]
    private static partial void LogListening(ILogger logger, int channels);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database notifications lost ({Error}); caches read the database until listening resumes")]
    private static partial void LogLost(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "A handler of database notifications on {Channel} failed ({Error})")]
    private static partial void LogHandlerFailed(ILogger logger, string channel, string error);
}
