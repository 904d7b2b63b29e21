using GeoRisk.Core.Access;
using GeoRisk.Core.Tiles;

namespace GeoRisk.Tiles;

/// <summary>What a tile URL asks for: vector (MVT) or raster at 256 or 512 px.</summary>
public enum TileFormat { Mvt, Png, Png2x }

public static class TileFormats
{
    public const string MvtContentType = "application/vnd.mapbox-vector-tile";
    public const string PngContentType = "image/png";

    public static string ContentType(this TileFormat format) => format == TileFormat.Mvt ? MvtContentType : PngContentType;

    /// <summary>The URL suffix: <c>mvt</c>, <c>png</c>, <c>@2x.png</c>.</summary>
    public static string Suffix(this TileFormat format) => format switch
    {
        TileFormat.Mvt => "mvt",
        TileFormat.Png => "png",
        _ => "@2x.png",
    };

    /// <summary>File-name safe key for the cache.</summary>
    public static string CacheName(this TileFormat format) => format switch
    {
        TileFormat.Mvt => "mvt",
        TileFormat.Png => "png",
        _ => "png2x",
    };
}

/// <summary>One layer inside the MVT, as TileJSON <c>vector_layers</c> describes it (field → type/description).</summary>
public sealed record VectorLayerInfo(string Id, string Description, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// One tile layer in one format — the single abstraction the endpoints use (like Martin's
/// Source or pg_tileserv's Layer). Implementations take the caller's scope into their SQL.
/// </summary>
public interface ITileLayer
{
    /// <summary>URL name: <c>areas</c>, <c>hexbins</c>, <c>signals</c>, <c>cameras</c>, <c>incidents</c>.</summary>
    string Id { get; }

    string Description { get; }

    TileFormat Format { get; }

    string ContentType => Format.ContentType();

    int MinZoom { get; }

    int MaxZoom { get; }

    /// <summary>The layers inside the MVT and their attributes (for TileJSON); the same for the raster of this layer.</summary>
    IReadOnlyList<VectorLayerInfo> VectorLayers { get; }

    /// <summary>Names in <c>data_version</c> whose change re-keys every tile of this layer.</summary>
    IReadOnlyList<string> DataVersions { get; }

    /// <summary>
    /// The encoded tile (MVT or PNG); an empty array when nothing is there (served as 204).
    /// </summary>
    Task<byte[]> GetTileAsync(TileId tile, TileFilter filter, CallerScope scope, CancellationToken cancellationToken);
}
