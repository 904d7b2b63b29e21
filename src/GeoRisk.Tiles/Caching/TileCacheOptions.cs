namespace GeoRisk.Tiles.Caching;

/// <summary>Section <c>Tiles:Cache</c> of appsettings.json.</summary>
public sealed class TileCacheOptions
{
    /// <summary>Off: every request renders (benchmarks of the cold path, debugging).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Root directory of the cache; a relative path is resolved from the content root.</summary>
    public string Directory { get; set; } = Path.Combine("tiles", "cache");

    /// <summary>Upper bound of the bytes on disk; least recently used tiles are evicted beyond it.</summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Bytes of recently stored or read tiles also kept in memory, so that a hit skips the file
    /// read (the disk stays the cache of record; eviction and invalidation drop both).
    /// </summary>
    public long MemoryBytes { get; set; } = 64L << 20;

    /// <summary>
    /// Data versions and changed positions are read when PostgreSQL notifies a change; this is
    /// only the safety net for a notification lost on the way.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// A cached layer whose tiles depend on positioned data (<see cref="Source"/>: "signal" for
/// signal positions, "hex" for hexagon cells): a change inside a box invalidates, per zoom, the
/// tiles whose extent widened by <see cref="MarginPx"/> (the MVT buffer or heatmap radius, in
/// pixels of a 256 px tile) touches that box.
/// </summary>
public sealed record PointDependentLayer(string Layer, int MinZoom, int MaxZoom, double MarginPx, string Source = "signal");
