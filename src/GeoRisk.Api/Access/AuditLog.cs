using GeoRisk.Data.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GeoRisk.Api.Access;

/// <summary>
/// What a scoped read returned, for the audit log. <see cref="Rows"/> is what the caller got:
/// areas listed, signals in a list, features in a vector tile (0 for an empty tile: still
/// logged; count cached tiles with <c>MvtFeatureCount.Count(bytes)</c>); null only for raster
/// images, where nothing countable is returned.
/// </summary>
public sealed record AuditRead(long? Rows)
{
    /// <summary>Area code the read was about (detail, signal list of an area, scan).</summary>
    public string? Area { get; init; }

    /// <summary>Tile or map layer id.</summary>
    public string? Layer { get; init; }
    public int? Z { get; init; }
    public int? X { get; init; }
    public int? Y { get; init; }

    /// <summary>Overrides the endpoint name; default "METHOD /route/{pattern}" of the matched endpoint.</summary>
    public string? Endpoint { get; init; }

    public static AuditRead ForArea(string area, long rows) => new(rows) { Area = area };

    /// <summary>A vector tile: <paramref name="features"/> from <c>MvtFeatureCount.Count(tile.Data)</c>.</summary>
    public static AuditRead ForTile(string layer, int z, int x, int y, long features) =>
        new(features) { Layer = layer, Z = z, X = x, Y = y };

    /// <summary>A raster (PNG) tile: the image shows data but returns no countable rows.</summary>
    public static AuditRead ForRasterTile(string layer, int z, int x, int y) =>
        new((long?)null) { Layer = layer, Z = z, X = x, Y = y };
}

/// <summary>
/// Writes one audit_log row per scoped read (the Wgs requires that sharing is monitored).
/// Call it in the handler after the query and before returning the result, also for cache
/// hits and empty results. It completes when the row is committed (batched with the rows of
/// concurrent requests by <see cref="AuditWriter"/>); a failure to write fails the request:
/// no unaccounted reads.
/// </summary>
public sealed class AuditLog(AuditWriter writer)
{
    public Task WriteAsync(HttpContext http, AuditRead read)
    {
        var identity = http.Features.Get<CallerIdentity>();
        var scope = identity?.Scope ?? http.GetCallerScope();
        var endpoint = read.Endpoint ?? EndpointName(http);
        var entry = new AuditEntry(identity?.KeyId, scope.Role, scope.Casustafels, endpoint, read.Rows)
        {
            Area = read.Area,
            Layer = read.Layer,
            Z = read.Z,
            X = read.X,
            Y = read.Y,
        };
        return writer.WriteAsync(entry, http.RequestAborted);
    }

    /// <summary>"GET /api/areas/{code}": the route pattern, not the raw path, so filters group reads.</summary>
    public static string EndpointName(HttpContext http)
    {
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        if (!pattern.StartsWith('/'))
        {
            pattern = "/" + pattern;
        }
        var name = $"{http.Request.Method} {pattern}";
        return name.Length <= 200 ? name : name[..200];
    }
}
