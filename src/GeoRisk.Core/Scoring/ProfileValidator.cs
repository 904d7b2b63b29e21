using System.Globalization;
using System.Text.Json;

namespace GeoRisk.Core.Scoring;

/// <summary>One problem with a proposed profile: the key (dotted path) and what is wrong with it.</summary>
public sealed record ProfileError(string Key, string Message);

/// <summary>
/// Checks the params of a new scoring profile version before it is stored: every key must be
/// known for its model and every value in range, so a typo cannot silently fall back to a default.
/// </summary>
public static class ProfileValidator
{
    private sealed record Range(double Min, double Max, bool Integer = false, bool MinExclusive = false);

    private static readonly Dictionary<string, Range> Common = new()
    {
        ["half_life_days"] = new(0, 3650, MinExclusive: true),
        ["window_days"] = new(7, 3650, Integer: true),
        ["corroboration_factor"] = new(0, 5),
        ["suppression_k"] = new(1, 100, Integer: true),
        ["hotspot_rings"] = new(1, 3, Integer: true),
    };

    private static readonly Dictionary<string, Range> Thresholds = new()
    {
        ["min_signals"] = new(0, 1_000_000, Integer: true),
        ["min_sources"] = new(0, 100, Integer: true),
    };

    /// <summary>All problems of <paramref name="paramsJson"/>; empty when it can be stored.</summary>
    /// <param name="categories">the category codes that exist; weights for others are refused.</param>
    public static IReadOnlyList<ProfileError> Validate(string paramsJson, IReadOnlyCollection<string> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        var errors = new List<ProfileError>();
        JsonDocument document;
        try { document = JsonDocument.Parse(paramsJson); }
        catch (JsonException) { return [new("params", "is not valid JSON")]; }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return [new("params", "must be a JSON object")];
            var relativeRisk = root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String
                && model.GetString() == ScoringProfile.RelativeRiskModel;
            if (root.TryGetProperty("model", out model) && !relativeRisk)
                errors.Add(new("model", $"must be \"{ScoringProfile.RelativeRiskModel}\" (leave it out for the version-1 percentile model)"));

            var known = new HashSet<string>(Common.Keys) { "model", "category_weights", "thresholds" };
            if (relativeRisk) known.UnionWith(["reference", "reference_rates", "prior_shape", "credible_level", "trend_alpha"]);
            else known.UnionWith(["normalisation", "shrinkage"]);
            foreach (var p in root.EnumerateObject())
                if (!known.Contains(p.Name)) errors.Add(new(p.Name, "is not a key of this model"));

            foreach (var (key, range) in Common)
                CheckNumber(root, key, key, range, required: key is "half_life_days" or "window_days", errors);

            if (!root.TryGetProperty("category_weights", out var weights) || weights.ValueKind != JsonValueKind.Object)
                errors.Add(new("category_weights", "must be an object of category: weight"));
            else
            {
                foreach (var w in weights.EnumerateObject())
                {
                    if (!categories.Contains(w.Name)) errors.Add(new($"category_weights.{w.Name}", "is not a category (GET /api/categories)"));
                    else CheckNumber(weights, w.Name, $"category_weights.{w.Name}", new(0, 10), required: true, errors);
                }
                if (!weights.EnumerateObject().Any(w => w.Value.ValueKind == JsonValueKind.Number && w.Value.GetDouble() > 0))
                    errors.Add(new("category_weights", "must give at least one category a weight above 0"));
            }

            if (!root.TryGetProperty("thresholds", out var thresholds) || thresholds.ValueKind != JsonValueKind.Object)
                errors.Add(new("thresholds", "must be an object"));
            else
            {
                var rangeOfThresholds = new Dictionary<string, Range>(Thresholds)
                {
                    [relativeRisk ? "min_rr_lower" : "min_score"] = relativeRisk ? new(0, 100, MinExclusive: true) : new(0, 100),
                };
                foreach (var t in thresholds.EnumerateObject())
                    if (!rangeOfThresholds.ContainsKey(t.Name)) errors.Add(new($"thresholds.{t.Name}", "is not a threshold of this model"));
                foreach (var (key, range) in rangeOfThresholds)
                    CheckNumber(thresholds, key, $"thresholds.{key}", range, required: true, errors);
            }

            if (relativeRisk)
            {
                CheckNumber(root, "credible_level", "credible_level", new(0.5, 0.999), required: false, errors);
                CheckNumber(root, "trend_alpha", "trend_alpha", new(0.0001, 0.5), required: false, errors);
                if (root.TryGetProperty("reference", out var reference)
                    && !(reference.ValueKind == JsonValueKind.String && RelativeRiskSettings.References.Contains(reference.GetString()!)))
                    errors.Add(new("reference", $"must be one of {string.Join(", ", RelativeRiskSettings.References)}"));
                if (root.TryGetProperty("prior_shape", out var prior)
                    && !(prior.ValueKind == JsonValueKind.String && prior.GetString() == "auto")
                    && !(prior.ValueKind == JsonValueKind.Number && prior.GetDouble() is > 0 and <= 1_000_000))
                    errors.Add(new("prior_shape", "must be \"auto\" or a number in (0, 1000000]"));
                if (root.TryGetProperty("reference_rates", out var rates))
                {
                    if (rates.ValueKind != JsonValueKind.Object) errors.Add(new("reference_rates", "must be an object of unit: rate"));
                    else
                        foreach (var r in rates.EnumerateObject())
                        {
                            if (!RelativeRiskSettings.Units.Contains(r.Name))
                                errors.Add(new($"reference_rates.{r.Name}", $"is not a unit ({string.Join(", ", RelativeRiskSettings.Units)})"));
                            else CheckNumber(rates, r.Name, $"reference_rates.{r.Name}", new(0, 1e9, MinExclusive: true), required: true, errors);
                        }
                }
                if (reference.ValueKind == JsonValueKind.String && reference.GetString() == "fixed" && rates.ValueKind != JsonValueKind.Object)
                    errors.Add(new("reference_rates", "must give a rate per unit when reference is \"fixed\""));
            }
            else
            {
                if (root.TryGetProperty("normalisation", out var n)
                    && !(n.ValueKind == JsonValueKind.String && ScoringProfile.Normalisations.Contains(n.GetString()!)))
                    errors.Add(new("normalisation", $"must be one of {string.Join(", ", ScoringProfile.Normalisations)}"));
                if (root.TryGetProperty("shrinkage", out var s) && s.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    errors.Add(new("shrinkage", "must be true or false"));
            }
        }
        return errors;
    }

    private static void CheckNumber(JsonElement parent, string name, string key, Range range, bool required, List<ProfileError> errors)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            if (required) errors.Add(new(key, "is missing"));
            return;
        }
        string Bounds() => string.Create(CultureInfo.InvariantCulture,
            $"{(range.MinExclusive ? "(" : "[")}{range.Min}, {range.Max}]{(range.Integer ? ", a whole number" : "")}");
        if (value.ValueKind != JsonValueKind.Number) { errors.Add(new(key, $"must be a number in {Bounds()}")); return; }
        var v = value.GetDouble();
        if (v < range.Min || v > range.Max || (range.MinExclusive && v <= range.Min) || (range.Integer && v != Math.Floor(v)))
            errors.Add(new(key, $"must be in {Bounds()}"));
    }
}
