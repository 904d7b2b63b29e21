using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Api.Ogc;
using GeoRisk.Core.Ogc;
using GeoRisk.Data.Ogc;
using Microsoft.AspNetCore.Http.Extensions;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// OGC API – Features (Part 1 Core with GeoJSON, HTML and OpenAPI 3.0; Part 2 CRS by reference;
/// Part 3 queryables and CQL2-text filters) under <c>/ogc</c>, so QGIS, ArcGIS and GDAL add
/// GeoRisk as a layer unmodified. Every read takes the caller's scope and is audited; the
/// signal-level collection exists only for callers that see signal locations.
/// </summary>
public static class OgcFeaturesEndpoints
{
    public const string GroupName = "ogc";

    internal static readonly string[] ConformsTo =
    [
        "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
        "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
        "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
        "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
        "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
    ];

    public static IEndpointRouteBuilder MapOgcFeaturesEndpoints(this IEndpointRouteBuilder app)
    {
        var ogc = app.MapGroup("/ogc").WithTags("OGC API").WithGroupName(GroupName).RequireAuthorization(AccessPolicies.Viewer);
        ogc.MapGet("/", Landing).WithSummary("OGC API landing page: links to the API description, conformance, collections and tile matrix sets");
        ogc.MapGet("/conformance", Conformance).WithSummary("Conformance classes this API implements");
        ogc.MapGet("/api", (HttpContext c) => TypedResults.Redirect($"{c.Request.PathBase}/openapi/{GroupName}.json"))
            .WithSummary("The API description (OpenAPI 3.0)");
        ogc.MapGet("/collections", Collections).WithSummary("The feature collections the caller can see");
        ogc.MapGet("/collections/{collectionId}", Collection).WithSummary("One collection: extent, CRSs, links to items, queryables and tiles");
        ogc.MapGet("/collections/{collectionId}/queryables", Queryables).WithSummary("The properties a filter may name (JSON Schema)");
        ogc.MapGet("/collections/{collectionId}/items", Items)
            .WithSummary("Features: bbox, bbox-crs, datetime, limit, crs, filter (CQL2-text), property=value; 'next' links page");
        ogc.MapGet("/collections/{collectionId}/items/{featureId}", Item).WithSummary("One feature");
        return app;
    }

