using System.Globalization;
using System.Text.Json;

namespace GeoRisk.Reports.Factsheets;

/// <summary>
/// Reads the score table's <c>components</c> and <c>flags</c> jsonb (written by the scoring run)
/// for the factsheet. Accepts the shapes a scoring run may reasonably write:
/// components as {category: number}, {category: {value|contribution: number}} or
/// [{category, value}]; flags with a boolean candidate/knelpunt/raised and reasons as strings
/// or objects with text/reason (+ passed).
/// </summary>
public static class ScoreJson
{
    public static IReadOnlyList<ScoreComponent> Components(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        using var doc = JsonDocument.Parse(json);
        var list = new List<ScoreComponent>();
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in root.EnumerateObject())
                if (Value(p.Value) is double v) list.Add(new ScoreComponent(p.Name, v));
        }
        else if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in root.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object) continue;
                var cat = Str(e, "category") ?? Str(e, "code");
                if (cat is not null && Value(e) is double v) list.Add(new ScoreComponent(cat, v));
            }
        }
        return list;
    }

    public static (bool? Candidate, IReadOnlyList<string> Reasons) Flags(string? json)
    {
        if (string.IsNullOrEmpty(json)) return (null, []);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return (null, []);
        // The flag may sit at top level or in a nested object named after it.
        var holder = root;
        foreach (var name in new[] { "knelpunt", "candidate", "kandidaat" })
            if (root.TryGetProperty(name, out var nested) && nested.ValueKind == JsonValueKind.Object) { holder = nested; break; }
        bool? candidate = null;
        foreach (var name in new[] { "candidate", "knelpunt", "kandidaat", "raised", "flag", "value" })
        {
            if (holder.TryGetProperty(name, out var b) && b.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                candidate = b.GetBoolean();
                break;
            }
        }
        var reasons = new List<string>();
        if (holder.TryGetProperty("reasons", out var rs) && rs.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in rs.EnumerateArray())
            {
                if (r.ValueKind == JsonValueKind.String) reasons.Add(r.GetString()!);
                else if (r.ValueKind == JsonValueKind.Object)
                {
                    var text = Str(r, "text") ?? Str(r, "reason") ?? Str(r, "message") ?? Str(r, "name") ?? Str(r, "threshold") ?? r.GetRawText();
                    // score_compute writes {threshold, required, actual, passed}
                    if (Num(r, "actual") is double actual && Num(r, "required") is double required)
                        text = $"{text}: {actual.ToString("0.##", CultureInfo.InvariantCulture)} (≥ {required.ToString("0.##", CultureInfo.InvariantCulture)})";
                    var passed = r.TryGetProperty("passed", out var p) && p.ValueKind is JsonValueKind.True or JsonValueKind.False ? p.GetBoolean() : (bool?)null;
                    reasons.Add(passed switch { true => $"✔ {text}", false => $"✘ {text}", null => text });
                }
            }
        }
        return (candidate, reasons);
    }

    private static double? Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.Object => Num(e, "value") ?? Num(e, "contribution") ?? Num(e, "raw"),
        _ => null,
    };

    private static double? Num(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetDouble().ToString(CultureInfo.InvariantCulture),
            _ => null,
        } : null;
}
