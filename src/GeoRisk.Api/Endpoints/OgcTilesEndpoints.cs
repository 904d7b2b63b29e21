using System.Globalization;
using System.Text.Json.Nodes;
using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Api.Ogc;
using GeoRisk.Core.Access;
using GeoRisk.Core.Ogc;
using GeoRisk.Core.Tiles;
using GeoRisk.Data.Ogc;
using GeoRisk.Tiles;
using GeoRisk.Tiles.Layers;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// OGC API – Tiles (core, tileset, tilesets list, geodata tilesets, MVT) with the tile matrix
/// sets WebMercatorQuad (the same tiles as <c>/tiles/{layer}/{z}/{x}/{y}.mvt</c>, through the
/// same cache) and NetherlandsRDNewQuad (areas and scores, in RD New). Tile paths are
/// <c>{tileMatrix}/{tileRow}/{tileCol}</c>: row is XYZ's y, column its x.
/// </summary>
public static class OgcTilesEndpoints
{
    private const string Mvt = TileFormats.MvtContentType;

    /// <summary>The Netherlands: lon/lat box (as the TileJSON bounds) and the same in RD New.</summary>
    private static readonly (double W, double S, double E, double N) LonLatBounds = (3.2, 50.7, 7.3, 53.6);
    private static readonly (double W, double S, double E, double N) RdBounds = (-7000, 289000, 300000, 629000);

    public static IEndpointRouteBuilder MapOgcTilesEndpoints(this IEndpointRouteBuilder app)
    {
        var ogc = app.MapGroup("/ogc").WithTags("OGC API").WithGroupName(OgcFeaturesEndpoints.GroupName).RequireAuthorization(AccessPolicies.Viewer);
        ogc.MapGet("/tileMatrixSets", TileMatrixSets).WithSummary("The tile matrix sets: WebMercatorQuad and NetherlandsRDNewQuad");
        ogc.MapGet("/tileMatrixSets/{tileMatrixSetId}", TileMatrixSetDefinition).WithSummary("A tile matrix set definition (OGC 2DTMS 2.0 JSON)");
        ogc.MapGet("/collections/{collectionId}/tiles", Tilesets).WithSummary("Vector tile sets of a collection");
        ogc.MapGet("/collections/{collectionId}/tiles/{tileMatrixSetId}", Tileset).WithSummary("A tile set: tile URL template, limits per tile matrix, layers");
        ogc.MapGet("/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", Tile)
            .WithSummary("A vector tile (Mapbox Vector Tile)");
        return app;
    }

