using System.Globalization;
using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Access;
using GeoRisk.Data.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoRisk.Api.Endpoints;

/// <summary><c>GET /api/audit</c>, admins only: the audit log, newest first, filtered.</summary>
public static class AuditEndpoints
{
    public sealed record AuditPage(IReadOnlyList<AuditRecord> Items, long? NextBefore);

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", GetAudit)
            .WithTags("Access")
            .WithName("GetAudit")
            .WithSummary("Audit log of scoped reads; filters key, role, endpoint, area, layer, casustafel, from, to; paged with before + limit")
            .RequireAuthorization(AccessPolicies.Admin);
        return app;
    }

    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> GetAudit(
        HttpContext http, AuditStore store, AuditLog audit, CancellationToken ct,
        string? key = null, string? role = null, string? endpoint = null, string? area = null, string? layer = null,
        string? casustafel = null, string? from = null, string? to = null, string? before = null, string? limit = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (key is not null && !ApiKey.IsKeyId(key))
        {
            errors["key"] = ["a key id is 12 lowercase hexadecimal characters"];
        }
        if (role is not null && !Roles.TryParse(role, out _))
        {
            errors["role"] = ["role must be one of admin, analyst, member, viewer"];
        }
        var fromAt = ParseTime(from, "from", errors);
        var toAt = ParseTime(to, "to", errors);
        long? beforeId = null;
        if (before is not null)
        {
            if (long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0)
            {
                beforeId = b;
            }
            else
            {
                errors["before"] = ["before must be a positive audit row id"];
            }
        }
        var pageSize = 100;
        if (limit is not null
            && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= AuditStore.MaxLimit))
        {
            errors["limit"] = [$"limit must be between 1 and {AuditStore.MaxLimit}"];
        }
        if (errors.Count > 0)
        {
            return Problems.BadRequest("Invalid audit filter", string.Join(" ", errors.Values.SelectMany(v => v)),
                new Dictionary<string, object?> { ["errors"] = errors });
        }

        var rows = await store.QueryAsync(
            new AuditFilter(key, role, endpoint, area, layer, casustafel, fromAt, toAt, beforeId, pageSize), ct);
        // Reading the log is itself accounted for.
        await audit.WriteAsync(http, new AuditRead(rows.Count));
        return TypedResults.Ok(new AuditPage(rows, rows.Count == pageSize ? rows[^1].Id : null));
    }

    private static DateTimeOffset? ParseTime(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }
        errors[name] = [$"{name} must be an ISO 8601 date or timestamp, e.g. 2026-11-23 or 2026-11-23T10:00:00Z"];
        return null;
    }
}
