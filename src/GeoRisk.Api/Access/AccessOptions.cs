using System.ComponentModel.DataAnnotations;

namespace GeoRisk.Api.Access;

/// <summary>Section <c>GeoRisk:Access</c> of appsettings.json (validated at start-up).</summary>
public sealed class AccessOptions
{
    public const string Section = "GeoRisk:Access";

    /// <summary>
    /// Requests per key per window (fixed window). A map view loads a few dozen tiles at once and
    /// panning loads more, hence the generous default. Requests without a valid key share one
    /// budget per client IP address.
    /// </summary>
    [Range(1, 1_000_000)]
    public int PermitsPerWindow { get; set; } = 1200;

    /// <summary>Length of the rate-limit window in seconds.</summary>
    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;
}
