using GeoRisk.Core.Access;

namespace GeoRisk.Api.Access;

/// <summary>
/// The authenticated key of this request, set by <see cref="ApiKeyAuthenticationHandler"/> as
/// an HttpContext feature. Holds the public key id, never the secret.
/// </summary>
public sealed record CallerIdentity(string KeyId, CallerScope Scope);
