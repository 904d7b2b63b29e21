using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GeoRisk.Api.Access;

/// <summary>
/// Declares the API-key bearer scheme in the OpenAPI document and requires it on every
/// operation except the anonymous health check, so generated clients and Swagger-style UIs
/// send <c>Authorization: Bearer grk_…</c>.
/// </summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    private const string SchemeId = "GeoRiskApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "grk_<key id>_<secret>",
            Description = "GeoRisk API key (docs/access.md). Create one with `georisk keys create`.",
        };
        foreach (var (path, item) in document.Paths)
        {
            if (path == "/health" || item.Operations is null)
            {
                continue;
            }
            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] });
            }
        }
        return Task.CompletedTask;
    }
}
