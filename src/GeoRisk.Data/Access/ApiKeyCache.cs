using System.Collections.Concurrent;
using GeoRisk.Data.Notifications;

namespace GeoRisk.Data.Access;

/// <summary>
/// The key rows authentication needs, kept in memory so that a request with a known key costs
/// no database round trip. Correctness rests on notifications, not on a timeout: a trigger on
/// api_key, api_key_casustafel and scoring_profile (sql/functions/0520_notify.sql) sends the key id on
/// commit to every node, which drops the entry; the next request reads the row again. While
/// the notification connection is down nothing is cached (every request reads its row, as
/// without this cache), and when it comes back everything cached before is dropped, because
/// what changed in between was not heard.
/// </summary>
public sealed class ApiKeyCache(ApiKeyStore store, TimeProvider? time = null) : IDatabaseNotificationSubscriber
{
    public const string Channel = "georisk_key";

    /// <summary>A safety net only (a notification lost inside PostgreSQL); revocation relies on the notification.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private const int MaxEntries = 100_000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (ApiKeyRecord Record, long At)> _entries = new(StringComparer.Ordinal);
    // Bumped by every invalidation: a row read before it must not be stored after it.
    private long _epoch;
    private volatile bool _trusted;

    public IReadOnlyCollection<string> Channels { get; } = [Channel];

    /// <summary>True while notifications arrive, i.e. while cached rows can be served.</summary>
    public bool IsTrusted => _trusted;

    public int Count => _entries.Count;

    public async Task<ApiKeyRecord?> FindAsync(string keyId, CancellationToken ct)
    {
        var now = _time.GetTimestamp();
        if (_trusted && _entries.TryGetValue(keyId, out var hit) && _time.GetElapsedTime(hit.At, now) < MaxAge)
        {
            return hit.Record;
        }
        var epoch = Interlocked.Read(ref _epoch);
        var trusted = _trusted;
        var record = await store.FindAsync(keyId, ct);
        // Unknown ids are not cached: guessing ids must not fill memory.
        if (record is not null && trusted && _trusted && Interlocked.Read(ref _epoch) == epoch)
        {
            if (_entries.Count >= MaxEntries) _entries.Clear();
            _entries[keyId] = (record, now);
            // An invalidation that raced with the store above removes it again.
            if (Interlocked.Read(ref _epoch) != epoch) _entries.TryRemove(keyId, out _);
        }
        return record;
    }

    public Task OnNotificationAsync(string channel, string payload, CancellationToken cancellationToken)
    {
        Invalidate(payload);
        return Task.CompletedTask;
    }

    /// <summary>Drops one key ("*": all); for changes this process made itself, before the notification arrives.</summary>
    public void Invalidate(string keyId)
    {
        Interlocked.Increment(ref _epoch);
        if (keyId == "*") _entries.Clear();
        else _entries.TryRemove(keyId, out _);
    }

    public Task OnListeningAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _epoch);
        _entries.Clear();
        _trusted = true;
        return Task.CompletedTask;
    }

    public void OnDeaf()
    {
        _trusted = false;
        Interlocked.Increment(ref _epoch);
        _entries.Clear();
    }
}
