using System.Globalization;
using System.Threading.RateLimiting;
using GeoRisk.Core.Access;
using GeoRisk.Data.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GeoRisk.Api.Access;

public static class AccessExtensions
{
    /// <summary>
    /// API-key authentication, role policies, a fallback policy that requires a key everywhere
    /// (endpoints opt out with <c>AllowAnonymous()</c>), the audit log and per-key rate limiting.
    /// </summary>
    public static IHostApplicationBuilder AddGeoRiskAuth(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.TrustedNetworks().Invalid is null,
                $"{AccessOptions.Section}:TrustedProxies must hold IP addresses or networks in CIDR notation (10.0.0.0/8)")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<AccessOptions>>((forwarded, access) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies: the framework's default (loopback) is not a proxy here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in access.Value.TrustedNetworks().Networks)
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        services.AddSingleton(_ => new ApiKeyVerifier(TimeProvider.System));
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<AuditLog>();
        var auditOptions = new AuditWriterOptions();
        builder.Configuration.GetSection(AuditWriterOptions.Section).Bind(auditOptions);
        services.AddSingleton(auditOptions);
        services.AddSingleton<AuditWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<GeoRisk.Data.Notifications.IDatabaseNotificationSubscriber>(sp => sp.GetRequiredService<ApiKeyCache>());

        // The default OpenAPI document ("v1", registered by AddGeoRiskApi) declares the key scheme.
        services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", o => o.AddDocumentTransformer<BearerSecurityTransformer>());

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.Admin, p => p.RequireRole(AccessPolicies.RolesFor(Role.Admin)))
            .AddPolicy(AccessPolicies.Analyst, p => p.RequireRole(AccessPolicies.RolesFor(Role.Analyst)))
            .AddPolicy(AccessPolicies.Member, p => p.RequireRole(AccessPolicies.RolesFor(Role.Member)))
            .AddPolicy(AccessPolicies.Viewer, p => p.RequireRole(AccessPolicies.RolesFor(Role.Viewer)))
            // Every endpoint without its own policy still needs a valid key of any role.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser().Build());

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<AccessOptions>>().Value;
                // Per key and client address: a key shared by a casustafel's members does not
                // make one busy map starve the others, and a scraper is held to one budget per
                // address. Requests without a valid key share a budget per client address.
                var partition = http.GetCallerKeyId() is { } keyId
                    ? "key:" + keyId + "@" + http.Connection.RemoteIpAddress
                    : "anon:" + http.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitsPerWindow,
                    Window = TimeSpan.FromSeconds(options.WindowSeconds),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var options = http.RequestServices.GetRequiredService<IOptions<AccessOptions>>().Value;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? wait : TimeSpan.FromSeconds(options.WindowSeconds);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problem = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests",
                    Detail = $"more than {options.PermitsPerWindow} requests in {options.WindowSeconds} s for this key from this client; retry after {seconds} s",
                };
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }))
                {
                    await http.Response.WriteAsJsonAsync(problem, ct);
                }
            };
        });
        return builder;
    }

    /// <summary>
    /// The web map's static files (wwwroot; they hold no data) are served first, without a key;
    /// then authentication, the per-key rate limiter (it partitions on the key) and authorization.
    /// </summary>
    public static WebApplication UseGeoRiskAuth(this WebApplication app)
    {
        // The client address that rate limits and key throttling count by: the proxy's view of it
        // when a trusted proxy forwarded the request, else the connection's.
        if (app.Services.GetRequiredService<IOptions<AccessOptions>>().Value.TrustedProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseKeyInUrlGuard();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }
}
