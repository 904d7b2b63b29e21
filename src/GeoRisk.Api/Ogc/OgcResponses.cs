using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GeoRisk.Api.Ogc;

/// <summary>What an OGC API resource is answered as: JSON (default) or HTML (<c>f=html</c>, or a browser's Accept).</summary>
public enum OgcFormat { Json, Html }

/// <summary>Links, format negotiation and the small HTML rendering shared by the OGC API endpoint groups.</summary>
internal static class OgcResponses
{
    public const string Json = "application/json";
    public const string GeoJson = "application/geo+json";
    public const string Html = "text/html";
    public const string OpenApi30 = "application/vnd.oai.openapi+json;version=3.0";

    // Links carry & and + (query strings, media types): relaxed escaping keeps them readable; the content type is JSON, never HTML.
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The format asked for; null with an error text when <c>f</c> names something else.</summary>
    public static (OgcFormat Format, string? Error) Negotiate(HttpRequest request, bool geoJson = false)
    {
        var f = request.Query["f"].LastOrDefault();
        if (f is not null)
        {
            return f.ToLowerInvariant() switch
            {
                "json" or "geojson" or "application/json" or "application/geo+json" => (OgcFormat.Json, null),
                "html" or "text/html" => (OgcFormat.Html, null),
                _ => (OgcFormat.Json, $"f must be json{(geoJson ? " (GeoJSON)" : "")} or html"),
            };
        }
        // A browser asks for HTML first; GIS clients ask for JSON (or anything).
        var accept = request.Headers.Accept.ToString();
        var html = accept.IndexOf("text/html", StringComparison.OrdinalIgnoreCase);
        var json = accept.IndexOf("json", StringComparison.OrdinalIgnoreCase);
        return (html >= 0 && (json < 0 || html < json) ? OgcFormat.Html : OgcFormat.Json, null);
    }

    /// <summary>Base URL of the OGC API (<c>…/ogc</c>) as this request reached the server.</summary>
    public static string Root(HttpContext c) => $"{c.Request.Scheme}://{c.Request.Host}{c.Request.PathBase}/ogc";

    public static JsonObject Link(string href, string rel, string type, string? title = null, bool templated = false)
    {
        var link = new JsonObject { ["href"] = href, ["rel"] = rel, ["type"] = type };
        if (title is not null) link["title"] = title;
        if (templated) link["templated"] = true;
        return link;
    }

    /// <summary>"self" and "alternate" links of a resource offered as JSON (or GeoJSON) and HTML.</summary>
    public static JsonArray SelfLinks(string url, OgcFormat format, string jsonType = Json)
    {
        var sep = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var json = Link($"{url}{sep}f=json", format == OgcFormat.Json ? "self" : "alternate", jsonType, "this document as JSON");
        var html = Link($"{url}{sep}f=html", format == OgcFormat.Html ? "self" : "alternate", Html, "this document as HTML");
        return format == OgcFormat.Json ? [json, html] : [html, json];
    }

    public static IResult JsonResult(JsonNode body, string contentType = Json) =>
        TypedResults.Text(body.ToJsonString(JsonOptions), contentType, Encoding.UTF8);

    /// <summary>
    /// A plain HTML page of a JSON resource: its title and description, its links, and a table of
    /// features for a FeatureCollection. Everything is encoded; nothing runs in the page.
    /// </summary>
    public static IResult HtmlResult(string title, JsonNode body)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
          .Append(E(title)).Append(" – GeoRisk OGC API</title>")
          .Append("<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}</style>")
          .Append("</head><body><h1>").Append(E(title)).Append("</h1>");
        if (body["description"]?.GetValue<string>() is { } description) sb.Append("<p>").Append(E(description)).Append("</p>");
        if (body["links"] is JsonArray links)
        {
            sb.Append("<h2>Links</h2><ul>");
            foreach (var l in links.OfType<JsonObject>())
            {
                var href = l["href"]?.GetValue<string>() ?? "";
                var text = l["title"]?.GetValue<string>() ?? l["rel"]?.GetValue<string>() ?? href;
                sb.Append("<li><a href=\"").Append(E(href)).Append("\">").Append(E(text)).Append("</a> <small>(")
                  .Append(E(l["rel"]?.GetValue<string>() ?? "")).Append(", ").Append(E(l["type"]?.GetValue<string>() ?? "")).Append(")</small></li>");
            }
            sb.Append("</ul>");
        }
        if (body["collections"] is JsonArray collections)
        {
            sb.Append("<h2>Collections</h2><ul>");
            foreach (var c in collections.OfType<JsonObject>())
            {
                var self = (c["links"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(l => l["rel"]?.GetValue<string>() == "self")?["href"]?.GetValue<string>() ?? "";
                sb.Append("<li><a href=\"").Append(E(HtmlUrl(self))).Append("\">").Append(E(c["title"]?.GetValue<string>() ?? "")).Append("</a> – ")
                  .Append(E(c["description"]?.GetValue<string>() ?? "")).Append("</li>");
            }
            sb.Append("</ul>");
        }
        if (body["conformsTo"] is JsonArray conformsTo)
        {
            sb.Append("<h2>Conformance classes</h2><ul>");
            foreach (var c in conformsTo) sb.Append("<li>").Append(E(c?.GetValue<string>() ?? "")).Append("</li>");
            sb.Append("</ul>");
        }
        if (body["features"] is JsonArray features) FeatureTable(sb, features);
        else if (body["type"]?.GetValue<string>() == "Feature") FeatureTable(sb, [body.DeepClone()]);
        sb.Append("</body></html>");
        return TypedResults.Content(sb.ToString(), Html, Encoding.UTF8);
    }

    private static void FeatureTable(StringBuilder sb, JsonArray features)
    {
        var columns = features.OfType<JsonObject>().SelectMany(f => (f["properties"] as JsonObject)?.Select(p => p.Key) ?? []).Distinct().ToList();
        sb.Append("<h2>Features (").Append(features.Count.ToString(CultureInfo.InvariantCulture)).Append(")</h2><table><tr><th>id</th>");
        foreach (var c in columns) sb.Append("<th>").Append(E(c)).Append("</th>");
        sb.Append("</tr>");
        foreach (var f in features.OfType<JsonObject>())
        {
            sb.Append("<tr><td>").Append(E(f["id"]?.ToJsonString() ?? "")).Append("</td>");
            var props = f["properties"] as JsonObject;
            foreach (var c in columns)
            {
                var v = props?[c];
                sb.Append("<td>").Append(E(v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "")).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</table>");
    }

    private static string HtmlUrl(string url) => url.Replace("f=json", "f=html", StringComparison.Ordinal);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
