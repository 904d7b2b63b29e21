using GeoRisk.Data.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GeoRisk.Data;

/// <summary>What the node knows about its read replica, for <c>/health</c>.</summary>
/// <param name="ReadsFrom">"primary" or "replica": where reads go right now.</param>
/// <param name="Status">"none" (no replica configured), "current", "behind" (has not replayed a write this node knows of), "lagging" (behind for longer than the tolerance) or "down".</param>
public sealed record ReplicaState(string ReadsFrom, string Status, long? LagBytes);

/// <summary>
/// Where heavy reads (tiles) go. Without <c>ConnectionStrings:GeoRiskRead</c> everything reads the
/// primary. With a streaming replica, reads go to it only while it has replayed every write this
/// node knows of: the node's own writes (noted before each write's answer starts) and every write
/// another node or psql announced by NOTIFY (heard on the primary: NOTIFY is not replicated; the
/// tile watcher notes it before dropping the tiles it touches).
/// So a reader never sees older data than a write it could have known about — an import through
/// node A followed by a tile from node B reads the primary until the replica has caught up —
/// and a replica that falls behind or goes down simply stops being used. A poll every
/// <see cref="PollInterval"/> compares the replica's replay position with the primary's.
/// </summary>
public sealed partial class ReadRouting : BackgroundService, IDatabaseNotificationSubscriber
{
    private const string PrimaryLsnSql = "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::int8";
    private const string ReplayLsnSql = "SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::int8";

    private readonly ILogger<ReadRouting> _logger;
    private long _required;            // newest primary WAL position of a write this node knows of
    private long _replayed = -1;       // the replica's replay position at the last poll; -1: unknown or down
    private long _primaryAtPoll;
    private DateTimeOffset _behindSince = DateTimeOffset.MaxValue;
    private bool _warnedNotReplica;
    private readonly SemaphoreSlim _wake = new(0, 1);

    public ReadRouting(NpgsqlDataSource primary, NpgsqlDataSource? replica, ILogger<ReadRouting> logger)
    {
        Primary = primary;
        Replica = replica;
        _logger = logger;
    }

    public NpgsqlDataSource Primary { get; }
    public NpgsqlDataSource? Replica { get; }

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a replica may stay behind the primary before it is reported as lagging.</summary>
    public TimeSpan LagTolerance { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The source for a read that starts now.</summary>
    public NpgsqlDataSource ForReads => Replica is not null && IsCurrent ? Replica : Primary;

    private bool IsCurrent
    {
        get
        {
            var replayed = Interlocked.Read(ref _replayed);
            return replayed >= 0 && replayed >= Interlocked.Read(ref _required);
        }
    }

    public ReplicaState State
    {
        get
        {
            if (Replica is null) return new ReplicaState("primary", "none", null);
            var replayed = Interlocked.Read(ref _replayed);
            if (replayed < 0) return new ReplicaState("primary", "down", null);
            var lag = Math.Max(0, Interlocked.Read(ref _primaryAtPoll) - replayed);
            var status = IsCurrent ? "current" : DateTimeOffset.UtcNow - _behindSince > LagTolerance ? "lagging" : "behind";
            return new ReplicaState(IsCurrent ? "replica" : "primary", status, lag);
        }
    }

    /// <summary>
    /// Records that a write has committed on the primary: reads go to the primary until the
    /// replica has replayed it. Cheap (one scalar on the primary) and a no-op without a replica.
    /// </summary>
    public async Task NoteWriteAsync(CancellationToken cancellationToken)
    {
        if (Replica is null) return;
        await using var command = Primary.CreateCommand(PrimaryLsnSql);
        var lsn = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        long seen;
        do
        {
            seen = Interlocked.Read(ref _required);
            if (lsn <= seen) break;
        }
        while (Interlocked.CompareExchange(ref _required, lsn, seen) != seen);
        Wake();
    }

    /// <summary>
    /// The tile channel, for its listening state only: the tile watcher notes the position of each
    /// change it hears before it drops tiles, so a second note here would only repeat its query.
    /// Keys are read from the primary and need no note.
    /// </summary>
    public IReadOnlyCollection<string> Channels { get; } = ["georisk_tiles"];

    public Task OnNotificationAsync(string channel, string payload, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Listening again: whatever was written while deaf is at or before the primary's position now.</summary>
    public async Task OnListeningAsync(CancellationToken cancellationToken)
    {
        if (Replica is null) return;
        await using var command = Primary.CreateCommand(PrimaryLsnSql);
        Interlocked.Exchange(ref _required, (long)(await command.ExecuteScalarAsync(cancellationToken))!);
        Wake();
    }

    /// <summary>While nothing is heard, writes of other nodes are unknown: read the primary until listening resumes.</summary>
    public void OnDeaf() => Interlocked.Exchange(ref _required, long.MaxValue);

    public override void Dispose()
    {
        _wake.Dispose();
        Replica?.Dispose();
        base.Dispose();
    }

    private void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { /* a poll is already due */ }
        catch (ObjectDisposedException) { /* shutting down */ }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Replica is null) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            await PollAsync(stoppingToken);
            try
            {
                await _wake.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using (var primary = Primary.CreateCommand(PrimaryLsnSql))
            {
                Interlocked.Exchange(ref _primaryAtPoll, (long)(await primary.ExecuteScalarAsync(cancellationToken))!);
            }
            await using var replica = Replica!.CreateCommand(ReplayLsnSql);
            // NULL when the server is not in recovery: then it is not a replica of anything.
            var replayed = await replica.ExecuteScalarAsync(cancellationToken) is long l ? l : -1;
            var before = Interlocked.Exchange(ref _replayed, replayed);
            if (replayed < 0 && !_warnedNotReplica)
            {
                _warnedNotReplica = true;
                LogNotReplica(_logger);
            }
            else if (replayed >= 0 && before < 0)
            {
                LogReplicaUp(_logger);
            }
            _behindSince = replayed >= Interlocked.Read(ref _primaryAtPoll) ? DateTimeOffset.MaxValue
                : _behindSince == DateTimeOffset.MaxValue ? DateTimeOffset.UtcNow : _behindSince;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _replayed, -1) >= 0)
            {
                LogReplicaDown(_logger, e.GetType().Name);
            }
            Replica!.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "read replica unreachable ({Error}): reads go to the primary")]
    private static partial void LogReplicaDown(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the read replica's server is not in recovery (not a replica): reads go to the primary")]
    private static partial void LogNotReplica(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "read replica reachable: tiles read from it while it is current")]
    private static partial void LogReplicaUp(ILogger logger);
}
