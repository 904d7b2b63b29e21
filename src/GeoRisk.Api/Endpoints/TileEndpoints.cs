using System.Globalization;
using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Access;
using GeoRisk.Core.Areas;
using GeoRisk.Core.Tiles;
using GeoRisk.Tiles;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// Map tiles: catalogue, TileJSON 3.0.0, MVT and PNG tiles, and map cut-outs of an area.
/// Only HTTP lives here — validation, ETag/304, 204, Cache-Control, gzip; layers render.
/// </summary>
public static class TileEndpoints
{
    /// <summary>The Netherlands, as TileJSON bounds (west, south, east, north) and a centre (Amsterdam).</summary>
    private static readonly double[] Bounds = [3.2, 50.7, 7.3, 53.6];
    private static readonly double[] Center = [4.9, 52.37, 11];

    public static IEndpointRouteBuilder MapTileEndpoints(this IEndpointRouteBuilder app)
    {
        // Tiles hold aggregates for viewers (suppressed in the layer SQL) and points for members.
        var tiles = app.MapGroup("/tiles").WithTags("Tiles").RequireAuthorization(AccessPolicies.Viewer);
        tiles.MapGet("/", Catalogue).WithSummary("The tile layers, their zoom ranges, formats and TileJSON links");
        tiles.MapGet("/{layer}.json", TileJson).WithSummary("TileJSON 3.0.0 of a layer (filters given here are carried into the tile URLs)");
        tiles.MapGet("/{layer}/{z}/{x}/{file}", Tile)
            .WithSummary("A tile: {y}.mvt (Mapbox Vector Tile), {y}.png (256 px) or {y}@2x.png (512 px); filters category (repeatable), from, to, profile");
        app.MapGet("/api/areas/{code}/map.png", AreaMap).WithTags("Areas").RequireAuthorization(AccessPolicies.Viewer)
            .WithSummary("PNG map cut-out of an area (width, height 64-2048 px; layers: those of the catalogue marked cutout)");
        return app;
    }

    internal static Ok<Dictionary<string, object>> Catalogue(HttpContext httpContext, TileService service)
    {
        var baseUrl = BaseUrl(httpContext);
        var layers = service.Definitions.Select(l => new Dictionary<string, object?>
        {
            ["id"] = l.Id,
            ["description"] = l.Description,
            ["minzoom"] = l.MinZoom,
            ["maxzoom"] = l.MaxZoom,
            ["formats"] = l.Formats.Select(f => f.Suffix()).ToArray(),
            ["tilejson"] = $"{baseUrl}/tiles/{l.Id}.json",
            ["tiles"] = $"{baseUrl}/tiles/{l.Id}/{{z}}/{{x}}/{{y}}.mvt",
            ["cutout"] = l.InCutout,
            // What the web map needs to list and draw the layer; absent: not on the web map.
            ["web"] = l.WebMap is { } web ? new Dictionary<string, object?>
            {
                ["label"] = new Dictionary<string, string> { ["nl"] = web.LabelNl, ["en"] = web.LabelEn },
                ["visible"] = web.VisibleByDefault,
                ["style"] = web.Style,
            } : null,
        }).ToList();
        return TypedResults.Ok(new Dictionary<string, object> { ["layers"] = layers });
    }

    internal static async Task<Results<Ok<Dictionary<string, object?>>, ProblemHttpResult>> TileJson(
        HttpContext httpContext, TileService service, TileReferenceData reference, string layer)
    {
        var found = service.Find(layer, TileFormat.Mvt);
        if (found is null) return UnknownLayer(service, layer);
        var (filter, problem) = await ParseFilterAsync(httpContext, reference);
        if (problem is not null) return problem;
        var query = FilterQuery(filter!);
        var baseUrl = BaseUrl(httpContext);
        return TypedResults.Ok(new Dictionary<string, object?>
        {
            ["tilejson"] = "3.0.0",
            ["name"] = $"GeoRisk {found.Id}",
            ["description"] = found.Description,
            ["version"] = "1.0.0",
            ["attribution"] = "GeoRisk (RIEC); non-personal signals",
            ["scheme"] = "xyz",
            ["tiles"] = new[] { $"{baseUrl}/tiles/{found.Id}/{{z}}/{{x}}/{{y}}.mvt{query}" },
            ["minzoom"] = found.MinZoom,
            ["maxzoom"] = found.MaxZoom,
            ["bounds"] = Bounds,
            ["center"] = Center,
            ["vector_layers"] = found.VectorLayers.Select(v => new Dictionary<string, object>
            {
                ["id"] = v.Id,
                ["description"] = v.Description,
                ["minzoom"] = found.MinZoom,
                ["maxzoom"] = found.MaxZoom,
                ["fields"] = v.Fields,
            }).ToList(),
            // Not in the TileJSON spec but useful for raster clients (Leaflet, QGIS XYZ).
            ["raster_tiles"] = service.Find(found.Id, TileFormat.Png) is null ? Array.Empty<string>()
                : new[] { $"{baseUrl}/tiles/{found.Id}/{{z}}/{{x}}/{{y}}.png{query}", $"{baseUrl}/tiles/{found.Id}/{{z}}/{{x}}/{{y}}@2x.png{query}" },
        });
    }

