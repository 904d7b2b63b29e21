using GeoRisk.Core.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GeoRisk.Api.Access;

/// <summary>
/// Refuses a request that carries an API key in its URL (a <c>grk_</c> token anywhere in the
/// query, or a parameter named like a credential): URLs end up in proxy logs, browser histories
/// and QGIS project files. GIS clients send the key as a header instead (QGIS "API header"
/// authentication, GDAL_HTTP_HEADERS). The answer never repeats the URL.
/// </summary>
public static class KeyInUrlGuard
{
    private static readonly string[] CredentialNames = ["api_key", "apikey", "api-key", "token", "access_token", "authorization"];

    public static IApplicationBuilder UseKeyInUrlGuard(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (CarriesKey(http.Request))
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "API key in URL",
                        Detail = "API keys are not accepted in URLs (they end up in logs); send the header 'Authorization: Bearer <key>'. "
                                 + "QGIS: an authentication configuration of type 'API Header'; GDAL: GDAL_HTTP_HEADERS.",
                    },
                });
                return;
            }
            await next(http);
        });

    internal static bool CarriesKey(HttpRequest request)
    {
        if (!request.QueryString.HasValue) return false;
        if (request.QueryString.Value!.Contains(ApiKey.Prefix, StringComparison.OrdinalIgnoreCase)) return true;
        foreach (var name in CredentialNames)
        {
            if (request.Query.ContainsKey(name)) return true;
        }
        return false;
    }
}
