using System.ComponentModel.DataAnnotations;

namespace GeoRisk.Api.Access;

/// <summary>Section <c>GeoRisk:Access</c> of appsettings.json (validated at start-up).</summary>
public sealed class AccessOptions
{
    public const string Section = "GeoRisk:Access";

    /// <summary>
    /// Requests per key and client address per window (fixed window). Sized for real map use:
    /// one page load is about 50 tiles per layer and a user panning fast loads several screens a
    /// second, so 12,000 a minute (200/s) is never reached by a person, while a scraper on one
    /// address is held to it. Requests without a valid key share one budget per client address.
    /// </summary>
    [Range(1, 1_000_000_000)]
    public int PermitsPerWindow { get; set; } = 12_000;

    /// <summary>Length of the rate-limit window in seconds.</summary>
    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;
}
