using GeoRisk.Api.Access;
using GeoRisk.Api.Endpoints;
using GeoRisk.Data.Ogc;
using Microsoft.OpenApi;

namespace GeoRisk.Api.Ogc;

public static class OgcExtensions
{
    /// <summary>
    /// The OGC API (Features and Tiles under <c>/ogc</c>): its store, its collection catalogue and
    /// its own OpenAPI 3.0 document (<c>/openapi/ogc.json</c>; OGC API Part 1 names 3.0).
    /// </summary>
    public static IHostApplicationBuilder AddGeoRiskOgc(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OgcFeatureStore>();
        builder.Services.AddSingleton<OgcCatalogue>();
        builder.Services.AddOpenApi(OgcFeaturesEndpoints.GroupName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            options.AddDocumentTransformer<BearerSecurityTransformer>();
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapOgcEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapOgcFeaturesEndpoints();
        app.MapOgcTilesEndpoints();
        return app;
    }
}
