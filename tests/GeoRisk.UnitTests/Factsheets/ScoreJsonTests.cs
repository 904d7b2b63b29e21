using GeoRisk.Reports.Factsheets;
using Xunit;

namespace GeoRisk.UnitTests.Factsheets;

public class ScoreJsonTests
{
    [Fact]
    public void Reads_the_components_and_flags_a_scoring_run_stores()
    {
        // The shape the score_compute writes into score.components and score.flags.
        var components = ScoreJson.Components("""{"drugshandel": 6.25, "witwassen": 1.5}""");
        Assert.Equal([new ScoreComponent("drugshandel", 6.25), new ScoreComponent("witwassen", 1.5)], components);
        var (candidate, reasons) = ScoreJson.Flags("""
            {"kandidaat": false, "corroboration": 1.5,
             "reasons": [{"threshold": "min_score", "required": 80, "actual": 91.5, "passed": true},
                         {"threshold": "min_sources", "required": 2, "actual": 1, "passed": false}],
             "trend": {"direction": "up"}}
            """);
        Assert.False(candidate);
        Assert.Equal(["✔ min_score: 91.5 (≥ 80)", "✘ min_sources: 1 (≥ 2)"], reasons);
    }

    [Fact]
    public void Accepts_components_as_a_list_and_reasons_as_text_and_tolerates_nothing()
    {
        Assert.Equal([new ScoreComponent("vastgoed", 2)], ScoreJson.Components("""[{"category": "vastgoed", "value": 2}]"""));
        var (candidate, reasons) = ScoreJson.Flags("""{"knelpunt": {"raised": true, "reasons": ["score ≥ 80"]}}""");
        Assert.True(candidate);
        Assert.Equal(["score ≥ 80"], reasons);
        Assert.Empty(ScoreJson.Components(null));
        var (none, noReasons) = ScoreJson.Flags("{}");
        Assert.Null(none);
        Assert.Empty(noReasons);
    }
}
