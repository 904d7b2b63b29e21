using GeoRisk.Core.Access;
using Xunit;

namespace GeoRisk.UnitTests.Access;

public class ApiKeyTests
{
    // Fast hashes keep the unit tests quick; the iteration count is a stored parameter.
    private const int TestIterations = 1_000;

    [Fact]
    public void Generated_key_has_the_documented_shape_and_round_trips()
    {
        var key = ApiKey.Generate();

        Assert.Matches("^grk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", key.Token);
        Assert.Equal(ApiKey.TokenLength, key.Token.Length);
        Assert.True(ApiKey.TryParse(key.Token, out var parsed));
        Assert.Equal(key.Id, parsed.Id);
        Assert.Equal(key.Token, parsed.Token);
    }

    [Fact]
    public void Generated_keys_differ()
    {
        var tokens = Enumerable.Range(0, 200).Select(_ => ApiKey.Generate().Token).ToHashSet();
        Assert.Equal(200, tokens.Count);
    }

    [Fact]
    public void ToString_never_contains_the_secret()
    {
        var key = ApiKey.Generate();
        var secret = key.Token[(4 + ApiKey.IdLength + 1)..];

        Assert.DoesNotContain(secret, key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, $"{key}", StringComparison.Ordinal);
        Assert.Contains(key.Id, key.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string?> Malformed()
    {
        var good = ApiKey.Generate().Token;
        return new TheoryData<string?>
        {
            null,
            "",
            "Bearer " + good,
            good + "x",
            good[..^1],
            "grx_" + good[4..],
            good[..16] + "-" + good[17..],                // separator
            "grk_ABCDEF012345_" + good[17..],             // key id must be lowercase hex
            "grk_0123456789zz_" + good[17..],
            good[..17] + "!" + good[18..],                // not base64url
            good[..17] + new string('=', 43),
            good[..^1] + "B",                              // 43rd char has non-zero padding bits
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_tokens_are_rejected_without_exceptions(string? token)
    {
        Assert.False(ApiKey.TryParse(token, out _));
    }

    [Fact]
    public void Hash_matches_only_the_same_key()
    {
        var key = ApiKey.Generate();
        var hash = ApiKeyHash.Create(key, TestIterations);

        Assert.Equal(ApiKeyHash.HashBytes, hash.Hash.Length);
        Assert.Equal(ApiKeyHash.SaltBytes, hash.Salt.Length);
        Assert.True(hash.Matches(key));
        Assert.True(ApiKey.TryParse(key.Token, out var again));
        Assert.True(hash.Matches(again));
        Assert.False(hash.Matches(ApiKey.Generate()));
    }

    [Fact]
    public void Same_secret_with_another_key_id_does_not_match()
    {
        var key = ApiKey.Generate();
        var hash = ApiKeyHash.Create(key, TestIterations);
        var otherId = (key.Id[0] == 'a' ? "b" : "a") + key.Id[1..];
        Assert.True(ApiKey.TryParse($"grk_{otherId}_{key.Token[17..]}", out var forged));

        Assert.False(hash.Matches(forged));
    }

    [Fact]
    public void Hashes_are_salted()
    {
        var key = ApiKey.Generate();
        var a = ApiKeyHash.Create(key, TestIterations);
        var b = ApiKeyHash.Create(key, TestIterations);

        Assert.NotEqual(a.Salt, b.Salt);
        Assert.NotEqual(a.Hash, b.Hash);
    }

    [Fact]
    public void Default_iterations_are_a_real_work_factor()
    {
        Assert.True(ApiKeyHash.DefaultIterations >= 100_000);
    }

    [Fact]
    public void Corrupt_stored_hash_never_matches()
    {
        var key = ApiKey.Generate();
        var hash = ApiKeyHash.Create(key, TestIterations);

        Assert.False((hash with { Hash = hash.Hash[..16] }).Matches(key));
        Assert.False((hash with { Iterations = 0 }).Matches(key));
        Assert.False((hash with { Salt = [] }).Matches(key));
    }
}
