using Xunit;
using GeoRisk.Core.Signaallijst;

namespace GeoRisk.UnitTests.Signaallijst;

public class SignalRankingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RankingParameters P = new(
        HalfLifeDays: 100, CorroborationStep: 0.5, CorroborationRadiusM: 250, CorroborationDays: 365,
        CategoryWeights: new Dictionary<string, double> { ["drugshandel"] = 2.0, ["burgermelding"] = 0.5 });

    [Fact]
    public void Priority_is_weight_times_reliability_times_recency_times_corroboration()
    {
        // 100 days old = one half-life: recency 0.5; two other partners: corroboration 1 + 0.5·2 = 2.
        var s = new SignalCandidate(1, "drugshandel", "politie", Now.AddDays(-100), 0.8, 2);
        var r = Assert.Single(SignalRanking.Rank([s], P, Now));
        Assert.Equal(2.0, r.Weight);
        Assert.Equal(0.5, r.Recency, 12);
        Assert.Equal(2.0, r.Corroboration);
        Assert.Equal(2.0 * 0.8 * 0.5 * 2.0, r.Priority, 12);
    }

    [Fact]
    public void Hand_built_set_ranks_in_the_hand_computed_order()
    {
        var signals = new[]
        {
            // priorities by hand: weight × reliability × 2^(−age/100) × (1 + 0.5·partners)
            new SignalCandidate(1, "burgermelding", "gemeente", Now, 1.0, 0),              // 0.5·1·1·1      = 0.5
            new SignalCandidate(2, "drugshandel", "politie", Now.AddDays(-200), 1.0, 0),   // 2·1·0.25·1     = 0.5 (tie with 1, older)
            new SignalCandidate(3, "witwassen", "fiod", Now.AddDays(-100), 0.9, 3),        // 1·0.9·0.5·2.5  = 1.125
            new SignalCandidate(4, "drugshandel", "gemeente", Now, 0.6, 1),                // 2·0.6·1·1.5    = 1.8
            new SignalCandidate(5, "witwassen", "belastingdienst", Now.AddDays(-10), 0.2, 0), // 1·0.2·0.933  = 0.1866
        };
        var ranked = SignalRanking.Rank(signals, P, Now);
        Assert.Equal([4L, 3L, 1L, 2L, 5L], ranked.Select(r => r.Signal.Id));
        Assert.Equal([1, 2, 3, 4, 5], ranked.Select(r => r.Rank));
        Assert.Equal(1.8, ranked[0].Priority, 12);
        Assert.Equal(1.125, ranked[1].Priority, 12);
        Assert.Equal(0.2 * Math.Pow(2, -0.1), ranked[4].Priority, 12);
    }

    [Fact]
    public void A_second_partner_nearby_lifts_an_otherwise_equal_signal()
    {
        var alone = new SignalCandidate(1, "vastgoed", "kvk", Now.AddDays(-30), 0.7, 0);
        var corroborated = alone with { Id = 2, CorroboratingPartners = 1 };
        var ranked = SignalRanking.Rank([alone, corroborated], P, Now);
        Assert.Equal(2, ranked[0].Signal.Id);
        Assert.Equal(1.5, ranked[0].Priority / ranked[1].Priority, 12);
    }

    [Fact]
    public void Ties_are_broken_by_newer_then_lower_id_whatever_the_input_order()
    {
        var a = new SignalCandidate(7, "vastgoed", "kvk", Now, 0.5, 0);
        var b = a with { Id = 3 };
        Assert.Equal([3L, 7L], SignalRanking.Rank([a, b], P, Now).Select(r => r.Signal.Id));
        Assert.Equal([3L, 7L], SignalRanking.Rank([b, a], P, Now).Select(r => r.Signal.Id));
    }

    [Fact]
    public void Reason_names_every_factor_in_both_languages()
    {
        var r = SignalRanking.Rank([new SignalCandidate(1, "drugshandel", "politie", Now.AddDays(-100), 0.8, 2)], P, Now)[0];
        Assert.Equal("gewicht 2 × betrouwbaarheid 0,8 × recentheid 0,5 (100 dagen oud) × bevestiging 2 (2 andere partners in de buurt) = 1,6", r.Reason("nl"));
        Assert.Equal("weight 2 × reliability 0.8 × recency 0.5 (100 days old) × corroboration 2 (2 other partners nearby) = 1.6", r.Reason("en"));
    }

    [Fact]
    public void A_future_dated_signal_does_not_count_more_than_a_fresh_one() =>
        Assert.Equal(1.0, SignalRanking.Recency(-5, 100));
}