    internal static IResult Landing(HttpContext http)
    {
        var (format, error) = OgcResponses.Negotiate(http.Request);
        if (error is not null) return Problems.BadRequest("Invalid format", error);
        var root = OgcResponses.Root(http);
        var links = OgcResponses.SelfLinks(root, format);
        links.Add(OgcResponses.Link($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/openapi/{GroupName}.json", "service-desc", OgcResponses.OpenApi30, "API description (OpenAPI 3.0)"));
        links.Add(OgcResponses.Link($"{root}/conformance", "conformance", OgcResponses.Json, "Conformance classes"));
        links.Add(OgcResponses.Link($"{root}/conformance", "http://www.opengis.net/def/rel/ogc/1.0/conformance", OgcResponses.Json, "Conformance classes"));
        links.Add(OgcResponses.Link($"{root}/collections", "data", OgcResponses.Json, "Collections"));
        links.Add(OgcResponses.Link($"{root}/collections", "http://www.opengis.net/def/rel/ogc/1.0/data", OgcResponses.Json, "Collections"));
        links.Add(OgcResponses.Link($"{root}/tileMatrixSets", "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", OgcResponses.Json, "Tile matrix sets"));
        links.Add(OgcResponses.Link($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/tiles", "alternate", OgcResponses.Json, "XYZ tiles and TileJSON (GeoRisk)"));
        var body = new JsonObject
        {
            ["title"] = "GeoRisk",
            ["description"] = "Non-personal signals of organised crime aggregated by area: areas, risk scores, hot spots, cameras, incidents. Send the API key as 'Authorization: Bearer grk_…'.",
            ["links"] = links,
        };
        return format == OgcFormat.Html ? OgcResponses.HtmlResult("GeoRisk", body) : OgcResponses.JsonResult(body);
    }

    internal static IResult Conformance(HttpContext http)
    {
        var (format, error) = OgcResponses.Negotiate(http.Request);
        if (error is not null) return Problems.BadRequest("Invalid format", error);
        var body = new JsonObject
        {
            ["conformsTo"] = new JsonArray(ConformsTo.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
            ["links"] = OgcResponses.SelfLinks($"{OgcResponses.Root(http)}/conformance", format),
        };
        return format == OgcFormat.Html ? OgcResponses.HtmlResult("Conformance", body) : OgcResponses.JsonResult(body);
    }

    internal static async Task<IResult> Collections(HttpContext http, OgcCatalogue catalogue, OgcFeatureStore store)
    {
        var (format, error) = OgcResponses.Negotiate(http.Request);
        if (error is not null) return Problems.BadRequest("Invalid format", error);
        var scope = http.GetCallerScope();
        var collections = await catalogue.ForAsync(scope, http.RequestAborted);
        var array = new JsonArray();
        foreach (var c in collections) array.Add(await CollectionJsonAsync(http, store, c, withExtent: false));
        var body = new JsonObject
        {
            ["links"] = OgcResponses.SelfLinks($"{OgcResponses.Root(http)}/collections", format),
            ["collections"] = array,
        };
        return format == OgcFormat.Html ? OgcResponses.HtmlResult("Collections", body) : OgcResponses.JsonResult(body);
    }

    internal static async Task<IResult> Collection(HttpContext http, OgcCatalogue catalogue, OgcFeatureStore store, string collectionId)
    {
        var (format, error) = OgcResponses.Negotiate(http.Request);
        if (error is not null) return Problems.BadRequest("Invalid format", error);
        if (await catalogue.FindAsync(collectionId, http.GetCallerScope(), http.RequestAborted) is not { } c)
            return UnknownCollection(collectionId);
        var body = await CollectionJsonAsync(http, store, c, withExtent: true);
        // The listing's single self link gives way to self + alternate in the asked format.
        var links = (JsonArray)body["links"]!;
        links.RemoveAt(0);
        var self = OgcResponses.SelfLinks($"{OgcResponses.Root(http)}/collections/{c.Id}", format);
        for (var i = self.Count - 1; i >= 0; i--) links.Insert(0, self[i]!.DeepClone());
        return format == OgcFormat.Html ? OgcResponses.HtmlResult(c.Title, body) : OgcResponses.JsonResult(body);
    }

    internal static async Task<IResult> Queryables(HttpContext http, OgcCatalogue catalogue, string collectionId)
    {
        var (format, error) = OgcResponses.Negotiate(http.Request);
        if (error is not null) return Problems.BadRequest("Invalid format", error);
        if (await catalogue.FindAsync(collectionId, http.GetCallerScope(), http.RequestAborted) is not { } c)
            return UnknownCollection(collectionId);
        var url = $"{OgcResponses.Root(http)}/collections/{c.Id}/queryables";
        var properties = new JsonObject();
        foreach (var q in c.Properties) properties[q.Name] = QueryableSchema(q);
        var body = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = url,
            ["type"] = "object",
            ["title"] = c.Title,
            ["description"] = $"Properties of '{c.Id}' that filter (CQL2-text) and property=value parameters may name",
            ["properties"] = properties,
            ["additionalProperties"] = false,
            ["links"] = OgcResponses.SelfLinks(url, format, "application/schema+json"),
        };
        return format == OgcFormat.Html ? OgcResponses.HtmlResult($"Queryables of {c.Title}", body) : OgcResponses.JsonResult(body, "application/schema+json");
    }

    internal static async Task<IResult> Items(HttpContext http, OgcCatalogue catalogue, OgcFeatureStore store, AuditLog audit, string collectionId)
    {
        var (format, formatError) = OgcResponses.Negotiate(http.Request, geoJson: true);
        var scope = http.GetCallerScope();
        if (await catalogue.FindAsync(collectionId, scope, http.RequestAborted) is not { } c)
            return UnknownCollection(collectionId);
        var q = http.Request.Query;
        var (query, errors) = OgcItemsQuery.Parse(name => q.TryGetValue(name, out var v) ? v.LastOrDefault() : null);
        if (formatError is not null) errors["f"] = formatError;
        var equals = new List<(OgcProperty, CqlValue)>();
        foreach (var (name, values) in q)
        {
            if (OgcItemsQuery.Names.Contains(name)) continue;
            if (!c.Queryables.TryGetValue(name, out var property))
            {
                errors[Short(name)] = $"unknown parameter; items take {string.Join(", ", OgcItemsQuery.Names.Order(StringComparer.Ordinal))} and the queryables of '{c.Id}' ({string.Join(", ", c.Queryables.Keys)})";
                continue;
            }
            if (ParseValue(property, values.LastOrDefault() ?? "") is { } value) equals.Add((property, value));
            else errors[name] = $"'{name}' is a property of type {property.Type}; the value does not parse as one";
        }
        if (query.Datetime is not null && c.Temporal is null)
            errors["datetime"] = $"collection '{c.Id}' has no time property to filter on";
        if (errors.Count > 0)
            return Problems.BadRequest("Invalid items request", string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}")),
                new Dictionary<string, object?> { ["errors"] = errors });

        OgcPage page;
        try
        {
            page = await store.ItemsAsync(c, query, query.Filter, equals, scope, http.RequestAborted);
        }
        catch (CqlException e)
        {
            return Problems.BadRequest("Invalid filter", $"filter: {e.Message}",
                new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string> { ["filter"] = e.Message }, ["position"] = e.Position });
        }
        http.Response.RegisterForDisposeAsync(page);
        await audit.WriteAsync(http, new AuditRead(page.Count) { Layer = "ogc:" + c.Id });

        var links = ItemsLinks(http, c, query, page, format);
        http.Response.Headers["Content-Crs"] = $"<{query.Crs.Uri}>";
        var stamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (format == OgcFormat.Html)
        {
            var body = new JsonObject
            {
                ["type"] = "FeatureCollection",
                ["description"] = $"{page.Count} features of '{c.Title}' (coordinates in {query.Crs.Label})",
                ["links"] = links,
                ["features"] = JsonNode.Parse(await page.ToJsonArrayAsync(http.RequestAborted)),
            };
            return OgcResponses.HtmlResult(c.Title, body);
        }
        return new FeatureCollectionResult(page, links.ToJsonString(OgcResponses.JsonOptions), stamp, query.Crs);
    }

    internal static async Task<IResult> Item(HttpContext http, OgcCatalogue catalogue, OgcFeatureStore store, AuditLog audit, string collectionId, string featureId)
    {
        var (format, error) = OgcResponses.Negotiate(http.Request, geoJson: true);
        if (error is not null) return Problems.BadRequest("Invalid format", error);
        var scope = http.GetCallerScope();
        if (await catalogue.FindAsync(collectionId, scope, http.RequestAborted) is not { } c)
            return UnknownCollection(collectionId);
        var crs = OgcCrs.Crs84;
        if (http.Request.Query["crs"].LastOrDefault() is { } crsText)
        {
            if (OgcCrs.Parse(crsText) is not { } parsed)
                return Problems.BadRequest("Invalid items request", $"crs must be one of: {string.Join(", ", OgcCrs.Supported.Select(s => s.Uri))}");
            crs = parsed;
        }
        var feature = await store.ItemAsync(c, featureId, crs, scope, http.RequestAborted);
        await audit.WriteAsync(http, new AuditRead(feature is null ? 0 : 1)
        {
            Layer = "ogc:" + c.Id,
            Area = c.Source == OgcCollections.Areas.Source || c.Id == OgcCollections.Scores.Id ? Short(featureId) : null,
        });
        // Outside the caller's reach and non-existent look the same.
        if (feature is null) return Problems.NotFound($"No feature '{Short(featureId)}' in collection '{c.Id}'.");
        http.Response.Headers["Content-Crs"] = $"<{crs.Uri}>";
        var node = JsonNode.Parse(feature)!.AsObject();
        var self = $"{OgcResponses.Root(http)}/collections/{c.Id}/items/{Uri.EscapeDataString(featureId)}";
        var links = OgcResponses.SelfLinks(crs == OgcCrs.Crs84 ? self : $"{self}?crs={Uri.EscapeDataString(crs.Uri)}", format, OgcResponses.GeoJson);
        links.Add(OgcResponses.Link($"{OgcResponses.Root(http)}/collections/{c.Id}", "collection", OgcResponses.Json, c.Title));
        node["links"] = links;
        return format == OgcFormat.Html ? OgcResponses.HtmlResult($"{c.Title}: {featureId}", node) : OgcResponses.JsonResult(node, OgcResponses.GeoJson);
    }

    private static JsonArray ItemsLinks(HttpContext http, OgcCollection c, OgcItemsQuery query, OgcPage page, OgcFormat format)
    {
        // The request's own parameters (minus paging and format) carry into self, alternate and next.
        var kept = http.Request.Query.Where(p => p.Key is not ("offset" or "f" or "limit"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))).ToList();
        var baseUrl = $"{OgcResponses.Root(http)}/collections/{c.Id}/items";
        string Url(int offset, string f)
        {
            var qb = new QueryBuilder(kept) { { "limit", query.Limit.ToString(CultureInfo.InvariantCulture) } };
            if (offset > 0) qb.Add("offset", offset.ToString(CultureInfo.InvariantCulture));
            qb.Add("f", f);
            return baseUrl + qb.ToQueryString();
        }
        var links = new JsonArray
        {
            OgcResponses.Link(Url(query.Offset, "json"), format == OgcFormat.Json ? "self" : "alternate", OgcResponses.GeoJson, "this page as GeoJSON"),
            OgcResponses.Link(Url(query.Offset, "html"), format == OgcFormat.Html ? "self" : "alternate", OgcResponses.Html, "this page as HTML"),
            OgcResponses.Link($"{OgcResponses.Root(http)}/collections/{c.Id}", "collection", OgcResponses.Json, c.Title),
        };
        if (page.HasMore)
            links.Add(OgcResponses.Link(Url(query.Offset + query.Limit, format == OgcFormat.Html ? "html" : "json"), "next",
                format == OgcFormat.Html ? OgcResponses.Html : OgcResponses.GeoJson, "next page"));
        if (query.Offset > 0)
            links.Add(OgcResponses.Link(Url(Math.Max(0, query.Offset - query.Limit), format == OgcFormat.Html ? "html" : "json"), "prev",
                format == OgcFormat.Html ? OgcResponses.Html : OgcResponses.GeoJson, "previous page"));
        return links;
    }

    private static async Task<JsonObject> CollectionJsonAsync(HttpContext http, OgcFeatureStore store, OgcCollection c, bool withExtent)
    {
        var root = OgcResponses.Root(http);
        var url = $"{root}/collections/{c.Id}";
        var links = new JsonArray
        {
            OgcResponses.Link($"{url}?f=json", "self", OgcResponses.Json, c.Title),
            OgcResponses.Link($"{url}/items?f=json", "items", OgcResponses.GeoJson, "features as GeoJSON"),
            OgcResponses.Link($"{url}/items?f=html", "items", OgcResponses.Html, "features as HTML"),
            OgcResponses.Link($"{url}/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "queryables"),
        };
        if (c.TileLayer is not null)
            links.Add(OgcResponses.Link($"{url}/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", OgcResponses.Json, "vector tile sets"));
        var body = new JsonObject
        {
            ["id"] = c.Id,
            ["title"] = c.Title,
            ["description"] = c.Description,
            ["itemType"] = "feature",
            ["links"] = links,
            ["crs"] = new JsonArray(OgcCrs.Supported.Select(s => (JsonNode)JsonValue.Create(s.Uri)).ToArray()),
            ["storageCrs"] = OgcCrs.RdNew.Uri,
        };
        if (withExtent)
        {
            var extent = await store.ExtentAsync(c, http.GetCallerScope(), http.RequestAborted);
            var e = new JsonObject();
            if (extent.Bbox is { } b)
                e["spatial"] = new JsonObject { ["bbox"] = new JsonArray(new JsonArray(b.Select(v => (JsonNode)JsonValue.Create(v)).ToArray())), ["crs"] = OgcCrs.Crs84.Uri };
            if (c.Temporal is not null)
                e["temporal"] = new JsonObject
                {
                    ["interval"] = new JsonArray(new JsonArray(Instant(extent.Start), Instant(extent.End))),
                    ["trs"] = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
                };
            body["extent"] = e;
        }
        return body;

        static JsonNode? Instant(DateTimeOffset? t) => t is { } v ? JsonValue.Create(v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)) : null;
    }

    private static JsonObject QueryableSchema(OgcProperty q)
    {
        var s = new JsonObject { ["description"] = q.Description };
        switch (q.Type)
        {
            case QueryableType.Text: s["type"] = "string"; break;
            case QueryableType.Number: s["type"] = "number"; break;
            case QueryableType.WholeNumber: s["type"] = "integer"; break;
            case QueryableType.Boolean: s["type"] = "boolean"; break;
            case QueryableType.Date: s["type"] = "string"; s["format"] = "date"; break;
            default: s["type"] = "string"; s["format"] = "date-time"; break;
        }
        return s;
    }

    private static CqlValue? ParseValue(OgcProperty q, string text) => q.Type switch
    {
        QueryableType.Text => new CqlValue(q.Type, text),
        QueryableType.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => new CqlValue(q.Type, d),
        QueryableType.WholeNumber when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => new CqlValue(q.Type, l),
        QueryableType.Boolean when bool.TryParse(text, out var b) => new CqlValue(q.Type, b),
        QueryableType.Date when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) => new CqlValue(q.Type, date),
        QueryableType.Timestamp when text.Contains('T', StringComparison.Ordinal) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            => new CqlValue(q.Type, t.ToUniversalTime()),
        _ => null,
    };

