namespace GeoRisk.Core.Access;

/// <summary>
/// What a caller may see. <see cref="Casustafels"/> null means unrestricted (admin, analyst);
/// otherwise the caller reaches only the union of those casustafels' areas (SQL: scope_geom).
/// <see cref="Suppressed"/> callers (viewers, shared outputs) see only aggregates of at least
/// <see cref="SuppressionK"/> signals and never signal points.
/// </summary>
public sealed record CallerScope(string Role, IReadOnlyList<string>? Casustafels, bool Suppressed, int SuppressionK = 5)
{
    /// <summary>Used until authentication is configured, by the CLI and by trusted jobs.</summary>
    public static CallerScope Unrestricted { get; } = new("admin", null, false);

    /// <summary>The value bound to SQL's <c>$scope text[]</c> parameter: null = everything.</summary>
    public string[]? SqlScope => Casustafels?.ToArray();

    /// <summary>Stable text for cache keys: two callers with the same reach share tiles.</summary>
    public string CacheKey => Casustafels is null
        ? (Suppressed ? $"all-k{SuppressionK}" : "all")
        : $"{(Suppressed ? $"k{SuppressionK}-" : "")}ct-{string.Join('+', Casustafels.Order(StringComparer.Ordinal))}";
}
