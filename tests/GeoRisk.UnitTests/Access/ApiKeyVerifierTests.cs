using GeoRisk.Core.Access;
using Xunit;

namespace GeoRisk.UnitTests.Access;

public class ApiKeyVerifierTests
{
    private const int TestIterations = 1_000;

    [Fact]
    public void First_verification_hashes_then_the_cache_answers()
    {
        var verifier = new ApiKeyVerifier();
        var key = ApiKey.Generate();
        var stored = ApiKeyHash.Create(key, TestIterations);

        Assert.True(verifier.Verify(key, stored, revoked: false, out var cached1));
        Assert.False(cached1);
        Assert.True(verifier.Verify(key, stored, revoked: false, out var cached2));
        Assert.True(cached2);
    }

    [Fact]
    public void A_wrong_secret_is_refused_even_when_the_key_id_is_cached()
    {
        var verifier = new ApiKeyVerifier();
        var key = ApiKey.Generate();
        var stored = ApiKeyHash.Create(key, TestIterations);
        Assert.True(verifier.Verify(key, stored, revoked: false, out _));

        var secret = key.Token[17..];
        var otherSecret = (secret[0] == 'A' ? "B" : "A") + secret[1..];
        Assert.True(ApiKey.TryParse($"grk_{key.Id}_{otherSecret}", out var guess));

        Assert.False(verifier.Verify(guess, stored, revoked: false, out var usedCache));
        Assert.False(usedCache);
        // The right key still works afterwards.
        Assert.True(verifier.Verify(key, stored, revoked: false, out _));
    }

    [Fact]
    public void A_revoked_key_is_refused_at_once_and_evicted()
    {
        var verifier = new ApiKeyVerifier();
        var key = ApiKey.Generate();
        var stored = ApiKeyHash.Create(key, TestIterations);
        Assert.True(verifier.Verify(key, stored, revoked: false, out _));
        Assert.Equal(1, verifier.CachedCount);

        Assert.False(verifier.Verify(key, stored, revoked: true, out _));
        Assert.Equal(0, verifier.CachedCount);
    }

    [Fact]
    public void A_changed_stored_hash_forces_a_new_verification()
    {
        var verifier = new ApiKeyVerifier();
        var key = ApiKey.Generate();
        Assert.True(verifier.Verify(key, ApiKeyHash.Create(key, TestIterations), revoked: false, out _));

        // The row was re-hashed (e.g. with more iterations): the cache entry no longer applies.
        var rehashed = ApiKeyHash.Create(key, TestIterations + 1);
        Assert.True(verifier.Verify(key, rehashed, revoked: false, out var usedCache));
        Assert.False(usedCache);
        // And a hash of another key with the same id is not satisfied by the cached entry.
        Assert.False(verifier.Verify(key, ApiKeyHash.Create(ApiKey.Generate(), TestIterations), revoked: false, out _));
    }

    [Fact]
    public void Forget_drops_the_cached_key()
    {
        var verifier = new ApiKeyVerifier();
        var key = ApiKey.Generate();
        var stored = ApiKeyHash.Create(key, TestIterations);
        Assert.True(verifier.Verify(key, stored, revoked: false, out _));

        verifier.Forget(key.Id);

        Assert.True(verifier.Verify(key, stored, revoked: false, out var usedCache));
        Assert.False(usedCache);
    }
}

public class ApiKeyVerifierThrottleTests
{
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static ApiKey WrongSecretFor(ApiKey key, int i)
    {
        var secret = key.Token[17..];
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var replacement = alphabet[i % alphabet.Length] == secret[0] ? alphabet[(i + 1) % alphabet.Length] : alphabet[i % alphabet.Length];
        Assert.True(ApiKey.TryParse($"grk_{key.Id}_{replacement}{secret[1..]}", out var wrong));
        return wrong;
    }

    [Fact]
    public void Repeated_wrong_secrets_for_one_key_id_are_refused_without_hashing_until_the_window_ends()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var verifier = new ApiKeyVerifier(clock);
        var key = ApiKey.Generate();
        var stored = ApiKeyHash.Create(key, 1_000);

