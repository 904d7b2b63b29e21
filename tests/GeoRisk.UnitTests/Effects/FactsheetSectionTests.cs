using System.Text.Json;
using GeoRisk.Core.Effects;
using GeoRisk.Data.Interventions;
using GeoRisk.Reports.Effects;

namespace GeoRisk.UnitTests.Effects;

/// <summary>What the factsheet keeps of an analysis (and its cache holds): aggregates, no outline, description or author.</summary>
public class FactsheetSectionTests
{
    [Fact]
    public void The_factsheet_keeps_the_counts_and_verdict_but_no_outline_description_or_author()
    {
        using var target = JsonDocument.Parse("""{"type":"Point","coordinates":[4.9,52.3]}""");
        using var outline = JsonDocument.Parse("""{"type":"Point","coordinates":[4.9,52.3]}""");
        var result = EffectAnalysis.Analyse(new EffectCounts(100, 60, 50, 66, 200, 220));
        var windows = new EffectWindows(new DateOnly(2024, 12, 1), new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 1), new DateOnly(2025, 11, 30), 182, 0, new DateOnly(2026, 1, 1));
        var report = new EffectAnalysisReport(
            new Intervention(1, "x", 1, "Sluiting", "sluiting", "ct-a", "TGT", new DateOnly(2025, 6, 1), null,
                "Pand van J. Jansen, Dorpsstraat 1", target.RootElement.Clone(), 0.25, "analist@example.org", DateTimeOffset.UnixEpoch, true),
            windows, false, 250, ["CTL"], true,
            [new SuggestedControl("CTL", "Controlebuurt", 0.9, 1.1, 120)],
            [new EffectZone("target", 0.25, outline.RootElement.Clone(), 100, 60, new Dictionary<string, long[]>(), [], null)],
            result, "oordeel", "verdict", EffectReport.Methods);

        var kept = EffectReport.ForFactsheet(report);

        Assert.Equal("", kept.Intervention.Description);
        Assert.Equal("", kept.Intervention.CreatedBy);
        Assert.Equal(JsonValueKind.Undefined, kept.Intervention.Target.ValueKind);
        Assert.Empty(kept.Zones);
        Assert.Empty(kept.Suggestions);
        Assert.Equal("Sluiting", kept.Intervention.Name);
        Assert.Same(result, kept.Result);
        Assert.Equal(windows, kept.Windows);
        Assert.Equal(["CTL"], kept.ControlCodes);
        Assert.Equal(("oordeel", "verdict"), (kept.VerdictNl, kept.VerdictEn));
    }
}
