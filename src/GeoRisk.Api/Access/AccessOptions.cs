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

    /// <summary>
    /// Addresses (<c>172.28.0.10</c>) or networks (<c>10.0.0.0/8</c>) of reverse proxies whose
    /// <c>X-Forwarded-For</c> is believed. Behind nginx every request arrives from the proxy's
    /// address, so without this all users would share one rate-limit and key-throttling budget;
    /// with it, the client address is the one the proxy saw. Empty (the default) believes no
    /// forwarded header, so a client cannot pick its own address by sending one.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>The trusted proxies as networks (a single address is a /32 or /128); null names the first entry that is neither.</summary>
    public (List<System.Net.IPNetwork> Networks, string? Invalid) TrustedNetworks()
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in TrustedProxies.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (System.Net.IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                return (networks, entry);
            }
        }
        return (networks, null);
    }
}