        for (var i = 0; i < ApiKeyVerifier.MaxFailuresPerWindow; i++)
            Assert.False(verifier.Verify(WrongSecretFor(key, i), stored, revoked: false, out _));

        // Throttled: even the right key is refused while the window lasts (it is not cached yet).
        Assert.False(verifier.Verify(key, stored, revoked: false, out _));

        clock.Now += ApiKeyVerifier.FailureWindow;
        Assert.True(verifier.Verify(key, stored, revoked: false, out _));
    }

    [Fact]
    public void A_cached_key_keeps_working_while_its_id_is_attacked()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var verifier = new ApiKeyVerifier(clock);
        var key = ApiKey.Generate();
        var stored = ApiKeyHash.Create(key, 1_000);
        Assert.True(verifier.Verify(key, stored, revoked: false, out _));

        for (var i = 0; i < ApiKeyVerifier.MaxFailuresPerWindow + 5; i++)
            Assert.False(verifier.Verify(WrongSecretFor(key, i), stored, revoked: false, out _));

        Assert.True(verifier.Verify(key, stored, revoked: false, out var usedCache));
        Assert.True(usedCache);
    }

    [Fact]
    public void Wrong_secrets_from_one_client_do_not_lock_the_holder_out_from_another()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var verifier = new ApiKeyVerifier(clock);
        var key = ApiKey.Generate();
        var stored = ApiKeyHash.Create(key, 1_000);

        // The key id is public (audit log, follow-up actor): an attacker tries eleven secrets.
        for (var i = 0; i <= ApiKeyVerifier.MaxFailuresPerWindow; i++)
            Assert.False(verifier.Verify(WrongSecretFor(key, i), stored, revoked: false, "203.0.113.9", out _));
        Assert.False(verifier.Verify(key, stored, revoked: false, "203.0.113.9", out _)); // that client is throttled

        // The holder, not yet cached in this process, still gets in from its own address.
        Assert.True(verifier.Verify(key, stored, revoked: false, "198.51.100.7", out var usedCache));
        Assert.False(usedCache);
    }

    [Fact]
    public void One_client_guessing_many_ids_is_throttled_as_a_whole()
    {
        var verifier = new ApiKeyVerifier(new ManualClock(DateTimeOffset.UnixEpoch));
        for (var i = 0; i < ApiKeyVerifier.MaxClientFailuresPerWindow; i++)
            Assert.False(verifier.Verify(ApiKey.Generate(), ApiKeyHash.Create(ApiKey.Generate(), 1), revoked: false, "203.0.113.9", out _));
        var runs = verifier.HashRuns;
        var key = ApiKey.Generate();
        Assert.False(verifier.Verify(key, ApiKeyHash.Create(key, 1), revoked: false, "203.0.113.9", out _));
        Assert.Equal(runs, verifier.HashRuns); // refused without hashing
    }

    [Fact]
    public void Unknown_ids_revoked_keys_and_wrong_secrets_cost_the_same_one_pbkdf2_run()
    {
        // The answer time must not tell which key ids exist: each case runs PBKDF2 exactly once
        // (unknown ids against a decoy with the default iteration count, like real keys).
        var verifier = new ApiKeyVerifier();
        var key = ApiKey.Generate();
        var stored = ApiKeyHash.Create(key, 1_000);

        var before = verifier.HashRuns;
        Assert.False(verifier.Verify(ApiKey.Generate(), null, revoked: false, "a", out _));
        Assert.Equal(before + 1, verifier.HashRuns);
        Assert.False(verifier.Verify(WrongSecretFor(key, 1), stored, revoked: false, "a", out _));
        Assert.Equal(before + 2, verifier.HashRuns);
        Assert.False(verifier.Verify(key, stored, revoked: true, "a", out _));
        Assert.Equal(before + 3, verifier.HashRuns);
        Assert.True(verifier.Verify(key, stored, revoked: false, "a", out _));
        Assert.Equal(before + 4, verifier.HashRuns);
    }
}
