using GeoRisk.Api.Infrastructure;

namespace GeoRisk.Api;

public static class GeoRiskApiExtensions
{
    /// <summary>Problem details, the one exception handler, OpenAPI and request limits.</summary>
    public static IHostApplicationBuilder AddGeoRiskApi(this IHostApplicationBuilder builder)
    {
        // Problem details carry a trace_id (added by the framework) that matches the log; nothing else is echoed.
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<GeoRiskExceptionHandler>();
        builder.AddGeoRiskEdgeProtection();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        return builder;
    }

    public static WebApplication UseGeoRiskApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Empty 4xx/5xx responses (unknown route, wrong method) become problem details too.
        app.UseStatusCodePages();
        // Security headers on every response; bad characters and oversized requests stop here.
        app.UseGeoRiskEdgeProtection();
        app.MapOpenApi().AllowAnonymous(); // the API description is public; the data is not
        return app;
    }
}
