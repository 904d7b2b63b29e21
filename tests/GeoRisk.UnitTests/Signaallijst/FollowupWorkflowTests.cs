using Xunit;
using GeoRisk.Core.Signaallijst;

namespace GeoRisk.UnitTests.Signaallijst;

public class FollowupWorkflowTests
{
    [Theory]
    [InlineData("nieuw", "verkennen", true)]
    [InlineData("verkennen", "informatie_delen", true)]
    [InlineData("informatie_delen", "uitvoeren", true)]
    [InlineData("uitvoeren", "evalueren", true)]
    [InlineData("evalueren", "afgesloten", true)]
    [InlineData("nieuw", "afgesloten", true)]          // closed early: the note says why
    [InlineData("uitvoeren", "afgesloten", true)]
    [InlineData("afgesloten", "verkennen", true)]      // reopened
    [InlineData("nieuw", "uitvoeren", false)]          // skipping steps
    [InlineData("uitvoeren", "verkennen", false)]      // going back
    [InlineData("verkennen", "verkennen", false)]      // staying put
    [InlineData("afgesloten", "nieuw", false)]
    [InlineData("nieuw", "gearchiveerd", false)]       // unknown
    public void Moves_follow_the_RIEC_werkwijze(string from, string to, bool allowed)
    {
        Assert.Equal(allowed, FollowupWorkflow.CanMove(from, to));
        Assert.Equal(allowed, FollowupWorkflow.Validate(from, to, "besproken aan tafel") is null);
    }

    [Fact]
    public void The_steps_are_the_six_of_the_werkwijze_in_order() =>
        Assert.Equal(["nieuw", "verkennen", "informatie_delen", "uitvoeren", "evalueren", "afgesloten"], FollowupWorkflow.Steps);

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void A_note_is_required(string? note) =>
        Assert.Contains("note is required", FollowupWorkflow.Validate("nieuw", "verkennen", note));

    [Fact]
    public void A_note_longer_than_280_characters_is_refused_with_its_length()
    {
        var error = FollowupWorkflow.Validate("nieuw", "verkennen", new string('x', 281));
        Assert.Contains("281", error);
        Assert.Null(FollowupWorkflow.Validate("nieuw", "verkennen", new string('x', 280)));
    }

    [Fact]
    public void A_refused_move_names_the_allowed_ones() =>
        Assert.Equal("a signal in status 'nieuw' cannot move to 'uitvoeren'; allowed: verkennen, afgesloten",
            FollowupWorkflow.Validate("nieuw", "uitvoeren", "x"));
}
