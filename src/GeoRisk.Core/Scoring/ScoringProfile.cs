using System.Globalization;
using System.Text.Json;

namespace GeoRisk.Core.Scoring;

/// <summary>Thresholds for the kandidaat-handhavingsknelpunt flag: all three must pass.</summary>
public sealed record ScoringThresholds(int MinSignals, int MinSources, double MinScore);

/// <summary>
/// Every constant of the risk model (docs/scoring.md), stored as a named, versioned row in
/// scoring_profile. <see cref="Parse"/> reads the params jsonb; docs/scoring.md explains each key.
/// </summary>
public sealed record ScoringProfile(
    string Name,
    int Version,
    double HalfLifeDays,
    double WindowDays,
    IReadOnlyDictionary<string, double> CategoryWeights,
    double CorroborationFactor,
    string Normalisation,
    bool Shrinkage,
    ScoringThresholds Thresholds,
    int SuppressionK,
    int HotspotRings)
{
    public const string DefaultName = "riec-standaard";
    public static readonly IReadOnlyList<string> Normalisations = ["auto", "area", "exposure"];

    /// <summary>Reads a profile's params; throws <see cref="FormatException"/> naming the key that is missing or invalid.</summary>
    public static ScoringProfile Parse(string name, int version, string paramsJson)
    {
        using var document = JsonDocument.Parse(paramsJson);
        var root = document.RootElement;
        double Number(JsonElement parent, string key, double min)
        {
            if (!parent.TryGetProperty(key, out var value) || value.ValueKind != JsonValueKind.Number)
                throw new FormatException($"scoring profile {name} v{version}: '{key}' must be a number");
            var number = value.GetDouble();
            if (number < min || double.IsNaN(number) || double.IsInfinity(number))
                throw new FormatException($"scoring profile {name} v{version}: '{key}' must be at least {min.ToString(CultureInfo.InvariantCulture)}");
            return number;
        }
        if (!root.TryGetProperty("category_weights", out var weightsElement) || weightsElement.ValueKind != JsonValueKind.Object)
            throw new FormatException($"scoring profile {name} v{version}: 'category_weights' must be an object");
        var weights = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in weightsElement.EnumerateObject())
            weights[property.Name] = Number(weightsElement, property.Name, 0);
        if (!root.TryGetProperty("thresholds", out var thresholds) || thresholds.ValueKind != JsonValueKind.Object)
            throw new FormatException($"scoring profile {name} v{version}: 'thresholds' must be an object");
        var normalisation = root.TryGetProperty("normalisation", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "auto";
        if (!Normalisations.Contains(normalisation))
            throw new FormatException($"scoring profile {name} v{version}: 'normalisation' must be one of {string.Join(", ", Normalisations)}");
        var halfLife = Number(root, "half_life_days", 0);
        if (halfLife <= 0) throw new FormatException($"scoring profile {name} v{version}: 'half_life_days' must be positive");
        var window = Number(root, "window_days", 1);
        return new ScoringProfile(
            name, version, halfLife, window, weights,
            Number(root, "corroboration_factor", 0),
            normalisation,
            root.TryGetProperty("shrinkage", out var s) && s.ValueKind == JsonValueKind.True,
            new ScoringThresholds(
                (int)Number(thresholds, "min_signals", 0),
                (int)Number(thresholds, "min_sources", 0),
                Number(thresholds, "min_score", 0)),
            root.TryGetProperty("suppression_k", out _) ? (int)Number(root, "suppression_k", 1) : 5,
            root.TryGetProperty("hotspot_rings", out _) ? (int)Number(root, "hotspot_rings", 1) : 1);
    }

    public double WeightOf(string category) => CategoryWeights.TryGetValue(category, out var w) ? w : 0;
}
