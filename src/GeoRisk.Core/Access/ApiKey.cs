using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace GeoRisk.Core.Access;

/// <summary>
/// An API key as the caller holds it: <c>grk_&lt;id&gt;_&lt;secret&gt;</c>, where <c>id</c> is
/// 12 lowercase hex characters (48 random bits, public: it names the key in lists and the audit
/// log) and <c>secret</c> is 256 random bits in base64url (43 characters). The whole text is
/// shown once at creation; the database keeps only a salted PBKDF2 hash (<see cref="ApiKeyHash"/>).
/// <see cref="ToString"/> never prints the secret, so a key that ends up in a log or an error
/// message is harmless.
/// </summary>
public sealed class ApiKey
{
    public const string Prefix = "grk_";
    public const int IdLength = 12;
    public const int SecretBytes = 32;
    private const int SecretLength = 43; // base64url of 32 bytes, no padding
    public const int TokenLength = 4 + IdLength + 1 + SecretLength;

    private ApiKey(string id, string secret)
    {
        Id = id;
        Secret = secret;
    }

    /// <summary>The public key id (no secret): safe to log, list and audit.</summary>
    public string Id { get; }

    private string Secret { get; }

    /// <summary>The full bearer token. Show it once, never log it.</summary>
    public string Token => $"{Prefix}{Id}_{Secret}";

    public static ApiKey Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        return new ApiKey(id, secret);
    }

    /// <summary>Parses a bearer token; false (never an exception) for anything that is not a well-formed key.</summary>
    public static bool TryParse(string? token, out ApiKey key)
    {
        key = null!;
        if (token is null || token.Length != TokenLength || !token.StartsWith(Prefix, StringComparison.Ordinal)
            || token[Prefix.Length + IdLength] != '_')
        {
            return false;
        }
        var id = token.Substring(Prefix.Length, IdLength);
        var secret = token[(Prefix.Length + IdLength + 1)..];
        if (!IsKeyId(id) || !Base64Url.IsValid(secret, out var decodedLength) || decodedLength != SecretBytes)
        {
            return false;
        }
        key = new ApiKey(id, secret);
        return true;
    }

    /// <summary>True for text shaped like a key id (12 lowercase hex characters).</summary>
    public static bool IsKeyId(string? id) =>
        id is { Length: IdLength } && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>The bytes that are hashed: the whole token, so a secret is bound to its key id.</summary>
    internal byte[] TokenBytes() => Encoding.ASCII.GetBytes(Token);

    public override string ToString() => $"{Prefix}{Id}_…";
}

/// <summary>What the database stores for a key: PBKDF2-HMAC-SHA256 of the token with a per-key random salt.</summary>
public sealed record ApiKeyHash(byte[] Hash, byte[] Salt, int Iterations)
{
    /// <summary>
    /// The secret is 256 random bits, so no amount of guessing reaches it; the iterations are
    /// defence in depth for a leaked database (and cost ~0.1 s per verification, which is why
    /// <see cref="ApiKeyVerifier"/> caches verified keys). Stored per key so it can be raised.
    /// </summary>
    public const int DefaultIterations = 210_000;
    public const int HashBytes = 32;
    public const int SaltBytes = 16;

    public static ApiKeyHash Create(ApiKey key, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new ApiKeyHash(Derive(key, salt, iterations), salt, iterations);
    }

    /// <summary>Recomputes the hash of the presented key and compares in constant time.</summary>
    public bool Matches(ApiKey presented)
    {
        if (Iterations < 1 || Salt.Length == 0 || Hash.Length != HashBytes)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Derive(presented, Salt, Iterations), Hash);
    }

    private static byte[] Derive(ApiKey key, byte[] salt, int iterations)
    {
        var token = key.TokenBytes();
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(token, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(token);
        }
    }
}
