using GeoRisk.Api.Infrastructure;

namespace GeoRisk.Api;

public static class GeoRiskApiExtensions
{
    /// <summary>Problem details, the one exception handler, OpenAPI and request limits.</summary>
    public static IHostApplicationBuilder AddGeoRiskApi(this IHostApplicationBuilder builder)
    {
        // Problem details carry a trace_id (added by the framework) that matches the log; nothing else is echoed.
        // Each also carries a stable `code` that the web map translates (ProblemCodes).
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context => ProblemCodes.Apply(context.ProblemDetails));
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
        var reads = app.Services.GetRequiredService<GeoRisk.Data.ReadRouting>();
        if (reads.Replica is not null)
        {
            // A write's answer starts only after this node noted it, so the writer's next read on
            // this node never comes from a replica without it (other nodes hear the NOTIFY).
            app.Use((context, next) =>
            {
                var method = context.Request.Method;
                if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method))
                {
                    context.Response.OnStarting(() => reads.NoteWriteAsync(CancellationToken.None));
                }
                return next(context);
            });
        }
        app.MapOpenApi().AllowAnonymous(); // the API description is public; the data is not
        return app;
    }
}
