namespace GeoRisk.Rendering.Basemaps;

/// <summary>
/// The basemap under the risk layers: served to the web map, and fetched by the server for map
/// cut-outs and factsheets. An empty <see cref="Url"/> means none (machines without internet):
/// cut-outs then draw the areas' own context instead.
/// </summary>
public sealed class BasemapOptions
{
    public const string Section = "WebMap:Basemap";

    /// <summary>Raster tile template with {z}/{x}/{y} (Web Mercator, e.g. PDOK's WMTS in EPSG:3857),
    /// or, with <see cref="Type"/> <c>style</c>, a MapLibre style URL (web map only).</summary>
    public string Url { get; set; } = "";

    /// <summary><c>raster</c> or <c>style</c>.</summary>
    public string Type { get; set; } = "raster";

    public string Attribution { get; set; } = "";

    public int TileSize { get; set; } = 256;

    public int MaxZoom { get; set; } = 19;

    /// <summary>
    /// Hosts the server may fetch tiles from. The template's host must be one of them, so that a
    /// changed template cannot make the server fetch from anywhere; a request never chooses a URL.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Time for all tiles of one cut-out; after it the cut-out is drawn without basemap.</summary>
    public int TimeoutMs { get; set; } = 2000;

    /// <summary>Largest tile accepted (bytes); a larger answer is treated as a failure.</summary>
    public int MaxTileBytes { get; set; } = 512 * 1024;

    /// <summary>Most tiles one cut-out may use; a larger cut-out takes a coarser zoom.</summary>
    public int MaxTiles { get; set; } = 48;

    /// <summary>Disk cache of fetched tiles (relative to the content root); empty: memory only.</summary>
    public string CacheDirectory { get; set; } = "";

    /// <summary>How long a cached tile is used before it is fetched again.</summary>
    public int CacheHours { get; set; } = 24 * 7;

    /// <summary>Tiles (PNG bytes) kept in memory.</summary>
    public int MemoryCacheTiles { get; set; } = 512;

    /// <summary>After a failed fetch, cut-outs skip the server (cached tiles still serve) for this long,
    /// so that a dead tile server does not add its timeout to every factsheet.</summary>
    public int RetryAfterFailureSeconds { get; set; } = 30;

    /// <summary>Whether the server draws this basemap in cut-outs (raster templates only).</summary>
    public bool ServerSide => Url.Length > 0 && Type == "raster";

    /// <summary>What is wrong with the settings, or null.</summary>
    public string? Problem()
    {
        if (Url.Length == 0) return null;
        if (Type is not ("raster" or "style")) return $"{Section}:Type must be raster or style";
        if (TileSize is < 64 or > 1024) return $"{Section}:TileSize must be 64-1024";
        if (MaxZoom is < 0 or > 24) return $"{Section}:MaxZoom must be 0-24";
        if (!Uri.TryCreate(TileUri(Url, 0, 0, 0), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return $"{Section}:Url must be an absolute http(s) URL (a tile template with {{z}}/{{x}}/{{y}} or a style URL)";
        if (Type == "raster")
        {
            if (!(Url.Contains("{z}", StringComparison.Ordinal) && Url.Contains("{x}", StringComparison.Ordinal) && Url.Contains("{y}", StringComparison.Ordinal)))
                return $"{Section}:Url of a raster basemap must contain {{z}}, {{x}} and {{y}}";
            if (!AllowedHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
                return $"{Section}:AllowedHosts must list the host of the tile template";
            if (TimeoutMs is < 100 or > 60_000) return $"{Section}:TimeoutMs must be 100-60000";
            if (MaxTileBytes is < 1024 or > 16 * 1024 * 1024) return $"{Section}:MaxTileBytes must be 1 KB-16 MB";
            if (MaxTiles is < 1 or > 1024) return $"{Section}:MaxTiles must be 1-1024";
        }
        return null;
    }

    /// <summary>The origin (scheme://host[:port]) the web map loads the basemap from, or null.</summary>
    public string? Origin() =>
        Url.Length > 0 && Uri.TryCreate(TileUri(Url, 0, 0, 0), UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;

    /// <summary>The template with numbers in it: only integers are ever substituted.</summary>
    public static string TileUri(string template, int z, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(template);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return template.Replace("{z}", z.ToString(inv), StringComparison.Ordinal)
            .Replace("{x}", x.ToString(inv), StringComparison.Ordinal)
            .Replace("{y}", y.ToString(inv), StringComparison.Ordinal);
    }
}
