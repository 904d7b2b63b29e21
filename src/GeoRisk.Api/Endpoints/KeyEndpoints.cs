using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Access;
using GeoRisk.Data.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoRisk.Api.Endpoints;

/// <summary>API keys, admins only. A created key's token is in the response once and nowhere else.</summary>
public static class KeyEndpoints
{
    public sealed record CreateKeyRequest(string? Role, string[]? Casustafels, string? Label);

    /// <summary>The created key: <see cref="Key"/> is the bearer token, shown this once.</summary>
    public sealed record CreatedKeyResponse(string Key, ApiKeyInfo Info);

    public sealed record RevokedKeyResponse(string Id, DateTime RevokedAt);

    /// <summary>What the calling key may do and see (for the web map and for checking a key).</summary>
    public sealed record CallerInfo(string KeyId, string Role, IReadOnlyList<string>? Casustafels, bool Suppressed, int SuppressionK);

    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder app)
    {
        // Any valid key (fallback policy): a caller may always see its own scope.
        app.MapGet("/api/me", GetMe).WithTags("Access").WithName("GetMe")
            .WithSummary("The calling key: id, role, casustafels (null = all areas), suppression and k");

        var keys = app.MapGroup("/api/keys").WithTags("Access").RequireAuthorization(AccessPolicies.Admin);
        keys.MapGet("/", ListKeys).WithName("ListKeys").WithSummary("List API keys (ids, roles, casustafels; never secrets)");
        keys.MapPost("/", CreateKey).WithName("CreateKey").WithSummary("Create an API key; the response holds the key once");
        keys.MapPost("/{id}/revoke", RevokeKey).WithName("RevokeKey").WithSummary("Revoke an API key; it stops working at once");
        return app;
    }

    public static Ok<CallerInfo> GetMe(HttpContext http)
    {
        var scope = http.GetCallerScope();
        return TypedResults.Ok(new CallerInfo(http.GetCallerKeyId() ?? "", scope.Role, scope.Casustafels, scope.Suppressed, scope.SuppressionK));
    }

    public static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> ListKeys(
        ApiKeyStore store, CancellationToken ct, bool includeRevoked = false) =>
        TypedResults.Ok(await store.ListAsync(includeRevoked, ct));

    public static async Task<Results<Created<CreatedKeyResponse>, ProblemHttpResult>> CreateKey(
        CreateKeyRequest request, HttpContext http, ApiKeyStore store, AuditLog audit, CancellationToken ct)
    {
        if (!Roles.TryParse(request.Role, out var role))
        {
            return Problems.BadRequest("Invalid role", "role must be one of admin, analyst, member, viewer");
        }
        CreatedApiKey created;
        try
        {
            created = await store.CreateAsync(role, request.Casustafels ?? [], request.Label ?? "", ct);
        }
        catch (ApiKeyRequestException e)
        {
            return Problems.BadRequest("Invalid key request", e.Message);
        }
        await audit.WriteAsync(http, new AuditRead(1) { Endpoint = $"POST /api/keys ({created.Info.Id})" });
        return TypedResults.Created($"/api/keys/{created.Info.Id}", new CreatedKeyResponse(created.Key.Token, created.Info));
    }

    public static async Task<Results<Ok<RevokedKeyResponse>, ProblemHttpResult>> RevokeKey(
        string id, HttpContext http, ApiKeyStore store, ApiKeyVerifier verifier, ApiKeyCache keys, AuditLog audit, CancellationToken ct)
    {
        var revokedAt = ApiKey.IsKeyId(id) ? await store.RevokeAsync(id, ct) : null;
        if (revokedAt is null)
        {
            return Problems.NotFound("no API key with that id");
        }
        // This node refuses the key at once; the others when the database's notification arrives.
        keys.Invalidate(id);
        verifier.Forget(id);
        await audit.WriteAsync(http, new AuditRead(1) { Endpoint = $"POST /api/keys/{{id}}/revoke ({id})" });
        return TypedResults.Ok(new RevokedKeyResponse(id, revokedAt.Value));
    }
}
