using System.Globalization;
using GeoRisk.Core.Tiles;
using GeoRisk.Data.Notifications;
using GeoRisk.Tiles.Caching;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GeoRisk.Tiles;

/// <summary>
/// Keeps the tile cache in step with the database without a restart: reads <c>data_version</c>
/// (re-keys whole layers) and <c>tile_change</c> (sql/0500: boxes where signals and hexagon
/// counts changed, written by triggers whoever writes) and drops exactly the cached tiles that
/// touch a changed box. It reads when the database says something changed (NOTIFY on channel
/// <c>georisk_tiles</c>, sql/functions/0520_notify.sql, received by every API process), when listening (re)starts,
/// and every <see cref="TileCacheOptions.PollInterval"/> as a safety net. Remembers how far it
/// read in the cache directory, so changes made while the API was down are applied at start-up.
/// </summary>
public sealed partial class TileChangeWatcher(NpgsqlDataSource db, GeoRisk.Data.ReadRouting reads, TileCache cache, DataVersions versions,
    TileCacheOptions options, ILogger<TileChangeWatcher> logger) : BackgroundService, IDatabaseNotificationSubscriber
{
    public const string Channel = "georisk_tiles";
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _polling = new(1, 1);

    public IReadOnlyCollection<string> Channels { get; } = [Channel];

    public Task OnNotificationAsync(string channel, string payload, CancellationToken cancellationToken)
    {
        Wake();
        return Task.CompletedTask;
    }

    public Task OnListeningAsync(CancellationToken cancellationToken)
    {
        Wake(); // what changed while nobody listened
        return Task.CompletedTask;
    }

    public void OnDeaf() { }

    public override void Dispose()
    {
        _wake.Dispose();
        _polling.Dispose();
        base.Dispose();
    }

    private void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { /* a poll is already due */ }
    }

    private const string PositionFile = ".tile-change-position";
    private readonly SortedSet<long> _seenAbove = [];
    private long _position; // every change with id <= _position has been applied
    private DateTimeOffset _gapSince = DateTimeOffset.MaxValue;
    private DateTimeOffset _lastCleanup = DateTimeOffset.MinValue;
    private string _database = "";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the first request: versions known, changes made while we were down applied.
        await using (var command = db.CreateCommand("SELECT current_database(), (SELECT coalesce(max(id), 0) FROM tile_change), (SELECT coalesce(min(id), 0) FROM tile_change)"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            _database = reader.GetString(0);
            var max = reader.GetInt64(1);
            var min = reader.GetInt64(2);
            var saved = ReadPosition();
            if (saved is { } p && p <= max && (min == 0 || min <= p + 1))
            {
                _position = p; // catch up from there in the first poll
            }
            else
            {
                if (cache.Enabled && cache.Count > 0 && saved != max)
                {
                    LogUnknownPosition(logger);
                    cache.InvalidateSource("signal");
                    cache.InvalidateSource("hex");
                }
                _position = max;
            }
        }
        await PollAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await _wake.WaitAsync(options.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { break; }
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // The database is away; the cache keeps serving what it has and we try again.
                LogPollFailed(logger, e.GetType().Name);
            }
        }
    }

    /// <summary>One round: versions, then the changes since the last round. Public for tests and tools.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        await _polling.WaitAsync(cancellationToken);
        try
        {
            return await PollOnceAsync(cancellationToken);
        }
        finally
        {
            _polling.Release();
        }
    }

    private async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        // Changes read below are at or before this position: tiles rendered after the drop must
        // not come from a replica that has not replayed them yet.
        await reads.NoteWriteAsync(cancellationToken);
        var current = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var command = db.CreateCommand("SELECT name, version FROM data_version"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) current[reader.GetString(0)] = reader.GetInt64(1);
        }
        versions.Update(current);

        var boxes = new Dictionary<string, List<Envelope3857>>(StringComparer.Ordinal);
        var everywhere = new HashSet<string>(StringComparer.Ordinal);
        var read = 0;
        await using (var command = db.CreateCommand(
            "SELECT id, source, min_x, min_y, max_x, max_y FROM tile_change WHERE id > $1 ORDER BY id LIMIT 20000"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = _position });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                if (!_seenAbove.Add(id)) continue;
                read++;
                var source = reader.GetString(1);
                if (reader.IsDBNull(2)) everywhere.Add(source);
                else
                {
                    if (!boxes.TryGetValue(source, out var list)) boxes[source] = list = [];
                    list.Add(new Envelope3857(reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5)));
                }
            }
        }

        var removed = 0;
        foreach (var source in everywhere) removed += cache.InvalidateSource(source);
        foreach (var (source, list) in boxes.Where(b => !everywhere.Contains(b.Key))) removed += cache.InvalidateBoxes(source, list, cancellationToken);
        if (read > 0) LogInvalidated(logger, read, removed);

        AdvancePosition();
        if (read > 0) WritePosition();
        await CleanupAsync(cancellationToken);
        return removed;
    }

    /// <summary>
    /// Identity values are handed out before commit, so a change with a lower id can become
    /// visible after a higher one. The position only moves over contiguous ids; a gap (a rolled
    /// back or still running transaction) is waited for up to a minute, then skipped.
    /// </summary>
    private void AdvancePosition()
    {
        while (_seenAbove.Count > 0 && _seenAbove.Min == _position + 1)
        {
            _position++;
            _seenAbove.Remove(_position);
        }
        if (_seenAbove.Count == 0)
        {
            _gapSince = DateTimeOffset.MaxValue;
            return;
        }
        var now = DateTimeOffset.UtcNow;
        if (_gapSince == DateTimeOffset.MaxValue) _gapSince = now;
        else if (now - _gapSince > TimeSpan.FromMinutes(1))
        {
            _position = _seenAbove.Min - 1;
            _gapSince = DateTimeOffset.MaxValue;
            AdvancePosition();
        }
    }

    private async Task CleanupAsync(CancellationToken cancellationToken)
    {
        if (DateTimeOffset.UtcNow - _lastCleanup < TimeSpan.FromMinutes(10)) return;
        _lastCleanup = DateTimeOffset.UtcNow;
        await using var command = db.CreateCommand("DELETE FROM tile_change WHERE changed_at < now() - interval '1 day'");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string PositionPath => Path.Combine(cache.Root, PositionFile);

    private long? ReadPosition()
    {
        if (!cache.Enabled || !File.Exists(PositionPath)) return null;
        var parts = File.ReadAllText(PositionPath).Split(' ');
        return parts.Length == 2 && parts[0] == _database && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
    }

    private void WritePosition()
    {
        if (!cache.Enabled) return;
        File.WriteAllText(PositionPath, $"{_database} {_position.ToString(CultureInfo.InvariantCulture)}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tile cache: {Changes} data changes dropped {Tiles} cached tiles")]
    private static partial void LogInvalidated(ILogger logger, int changes, int tiles);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tile cache: changes since the last run are unknown; dropping the signal and hexagon tiles")]
    private static partial void LogUnknownPosition(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tile cache: polling for data changes failed ({ExceptionType}); retrying")]
    private static partial void LogPollFailed(ILogger logger, string exceptionType);
}