    internal static async Task<Results<FileContentHttpResult, NoContent, StatusCodeHttpResult, ProblemHttpResult>> Tile(
        HttpContext httpContext, TileService service, TileReferenceData reference, AuditLog audit,
        string layer, string z, string x, string file)
    {
        if (service.Find(layer, TileFormat.Mvt) is null) return UnknownLayer(service, layer);
        if (!TryParseFile(file, out var y, out var format))
            return Problems.NotFound("Tile file name not known: use {y}.mvt, {y}.png or {y}@2x.png.");
        if (!TileId.TryParse(z, x, y, out var tileId, out var error))
            return Problems.BadRequest("Invalid tile coordinates", $"Tile coordinates: {error}.");
        var found = service.Find(layer, format);
        // The layer is known (checked above): only its PNG form can be missing.
        if (found is null) return Problems.NotFound($"Layer '{layer}' has vector tiles only: use {{y}}.mvt.");
        if (tileId.Z < found.MinZoom || tileId.Z > found.MaxZoom)
            return Problems.NotFound($"Layer '{found.Id}' has tiles from zoom {found.MinZoom} to {found.MaxZoom}; zoom {tileId.Z} is outside that range.");
        var (filter, problem) = await ParseFilterAsync(httpContext, reference);
        if (problem is not null) return problem;

        var scope = httpContext.GetCallerScope();
        var tile = await service.GetAsync(found, tileId, filter!, scope, httpContext.RequestAborted);
        // Every tile read is accounted for, cache hits and empty tiles included.
        await audit.WriteAsync(httpContext, format == TileFormat.Mvt
            ? AuditRead.ForTile(found.Id, tileId.Z, tileId.X, tileId.Y, tile.MvtFeatures)
            : AuditRead.ForRasterTile(found.Id, tileId.Z, tileId.X, tileId.Y));

        var response = httpContext.Response;
        response.Headers.CacheControl = CacheControl(scope);
        response.Headers["X-Cache"] = tile.FromCache ? "HIT" : "MISS";
        var gzip = format == TileFormat.Mvt && !tile.IsEmpty && AcceptsGzip(httpContext.Request);
        // A gzipped body is another representation: it gets its own entity tag.
        var etag = gzip ? tile.ETag.Insert(tile.ETag.Length - 1, "-gz") : tile.ETag;
        response.Headers.ETag = etag;
        if (format == TileFormat.Mvt) response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (IfNoneMatch(httpContext.Request, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        if (tile.IsEmpty) return TypedResults.NoContent();
        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(tile.Gzipped, format.ContentType());
        }
        return TypedResults.Bytes(tile.Data, format.ContentType());
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> AreaMap(
        HttpContext httpContext, MapCutoutRenderer renderer, TileService service, TileReferenceData reference, AuditLog audit, string code,
        string? width, string? height, string? layers, string? profile)
    {
        var errors = new Dictionary<string, object?>();
        var w = ParseSize(width, 600, "width", errors);
        var h = ParseSize(height, 400, "height", errors);
        var chosen = (layers ?? "areas,signals").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        var unknown = chosen.Where(l => !service.CutoutLayers.Contains(l)).ToList();
        if (unknown.Count > 0 || chosen.Count == 0)
            errors["layers"] = $"layers must be a comma-separated choice of: {string.Join(", ", service.CutoutLayers)}";
        if (profile is not null && !(await reference.GetAsync(httpContext.RequestAborted)).Profiles.Contains(profile))
            errors["profile"] = $"unknown scoring profile; valid profiles: {string.Join(", ", (await reference.GetAsync(httpContext.RequestAborted)).Profiles)}";
        if (errors.Count > 0)
            return Problems.BadRequest("Invalid map parameters", string.Join("; ", errors.Values), new Dictionary<string, object?> { ["errors"] = errors });

        var cutout = await renderer.RenderAsync(code, w, h, chosen, httpContext.GetCallerScope(), profile, httpContext.RequestAborted);
        await audit.WriteAsync(httpContext, new AuditRead(cutout is null ? 0 : null) { Area = AreaCode.IsWellFormed(code) ? code : "(malformed)", Layer = string.Join(',', chosen) });
        if (cutout is null) return Problems.NotFound("No current area with that code.");
        httpContext.Response.Headers.CacheControl = CacheControl(httpContext.GetCallerScope());
        // none: not configured; drawn; unavailable: the tile server failed and the image says so.
        httpContext.Response.Headers["GeoRisk-Basemap"] = cutout.Basemap.ToString().ToLowerInvariant();
        return TypedResults.Bytes(cutout.Png, TileFormats.PngContentType);
    }

    private static int ParseSize(string? value, int fallback, string name, Dictionary<string, object?> errors)
    {
        if (value is null) return fallback;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= MapCutoutRenderer.MinSize and <= MapCutoutRenderer.MaxSize) return v;
        errors[name] = $"{name} must be a whole number of pixels from {MapCutoutRenderer.MinSize} to {MapCutoutRenderer.MaxSize}";
        return fallback;
    }

    private static async Task<(TileFilter? Filter, ProblemHttpResult? Problem)> ParseFilterAsync(HttpContext httpContext, TileReferenceData reference)
    {
        var q = httpContext.Request.Query;
        var (categories, profiles) = await reference.GetAsync(httpContext.RequestAborted);
        var (filter, errors) = TileFilter.Parse(q["category"].AsEnumerable(), Single(q["from"]), Single(q["to"]), Single(q["profile"]), categories, profiles, Single(q["area"]));
        if (errors is null) return (filter, null);
        var extensions = new Dictionary<string, object?> { ["errors"] = errors };
        if (errors.ContainsKey("category")) extensions["valid_categories"] = categories.Order(StringComparer.Ordinal).ToArray();
        if (errors.ContainsKey("profile")) extensions["valid_profiles"] = profiles.Order(StringComparer.Ordinal).ToArray();
        return (null, Problems.BadRequest("Invalid tile filter", string.Join("; ", errors.Values), extensions));

        static string? Single(StringValues v) => v.Count == 0 ? null : v[^1];
    }

    /// <summary>The normalised filter as a query string for tile URLs in TileJSON.</summary>
    private static string FilterQuery(TileFilter f)
    {
        var parts = f.Categories.Select(c => $"category={Uri.EscapeDataString(c)}").ToList();
        if (f.From is { } from) parts.Add($"from={from:yyyy-MM-dd}");
        if (f.To is { } to) parts.Add($"to={to:yyyy-MM-dd}");
        if (f.Profile is { } p) parts.Add($"profile={Uri.EscapeDataString(p)}");
        if (f.Area is { } a) parts.Add($"area={Uri.EscapeDataString(a)}");
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static bool TryParseFile(string file, out string y, out TileFormat format)
    {
        (y, format) = file switch
        {
            _ when file.EndsWith("@2x.png", StringComparison.Ordinal) => (file[..^7], TileFormat.Png2x),
            _ when file.EndsWith(".png", StringComparison.Ordinal) => (file[..^4], TileFormat.Png),
            _ when file.EndsWith(".mvt", StringComparison.Ordinal) || file.EndsWith(".pbf", StringComparison.Ordinal) => (file[..^4], TileFormat.Mvt),
            _ => ("", (TileFormat)(-1)),
        };
        return (int)format >= 0;
    }

    /// <summary>Unscoped tiles may sit in shared caches; a scoped caller's tiles only in the browser's.</summary>
    private static string CacheControl(CallerScope scope) =>
        scope.Casustafels is null && !scope.Suppressed ? "public, max-age=300" : "private, max-age=300";

    private static bool AcceptsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.Any(v => v is not null && v.Split(',').Any(e => e.Trim().StartsWith("gzip", StringComparison.OrdinalIgnoreCase) && !e.Contains("q=0", StringComparison.Ordinal)));

    private static bool IfNoneMatch(HttpRequest request, string etag) =>
        request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() is var s && (s == "*" || s == etag || s == "W/" + etag)));

    private static ProblemHttpResult UnknownLayer(TileService service, string layer) =>
        Problems.NotFound($"No tile layer of that name; layers: {string.Join(", ", service.LayerIds)}.");

    private static string BaseUrl(HttpContext c) => $"{c.Request.Scheme}://{c.Request.Host}{c.Request.PathBase}";
}