    internal static ProblemHttpResult UnknownCollection(string id) =>
        Problems.NotFound($"No collection '{Short(id)}'; GET /ogc/collections lists the collections this key can see.");

    private static string Short(string s) => s.Length > 64 ? s[..64] + "…" : s;

    /// <summary>
    /// A GeoJSON FeatureCollection written straight to the response: the features are the UTF-8
    /// bytes PostGIS writes, copied from the connection to the response as they arrive, so nothing
    /// is decoded, parsed or re-serialised on the way and the first features leave while the
    /// database still writes the last ones.
    /// </summary>
    private sealed class FeatureCollectionResult(OgcPage page, string links, string timeStamp, OgcCrs crs) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = OgcResponses.GeoJson + "; charset=utf-8";
            var head = new StringBuilder()
                .Append("{\"type\":\"FeatureCollection\",\"numberReturned\":").Append(page.Count.ToString(CultureInfo.InvariantCulture))
                .Append(",\"timeStamp\":\"").Append(timeStamp).Append('"');
            // RFC 7946 has no CRS member; for coordinates that are not CRS84, GDAL and QGIS read the
            // GeoJSON 2008 'crs' member (OGC API Features Part 2 puts the CRS in Content-Crs as well).
            if (crs != OgcCrs.Crs84)
                head.Append(",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::").Append(crs.Srid.ToString(CultureInfo.InvariantCulture)).Append("\"}}");
            head.Append(",\"links\":").Append(links).Append(",\"features\":[");
            var writer = response.BodyWriter;
            Encoding.UTF8.GetBytes(head.ToString(), writer);
            await page.WriteFeaturesAsync(writer, httpContext.RequestAborted);
            writer.Write(Tail);
            await writer.FlushAsync(httpContext.RequestAborted);
        }

        private static ReadOnlySpan<byte> Tail => "]}"u8;
    }
}
