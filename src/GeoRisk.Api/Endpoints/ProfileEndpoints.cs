using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Scoring;
using GeoRisk.Data.Scoring;
using Npgsql;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// Scoring profiles (docs/scoring.md): every caller may list them (the web map offers them as a
/// list); an admin adds a new version. Stored versions never change.
/// </summary>
public static class ProfileEndpoints
{
    public static IEndpointRouteBuilder MapProfileEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/profiles").WithTags("Scoring profiles").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/", ListProfiles).WithSummary("Every scoring profile version: name, version, model, description, params");
        group.MapGet("/{name}", GetProfile).WithSummary("The versions of one scoring profile");
        group.MapPost("/", CreateProfile).RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Store a new version of a scoring profile (version = highest + 1); params are validated key by key");
        return app;
    }

    /// <summary>Body of POST /api/profiles.</summary>
    public sealed record ProfileRequest(string? Name, string? Description, System.Text.Json.JsonElement? Params);

    internal static async Task<Ok<IReadOnlyList<ProfileVersion>>> ListProfiles(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        TypedResults.Ok(await new ProfileStore(dataSource).ListAsync(null, cancellationToken));

    internal static async Task<Results<Ok<IReadOnlyList<ProfileVersion>>, ProblemHttpResult>> GetProfile(
        NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        var versions = await new ProfileStore(dataSource).ListAsync(name, cancellationToken);
        return versions.Count == 0
            ? Problems.NotFound("There is no scoring profile with that name; GET /api/profiles lists them.")
            : TypedResults.Ok(versions);
    }

    internal static async Task<Results<Created<ProfileVersion>, ProblemHttpResult>> CreateProfile(
        NpgsqlDataSource dataSource, ProfileRequest? request, CancellationToken cancellationToken)
    {
        if (request?.Name is not { } name || !System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9][a-z0-9-]{0,63}$"))
            return Problems.BadRequest("Invalid profile", "'name' must be 1-64 characters a-z, 0-9 and '-', starting with a letter or digit.");
        if (request.Description is { Length: > 500 })
            return Problems.BadRequest("Invalid profile", "'description' may be at most 500 characters.");
        if (request.Params is not { ValueKind: System.Text.Json.JsonValueKind.Object } parameters)
            return Problems.BadRequest("Invalid profile", "'params' must be an object with the profile's keys (docs/scoring.md).");
        var store = new ProfileStore(dataSource);
        var errors = ProfileValidator.Validate(parameters.GetRawText(), await store.CategoriesAsync(cancellationToken));
        if (errors.Count > 0)
            return Problems.BadRequest("Invalid profile",
                $"'params.{errors[0].Key}' {errors[0].Message}{(errors.Count > 1 ? $" (and {errors.Count - 1} more)" : "")}.",
                new Dictionary<string, object?> { ["errors"] = errors.Select(e => new { key = $"params.{e.Key}", message = e.Message }).ToList() });
        var created = await store.CreateAsync(name, request.Description ?? "", parameters.GetRawText(), cancellationToken);
        return TypedResults.Created($"/api/profiles/{created.Name}", created);
    }
}
