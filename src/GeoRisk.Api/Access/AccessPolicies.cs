using GeoRisk.Core.Access;

namespace GeoRisk.Api.Access;

/// <summary>
/// Authorization policy names. Use them as <c>.RequireAuthorization(AccessPolicies.Member)</c>
/// on an endpoint or group. The roles form a ladder: a policy admits its own role and every
/// role above it. An endpoint without a policy still needs a valid key of any role (the
/// fallback policy); only <c>.AllowAnonymous()</c> endpoints (health, OpenAPI, web map files)
/// are open.
/// </summary>
public static class AccessPolicies
{
    /// <summary>Admins only: keys, audit log.</summary>
    public const string Admin = Roles.Admin;

    /// <summary>Admins and analysts: import, scoring runs, unrestricted exports.</summary>
    public const string Analyst = Roles.Analyst;

    /// <summary>Admins, analysts and members: signal-level data (points, lists), within the caller's scope.</summary>
    public const string Member = Roles.Member;

    /// <summary>Any key: aggregates (suppressed for viewers), reference data, areas within the scope.</summary>
    public const string Viewer = Roles.Viewer;

    /// <summary>The roles a policy admits.</summary>
    public static string[] RolesFor(Role required) =>
        Roles.All.Where(r => r.Satisfies(required)).Select(r => r.Name()).ToArray();
}
