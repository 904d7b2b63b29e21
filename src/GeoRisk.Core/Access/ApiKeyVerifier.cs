using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace GeoRisk.Core.Access;

/// <summary>
/// Verifies presented keys against their stored hash, remembering keys it has verified so that
/// only the first request of a key pays for PBKDF2. The cache holds no secret: per key id it
/// keeps the stored hash it was verified against and an HMAC of the presented token under a
/// random per-process key. Revocation cannot be served from the cache: the caller passes the
/// row it read for this request (revoked_at included), and a revoked or changed row evicts the
/// entry, so a revoked key stops working on the very next request, in every process.
/// <para>
/// Answer time tells nothing about which key ids exist: an unknown id, a revoked key and a wrong
/// secret each cost one PBKDF2 run (unknown ids against a decoy hash with the default iteration
/// count), exactly like the first request of a real key.
/// </para>
/// <para>
/// Guessing costs CPU, so failures are throttled per <em>client</em> (its address), not per key
/// id: after <see cref="MaxFailuresPerWindow"/> failures for one key id from one client within
/// <see cref="FailureWindow"/>, or <see cref="MaxClientFailuresPerWindow"/> failures of any ids
/// from one client, that client's further unverified attempts are refused without hashing until
/// the window ends. Someone who knows a key id (it is public: audit log, follow-up actor) can
/// therefore no longer lock the key's holder out: the holder's requests come from another client.
/// A holder whose key is already cached is never affected (the cache is checked first).
/// </para>
/// </summary>
public sealed class ApiKeyVerifier(TimeProvider clock)
{
    /// <summary>Bound on remembered keys; when full the cache starts over (keys are few).</summary>
    public const int Capacity = 10_000;

    public const int MaxFailuresPerWindow = 10;

    /// <summary>Failures of any key ids from one client per window (unknown ids included).</summary>
    public const int MaxClientFailuresPerWindow = 50;

    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(1);

    private readonly byte[] _processKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Entry> _verified = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>What an unknown key id is checked against: same cost as a real key, never matches.</summary>
    private readonly ApiKeyHash _decoy = new(RandomNumberGenerator.GetBytes(ApiKeyHash.HashBytes),
        RandomNumberGenerator.GetBytes(ApiKeyHash.SaltBytes), ApiKeyHash.DefaultIterations);

    private long _hashRuns;

    public ApiKeyVerifier() : this(TimeProvider.System)
    {
    }

    private sealed record Failures(DateTimeOffset WindowStart, int Count);

    private sealed record Entry(byte[] StoredHash, byte[] TokenMac);

    /// <summary>Number of keys currently remembered (for tests and diagnostics).</summary>
    public int CachedCount => _verified.Count;

    /// <summary>PBKDF2 runs so far (for tests: every uncached verification costs exactly one).</summary>
    public long HashRuns => Interlocked.Read(ref _hashRuns);

    /// <summary>
    /// True when <paramref name="presented"/> is the key stored as <paramref name="stored"/>
    /// and that key is not revoked. <paramref name="usedCache"/> tells whether PBKDF2 was skipped.
    /// </summary>
    public bool Verify(ApiKey presented, ApiKeyHash stored, bool revoked, out bool usedCache) =>
        Verify(presented, stored, revoked, "", out usedCache);

    /// <summary>
    /// As above, for a key whose row may not exist (<paramref name="stored"/> null: unknown id),
    /// presented by <paramref name="client"/> (its address; failures are throttled per client).
    /// </summary>
    public bool Verify(ApiKey presented, ApiKeyHash? stored, bool revoked, string client, out bool usedCache)
    {
        usedCache = false;
        var mac = Mac(presented);
        if (stored is not null && !revoked
            && _verified.TryGetValue(presented.Id, out var entry)
            && CryptographicOperations.FixedTimeEquals(entry.StoredHash, stored.Hash)
            && CryptographicOperations.FixedTimeEquals(entry.TokenMac, mac))
        {
            usedCache = true;
            return true;
        }
        var idSlot = client + "|" + presented.Id;
        var clientSlot = client + "|*";
        if (IsThrottled(idSlot, MaxFailuresPerWindow) || IsThrottled(clientSlot, MaxClientFailuresPerWindow))
        {
            return false;
        }
        // One PBKDF2 run whatever the row says, so the answer time does not reveal it.
        Interlocked.Increment(ref _hashRuns);
        var matches = (stored ?? _decoy).Matches(presented) && stored is not null;
        if (!matches || revoked)
        {
            if (revoked)
            {
                Forget(presented.Id);
            }
            RecordFailure(idSlot);
            RecordFailure(clientSlot);
            return false;
        }
        if (_verified.Count >= Capacity)
        {
            _verified.Clear();
        }
        _verified[presented.Id] = new Entry(stored!.Hash.ToArray(), mac);
        return true;
    }

    private bool IsThrottled(string slot, int limit) =>
        _failures.TryGetValue(slot, out var f)
        && clock.GetUtcNow() - f.WindowStart < FailureWindow
        && f.Count >= limit;

    private void RecordFailure(string slot)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count >= Capacity)
        {
            _failures.Clear();
        }
        _failures.AddOrUpdate(slot, _ => new Failures(now, 1),
            (_, f) => now - f.WindowStart >= FailureWindow ? new Failures(now, 1) : f with { Count = f.Count + 1 });
    }

    /// <summary>Drops a key from the cache (called on revocation in this process).</summary>
    public void Forget(string keyId) => _verified.TryRemove(keyId, out _);

    private byte[] Mac(ApiKey key)
    {
        var token = key.TokenBytes();
        try
        {
            return HMACSHA256.HashData(_processKey, token);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(token);
        }
    }
}
