using System.Text.RegularExpressions;

namespace GeoRisk.Core.Signaallijst;

/// <summary>
/// SEAM for issue 3's privacy gate (GeoRisk.Core.Privacy.PrivacyGate, not on main when issue 7
/// was written). A follow-up note must carry no personal data. Until the gate is merged this
/// interim guard is deliberately stricter than the gate: it refuses any note with an '@' or a
/// run of six or more digits (spaces, dots and dashes between them ignored), which covers BSNs,
/// IBANs, phone numbers, e-mail addresses and dates of birth. When PrivacyGate is on main,
/// replace the body of <see cref="Scan"/> with <c>PrivacyGate.Scan(note).Codes()</c>.
/// </summary>
public static partial class FollowupNotePrivacy
{
    /// <summary>Codes of the kinds of personal data found; empty when the note is clean. Never the value.</summary>
    public static IReadOnlyList<string> Scan(string? note)
    {
        if (string.IsNullOrEmpty(note)) return [];
        var kinds = new List<string>();
        if (note.Contains('@', StringComparison.Ordinal)) kinds.Add("email");
        if (LongNumber().IsMatch(note)) kinds.Add("number");
        return kinds;
    }

    [GeneratedRegex(@"\d(?:[ .\-]?\d){5,}")]
    private static partial Regex LongNumber();
}
