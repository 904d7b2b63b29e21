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
/// Wrong secrets for a known key id cost a PBKDF2 run each, which an attacker who knows a key
/// id could use to burn CPU. After <see cref="MaxFailuresPerWindow"/> failures for one key id
/// within <see cref="FailureWindow"/>, further unverified attempts for that id are refused
/// without hashing until the window ends. A holder whose key is already cached is not
/// affected (the cache is checked first); one whose key is not yet cached in this process waits
/// for the window to end while the attack lasts.
/// </para>
/// </summary>
public sealed class ApiKeyVerifier(TimeProvider clock)
{
    /// <summary>Bound on remembered keys; when full the cache starts over (keys are few).</summary>
    public const int Capacity = 10_000;

    public const int MaxFailuresPerWindow = 10;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(1);

    private readonly byte[] _processKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Entry> _verified = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    public ApiKeyVerifier() : this(TimeProvider.System)
    {
    }

    private sealed record Failures(DateTimeOffset WindowStart, int Count);

    private sealed record Entry(byte[] StoredHash, byte[] TokenMac);

    /// <summary>Number of keys currently remembered (for tests and diagnostics).</summary>
    public int CachedCount => _verified.Count;

    /// <summary>
    /// True when <paramref name="presented"/> is the key stored as <paramref name="stored"/>
    /// and that key is not revoked. <paramref name="usedCache"/> tells whether PBKDF2 was skipped.
    /// </summary>
    public bool Verify(ApiKey presented, ApiKeyHash stored, bool revoked, out bool usedCache)
    {
        usedCache = false;
        if (revoked)
        {
            Forget(presented.Id);
            return false;
        }
        var mac = Mac(presented);
        if (_verified.TryGetValue(presented.Id, out var entry)
            && CryptographicOperations.FixedTimeEquals(entry.StoredHash, stored.Hash)
            && CryptographicOperations.FixedTimeEquals(entry.TokenMac, mac))
        {
            usedCache = true;
            return true;
        }
        if (IsThrottled(presented.Id))
        {
            return false;
        }
        if (!stored.Matches(presented))
        {
            RecordFailure(presented.Id);
            return false;
        }
        if (_verified.Count >= Capacity)
        {
            _verified.Clear();
        }
        _verified[presented.Id] = new Entry(stored.Hash.ToArray(), mac);
        return true;
    }

    private bool IsThrottled(string keyId) =>
        _failures.TryGetValue(keyId, out var f)
        && clock.GetUtcNow() - f.WindowStart < FailureWindow
        && f.Count >= MaxFailuresPerWindow;

    private void RecordFailure(string keyId)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count >= Capacity)
        {
            _failures.Clear();
        }
        _failures.AddOrUpdate(keyId, _ => new Failures(now, 1),
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
