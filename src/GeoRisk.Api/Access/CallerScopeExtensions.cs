using GeoRisk.Core.Access;
using Microsoft.AspNetCore.Http;

namespace GeoRisk.Api.Access;

public static class CallerScopeExtensions
{
    /// <summary>
    /// A scope that reaches nothing: what a request without an authenticated key gets if an
    /// anonymous endpoint asks (fail closed; such endpoints should not read scoped data at all).
    /// </summary>
    public static CallerScope Nobody { get; } = new(Roles.Viewer, [], true);

    /// <summary>
    /// The reach of the caller of this request: role, casustafels (null = all areas),
    /// whether its counts are suppressed and with which k. Pass <c>scope.SqlScope</c> as the
    /// <c>text[]</c> scope parameter of every query of signal-level data or aggregates.
    /// </summary>
    public static CallerScope GetCallerScope(this HttpContext httpContext) =>
        httpContext.Features.Get<CallerIdentity>()?.Scope ?? Nobody;

    /// <summary>The public id of the calling key, or null for an anonymous request.</summary>
    public static string? GetCallerKeyId(this HttpContext httpContext) =>
        httpContext.Features.Get<CallerIdentity>()?.KeyId;
}
