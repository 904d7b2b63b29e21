using GeoRisk.Core.Privacy;

namespace GeoRisk.Core.Signaallijst;

/// <summary>
/// A follow-up note must carry no personal data: it goes through the privacy gate
/// (<see cref="PrivacyGate"/>), the same check as signal remarks at intake.
/// </summary>
public static class FollowupNotePrivacy
{
    /// <summary>Codes of the kinds of personal data found; empty when the note is clean. Never the value.</summary>
    public static IReadOnlyList<string> Scan(string? note) => PrivacyGate.Scan(note).Codes();
}