    internal static IResult TileMatrixSets(HttpContext http)
    {
        var (format, error) = OgcResponses.Negotiate(http.Request);
        if (error is not null) return Problems.BadRequest("Invalid format", error);
        var root = OgcResponses.Root(http);
        var body = new JsonObject
        {
            ["links"] = OgcResponses.SelfLinks($"{root}/tileMatrixSets", format),
            ["tileMatrixSets"] = new JsonArray(TileMatrixSet.All.Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id,
                ["title"] = t.Title,
                ["uri"] = t.Uri,
                ["crs"] = t.CrsUri,
                ["links"] = new JsonArray(OgcResponses.Link($"{root}/tileMatrixSets/{t.Id}", "self", OgcResponses.Json, t.Title)),
            }).ToArray()),
        };
        return format == OgcFormat.Html ? OgcResponses.HtmlResult("Tile matrix sets", body) : OgcResponses.JsonResult(body);
    }

    internal static IResult TileMatrixSetDefinition(HttpContext http, string tileMatrixSetId)
    {
        if (TileMatrixSet.Find(tileMatrixSetId) is not { } tms) return UnknownTileMatrixSet(tileMatrixSetId);
        var body = JsonNodeOf(tms.ToJson());
        body["links"] = new JsonArray(OgcResponses.Link($"{OgcResponses.Root(http)}/tileMatrixSets/{tms.Id}", "self", OgcResponses.Json, tms.Title));
        return OgcResponses.JsonResult(body);
    }

    internal static async Task<IResult> Tilesets(HttpContext http, OgcCatalogue catalogue, TileService tiles, string collectionId)
    {
        var (format, error) = OgcResponses.Negotiate(http.Request);
        if (error is not null) return Problems.BadRequest("Invalid format", error);
        if (await TiledCollectionAsync(http, catalogue, tiles, collectionId) is not { } found) return NoTiles(collectionId);
        var (c, _) = found;
        var url = $"{OgcResponses.Root(http)}/collections/{c.Id}/tiles";
        var sets = new JsonArray();
        foreach (var tms in SetsOf(c))
        {
            sets.Add(new JsonObject
            {
                ["title"] = $"{c.Title} ({tms.Id})",
                ["dataType"] = "vector",
                ["crs"] = tms.CrsUri,
                ["tileMatrixSetURI"] = tms.Uri,
                ["links"] = new JsonArray(
                    OgcResponses.Link($"{url}/{tms.Id}", "self", OgcResponses.Json, $"{tms.Id} tile set"),
                    OgcResponses.Link($"{OgcResponses.Root(http)}/tileMatrixSets/{tms.Id}", "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", OgcResponses.Json, tms.Id)),
            });
        }
        var body = new JsonObject
        {
            ["title"] = $"Tile sets of {c.Title}",
            ["links"] = OgcResponses.SelfLinks(url, format),
            ["tilesets"] = sets,
        };
        return format == OgcFormat.Html ? OgcResponses.HtmlResult(body["title"]!.GetValue<string>(), body) : OgcResponses.JsonResult(body);
    }

    internal static async Task<IResult> Tileset(HttpContext http, OgcCatalogue catalogue, TileService tiles, string collectionId, string tileMatrixSetId)
    {
        var (format, error) = OgcResponses.Negotiate(http.Request);
        if (error is not null) return Problems.BadRequest("Invalid format", error);
        if (await TiledCollectionAsync(http, catalogue, tiles, collectionId) is not { } found) return NoTiles(collectionId);
        var (c, layer) = found;
        if (SetsOf(c).FirstOrDefault(t => t.Id == tileMatrixSetId) is not { } tms) return UnknownTileMatrixSet(tileMatrixSetId, c);
        var (minZoom, maxZoom) = Zooms(layer, tms);
        var url = $"{OgcResponses.Root(http)}/collections/{c.Id}/tiles/{tms.Id}";
        var links = OgcResponses.SelfLinks(url, format);
        links.Add(OgcResponses.Link($"{OgcResponses.Root(http)}/tileMatrixSets/{tms.Id}", "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", OgcResponses.Json, tms.Id));
        links.Add(OgcResponses.Link($"{OgcResponses.Root(http)}/collections/{c.Id}", "http://www.opengis.net/def/rel/ogc/1.0/geodata", OgcResponses.Json, c.Title));
        links.Add(OgcResponses.Link($"{url}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}", "item", Mvt, "vector tiles", templated: true));
        var body = new JsonObject
        {
            ["title"] = $"{c.Title} ({tms.Id})",
            ["description"] = c.Description,
            ["dataType"] = "vector",
            ["crs"] = tms.CrsUri,
            ["tileMatrixSetURI"] = tms.Uri,
            ["links"] = links,
            ["tileMatrixSetLimits"] = new JsonArray(Enumerable.Range(minZoom, maxZoom - minZoom + 1).Select(z => (JsonNode)Limits(tms, z)).ToArray()),
            ["layers"] = new JsonArray(layer.VectorLayers.Select(v => (JsonNode)new JsonObject
            {
                ["id"] = v.Id,
                ["title"] = v.Description,
                ["dataType"] = "vector",
                ["minTileMatrix"] = minZoom.ToString(CultureInfo.InvariantCulture),
                ["maxTileMatrix"] = maxZoom.ToString(CultureInfo.InvariantCulture),
                ["propertiesSchema"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject(v.Fields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)new JsonObject { ["description"] = f.Value }))),
                },
            }).ToArray()),
        };
        return format == OgcFormat.Html ? OgcResponses.HtmlResult(body["title"]!.GetValue<string>(), body) : OgcResponses.JsonResult(body);
    }

    internal static async Task<IResult> Tile(
        HttpContext http, OgcCatalogue catalogue, TileService tiles, RdAreasTiles rdTiles, AuditLog audit,
        string collectionId, string tileMatrixSetId, string tileMatrix, string tileRow, string tileCol)
    {
        if (await TiledCollectionAsync(http, catalogue, tiles, collectionId) is not { } found) return NoTiles(collectionId);
        var (c, layer) = found;
        if (SetsOf(c).FirstOrDefault(t => t.Id == tileMatrixSetId) is not { } tms) return UnknownTileMatrixSet(tileMatrixSetId, c);
        // The one encoding there is; f=mvt lets a client name it (GDAL needs a non-numeric path end).
        if (http.Request.Query["f"].LastOrDefault() is { } f && f is not ("mvt" or "application/vnd.mapbox-vector-tile"))
            return Problems.BadRequest("Invalid format", "tiles are Mapbox Vector Tiles: f must be mvt (or left out)");
        if (!int.TryParse(tileMatrix, NumberStyles.None, CultureInfo.InvariantCulture, out var z) || z > tms.MaxLevel
            || !long.TryParse(tileRow, NumberStyles.None, CultureInfo.InvariantCulture, out var row)
            || !long.TryParse(tileCol, NumberStyles.None, CultureInfo.InvariantCulture, out var col))
            return Problems.BadRequest("Invalid tile", $"tileMatrix must be a whole number from 0 to {tms.MaxLevel}, tileRow and tileCol whole numbers from 0.");
        if (row >= TileMatrixSet.MatrixSize(z) || col >= TileMatrixSet.MatrixSize(z))
            return Problems.BadRequest("Invalid tile", $"tileRow and tileCol must be below {TileMatrixSet.MatrixSize(z)} in tile matrix {z} of {tms.Id}.");
        var (minZoom, maxZoom) = Zooms(layer, tms);
        if (z < minZoom || z > maxZoom)
            return Problems.NotFound($"Tile set {c.Id}/{tms.Id} has tile matrices {minZoom} to {maxZoom}; {z} is outside that range.");

        var scope = http.GetCallerScope();
        byte[] data;
        string etag;
        if (tms == TileMatrixSet.WebMercatorQuad)
        {
            var tile = await tiles.GetAsync(layer, new TileId(z, (int)col, (int)row), TileFilter.None, scope, http.RequestAborted);
            data = tile.IsEmpty ? [] : tile.Data;
            etag = tile.ETag;
            http.Response.Headers["X-Cache"] = tile.FromCache ? "HIT" : "MISS";
        }
        else
        {
            data = await rdTiles.GetTileAsync(z, row, col, scope, http.RequestAborted);
            etag = GeoRisk.Tiles.Caching.CachedTile.ETagOf(data);
        }
        // Every tile read is accounted for, empty ones included (as the XYZ tiles).
        await audit.WriteAsync(http, AuditRead.ForTile($"{layer.Id}@{tms.Id}", z, (int)Math.Min(col, int.MaxValue), (int)Math.Min(row, int.MaxValue),
            data.Length == 0 ? 0 : MvtFeatureCount.Count(data)));
        http.Response.Headers.CacheControl = scope.Casustafels is null && !scope.Suppressed ? "public, max-age=300" : "private, max-age=300";
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag)))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return data.Length == 0 ? TypedResults.NoContent() : TypedResults.Bytes(data, Mvt);
    }

    /// <summary>The visible collection with a tile layer, and that layer (MVT).</summary>
    private static async Task<(OgcCollection Collection, ITileLayer Layer)?> TiledCollectionAsync(HttpContext http, OgcCatalogue catalogue, TileService tiles, string id)
    {
        if (await catalogue.FindAsync(id, http.GetCallerScope(), http.RequestAborted) is not { TileLayer: { } layerId } c) return null;
        return tiles.Find(layerId, TileFormat.Mvt) is { } layer ? (c, layer) : null;
    }

    private static IEnumerable<TileMatrixSet> SetsOf(OgcCollection c) =>
        c.RdTiles ? [TileMatrixSet.WebMercatorQuad, TileMatrixSet.NetherlandsRdNewQuad] : [TileMatrixSet.WebMercatorQuad];

    /// <summary>
    /// Zoom range: the layer's own in Web Mercator; in RD New the levels of about the same
    /// ground resolution (RD level n ≈ Web Mercator level n + 5 at Dutch latitudes).
    /// </summary>
    private static (int Min, int Max) Zooms(ITileLayer layer, TileMatrixSet tms) =>
        tms == TileMatrixSet.WebMercatorQuad ? (layer.MinZoom, layer.MaxZoom)
        : (Math.Max(0, layer.MinZoom - 5), Math.Min(tms.MaxLevel, layer.MaxZoom - 5 + 3));

    private static JsonObject Limits(TileMatrixSet tms, int z)
    {
        long minRow, maxRow, minCol, maxCol;
        if (tms == TileMatrixSet.WebMercatorQuad)
        {
            var nw = TileId.ContainingLonLat(LonLatBounds.W, LonLatBounds.N, z);
            var se = TileId.ContainingLonLat(LonLatBounds.E, LonLatBounds.S, z);
            (minRow, maxRow, minCol, maxCol) = (nw.Y, se.Y, nw.X, se.X);
        }
        else
        {
            var span = tms.TileSpan(z);
            var last = TileMatrixSet.MatrixSize(z) - 1;
            minCol = Math.Clamp((long)Math.Floor((RdBounds.W - tms.OriginX) / span), 0, last);
            maxCol = Math.Clamp((long)Math.Floor((RdBounds.E - tms.OriginX) / span), 0, last);
            minRow = Math.Clamp((long)Math.Floor((tms.OriginY - RdBounds.N) / span), 0, last);
            maxRow = Math.Clamp((long)Math.Floor((tms.OriginY - RdBounds.S) / span), 0, last);
        }
        return new JsonObject
        {
            ["tileMatrix"] = z.ToString(CultureInfo.InvariantCulture),
            ["minTileRow"] = minRow,
            ["maxTileRow"] = maxRow,
            ["minTileCol"] = minCol,
            ["maxTileCol"] = maxCol,
        };
    }

    private static JsonObject JsonNodeOf(Dictionary<string, object> value) =>
        System.Text.Json.JsonSerializer.SerializeToNode(value)!.AsObject();

    private static ProblemHttpResult NoTiles(string id) =>
        Problems.NotFound($"No vector tiles for collection '{(id.Length > 64 ? id[..64] + "…" : id)}'; collections with a 'tilesets-vector' link have them.");

    private static ProblemHttpResult UnknownTileMatrixSet(string id, OgcCollection? c = null) =>
        Problems.NotFound($"No tile matrix set '{(id.Length > 64 ? id[..64] + "…" : id)}'{(c is null ? "" : $" for collection '{c.Id}'")}; available: {string.Join(", ", (c is null ? TileMatrixSet.All : SetsOf(c)).Select(t => t.Id))}.");
}
