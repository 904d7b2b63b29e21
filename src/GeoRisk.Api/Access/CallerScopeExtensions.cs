using GeoRisk.Core.Access;

namespace GeoRisk.Api.Access;

public static class CallerScopeExtensions
{
    /// <summary>The caller's reach. Until access control (issue 6) is configured every caller is unrestricted.</summary>
    public static CallerScope GetCallerScope(this HttpContext httpContext) =>
        httpContext.Items.TryGetValue(typeof(CallerScope), out var scope) && scope is CallerScope known ? known : CallerScope.Unrestricted;
}
