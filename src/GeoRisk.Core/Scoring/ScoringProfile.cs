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
    /// <summary>The value of params.model that selects the calibrated relative-risk model; without it a profile is the percentile model.</summary>
    public const string RelativeRiskModel = "relative-risk";

    /// <summary>Settings of the relative-risk model; null for a percentile (version 1) profile.</summary>
    public RelativeRiskSettings? RelativeRisk { get; init; }
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
        bool relativeRisk = root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String
            && model.GetString() == RelativeRiskModel;
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
                relativeRisk ? 0 : Number(thresholds, "min_score", 0)),
            root.TryGetProperty("suppression_k", out _) ? (int)Number(root, "suppression_k", 1) : 5,
            root.TryGetProperty("hotspot_rings", out _) ? (int)Number(root, "hotspot_rings", 1) : 1)
        {
            RelativeRisk = relativeRisk ? RelativeRiskSettings.Parse(name, version, root, thresholds) : null,
        };
    }

    public double WeightOf(string category) => CategoryWeights.TryGetValue(category, out var w) ? w : 0;
}

/// <summary>
/// The relative-risk model's own settings (docs/scoring.md):
/// <list type="bullet">
/// <item><c>reference</c>: "region" (the pooled rate of every area with the same exposure unit),
///   "kind" (of the areas of the same kind and unit) or "fixed" (<c>reference_rates</c> per unit)</item>
/// <item><c>prior_shape</c>: α of the Gamma(α, α) prior of RR, or "auto" (method of moments per run)</item>
/// <item><c>credible_level</c>: of the RR interval (0.9 → 5 % and 95 % quantiles)</item>
/// <item><c>thresholds.min_rr_lower</c>: kandidaat when the interval's lower bound reaches it</item>
/// <item><c>trend_alpha</c>: the trend has a direction only when the rate-ratio test's p is below it</item>
/// </list>
/// </summary>
public sealed record RelativeRiskSettings(
    string Reference,
    IReadOnlyDictionary<string, double> ReferenceRates,
    double? PriorShape,
    double CredibleLevel,
    double MinRrLower,
    double TrendAlpha)
{
    public static readonly IReadOnlyList<string> References = ["region", "kind", "fixed"];
    /// <summary>Units an expectation is counted in: the area's exposure unit, or km² when it has none.</summary>
    public static readonly IReadOnlyList<string> Units = ["km2", "adressen", "bedrijven", "inwoners"];

    internal static RelativeRiskSettings Parse(string name, int version, JsonElement root, JsonElement thresholds)
    {
        string Where(string key) => $"scoring profile {name} v{version}: '{key}'";
        var reference = root.TryGetProperty("reference", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "region";
        if (!References.Contains(reference))
            throw new FormatException($"{Where("reference")} must be one of {string.Join(", ", References)}");
        var rates = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (root.TryGetProperty("reference_rates", out var rr))
        {
            if (rr.ValueKind != JsonValueKind.Object) throw new FormatException($"{Where("reference_rates")} must be an object of unit: rate");
            foreach (var p in rr.EnumerateObject())
            {
                if (!Units.Contains(p.Name)) throw new FormatException($"{Where("reference_rates." + p.Name)} is not a unit ({string.Join(", ", Units)})");
                if (p.Value.ValueKind != JsonValueKind.Number || p.Value.GetDouble() <= 0)
                    throw new FormatException($"{Where("reference_rates." + p.Name)} must be a number > 0");
                rates[p.Name] = p.Value.GetDouble();
            }
        }
        if (reference == "fixed" && rates.Count == 0)
            throw new FormatException($"{Where("reference_rates")} must give a rate per unit when reference is 'fixed'");
        double? prior = null;
        if (root.TryGetProperty("prior_shape", out var ps))
        {
            if (ps.ValueKind == JsonValueKind.Number && ps.GetDouble() > 0) prior = ps.GetDouble();
            else if (!(ps.ValueKind == JsonValueKind.String && ps.GetString() == "auto"))
                throw new FormatException($"{Where("prior_shape")} must be \"auto\" or a number > 0");
        }
        double Fraction(JsonElement parent, string key, double fallback)
        {
            if (!parent.TryGetProperty(key, out var v)) return fallback;
            if (v.ValueKind != JsonValueKind.Number || v.GetDouble() is <= 0 or >= 1)
                throw new FormatException($"{Where(key)} must be a number between 0 and 1 (exclusive)");
            return v.GetDouble();
        }
        if (!thresholds.TryGetProperty("min_rr_lower", out var lower) || lower.ValueKind != JsonValueKind.Number || lower.GetDouble() <= 0)
            throw new FormatException($"{Where("thresholds.min_rr_lower")} must be a number > 0");
        return new RelativeRiskSettings(reference, rates, prior,
            Fraction(root, "credible_level", 0.9), lower.GetDouble(), Fraction(root, "trend_alpha", 0.05));
    }
}
