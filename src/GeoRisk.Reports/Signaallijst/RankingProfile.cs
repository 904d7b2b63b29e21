using System.Text.Json;
using GeoRisk.Core.Signaallijst;

namespace GeoRisk.Reports.Signaallijst;

/// <summary>
/// Takes the signal list's constants from a scoring profile's params (jsonb), so the list and
/// the area score weigh categories alike. Recognised keys: <c>signaallijst</c> {half_life_days,
/// corroboration_step, corroboration_radius_m, corroboration_days}, and at top level
/// <c>half_life_days</c> and <c>category_weights</c> (or <c>weights</c>) {category: weight}.
/// Unknown keys are ignored; a missing key keeps the default.
/// </summary>
public static class RankingProfile
{
    public static RankingParameters Apply(RankingParameters p, string paramsJson)
    {
        using var doc = JsonDocument.Parse(paramsJson);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return p;
        static double? Num(JsonElement o, string name) =>
            o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

        var own = root.TryGetProperty("signaallijst", out var s) ? s : default;
        var weights = new Dictionary<string, double>(p.CategoryWeights);
        foreach (var key in new[] { "category_weights", "weights" })
        {
            if (!root.TryGetProperty(key, out var w) || w.ValueKind != JsonValueKind.Object) continue;
            foreach (var prop in w.EnumerateObject())
                if (prop.Value.ValueKind == JsonValueKind.Number) weights[prop.Name] = prop.Value.GetDouble();
            break;
        }
        var halfLife = Num(own, "half_life_days") ?? Num(root, "half_life_days") ?? p.HalfLifeDays;
        return p with
        {
            HalfLifeDays = halfLife > 0 ? halfLife : p.HalfLifeDays,
            CorroborationStep = Num(own, "corroboration_step") ?? p.CorroborationStep,
            CorroborationRadiusM = Num(own, "corroboration_radius_m") ?? p.CorroborationRadiusM,
            CorroborationDays = Num(own, "corroboration_days") ?? p.CorroborationDays,
            CategoryWeights = weights,
        };
    }
}
