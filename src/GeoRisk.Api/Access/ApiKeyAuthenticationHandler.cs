using System.Security.Claims;
using System.Text.Encodings.Web;
using GeoRisk.Core.Access;
using GeoRisk.Data.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GeoRisk.Api.Access;

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// <c>Authorization: Bearer grk_&lt;id&gt;_&lt;secret&gt;</c>. The key's row (role, casustafels,
/// revoked_at) comes from <see cref="ApiKeyCache"/>, which every node drops on a notification
/// from the database, so a revocation or a change of casustafels applies within moments in
/// every process; PBKDF2 runs only the first time a process sees a key
/// (<see cref="ApiKeyVerifier"/>). Failure messages never contain the token.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache keys,
    ApiKeyVerifier verifier,
    IProblemDetailsService problems)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string CasustafelClaim = "georisk:casustafel";

    private const string BearerPrefix = "Bearer ";
    internal const string MissingKey = "an API key is required: send 'Authorization: Bearer <key>'";
    internal const string NotBearer = "the Authorization header must be 'Bearer <key>'";
    internal const string Malformed = "the bearer token is not a GeoRisk API key";
    internal const string UnknownOrRevoked = "the API key is unknown or has been revoked";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }
        if (headers.Count > 1)
        {
            return AuthenticateResult.Fail(NotBearer);
        }
        var header = headers[0] ?? "";
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail(NotBearer);
        }
        if (!ApiKey.TryParse(header[BearerPrefix.Length..].Trim(), out var key))
        {
            return AuthenticateResult.Fail(Malformed);
        }
        var record = await keys.FindAsync(key.Id, Context.RequestAborted);
        // Unknown ids are verified too (against a decoy): same work, same answer time.
        var client = Context.Connection.RemoteIpAddress?.ToString() ?? "";
        if (!verifier.Verify(key, record?.Hash, record?.Revoked ?? false, client, out _) || record is null)
        {
            return AuthenticateResult.Fail(UnknownOrRevoked);
        }

        var scope = record.Scope;
        Context.Features.Set(new CallerIdentity(key.Id, scope));
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.Id),
            new(ClaimTypes.Role, record.Role.Name()),
        };
        claims.AddRange(record.Casustafels.Select(c => new Claim(CasustafelClaim, c)));
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.NameIdentifier, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"georisk\"";
        await WriteProblemAsync("API key required", result.Failure?.Message ?? MissingKey);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var role = Context.User.FindFirstValue(ClaimTypes.Role) ?? "unknown";
        await WriteProblemAsync("Role not allowed", $"a key with role '{role}' may not use this endpoint");
    }

    private async Task WriteProblemAsync(string title, string detail)
    {
        var problem = new ProblemDetails { Status = Response.StatusCode, Title = title, Detail = detail };
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem }))
        {
            await Response.WriteAsJsonAsync(problem, Context.RequestAborted);
        }
    }
}
