namespace GeoRisk.Core.Signaallijst;

/// <summary>
/// Follow-up of a signal along the RIEC werkwijze: nieuw → verkennen → informatie delen &amp;
/// analyseren → uitvoeren → evalueren → afgesloten (codes as in table followup_status).
/// Allowed moves: one step forward; closing early from any open step (the note says why);
/// reopening a closed signal into verkennen. Everything else (skipping steps, going back,
/// staying put) is refused, so the history reads as the casustafel actually worked.
/// </summary>
public static class FollowupWorkflow
{
    public const string Nieuw = "nieuw";
    public const string Verkennen = "verkennen";
    public const string InformatieDelen = "informatie_delen";
    public const string Uitvoeren = "uitvoeren";
    public const string Evalueren = "evalueren";
    public const string Afgesloten = "afgesloten";

    public const int MaxNoteLength = 280;

    public static IReadOnlyList<string> Steps { get; } =
        [Nieuw, Verkennen, InformatieDelen, Uitvoeren, Evalueren, Afgesloten];

    public static bool IsKnown(string status) => Steps.Contains(status, StringComparer.Ordinal);

    /// <summary>The statuses a signal in <paramref name="current"/> may move to, in werkwijze order.</summary>
    public static IReadOnlyList<string> NextStatuses(string current)
    {
        var i = Steps.ToList().IndexOf(current);
        if (i < 0) return [];
        if (current == Afgesloten) return [Verkennen];
        return current == Evalueren ? [Afgesloten] : [Steps[i + 1], Afgesloten];
    }

    public static bool CanMove(string from, string to) => NextStatuses(from).Contains(to, StringComparer.Ordinal);

    /// <summary>Null when the move and note are acceptable, otherwise a reason that names no personal value.</summary>
    public static string? Validate(string from, string to, string? note)
    {
        if (!IsKnown(to)) return $"unknown follow-up status; valid: {string.Join(", ", Steps)}";
        if (!CanMove(from, to))
        {
            var next = NextStatuses(from);
            return $"a signal in status '{from}' cannot move to '{to}'; allowed: {(next.Count == 0 ? "none" : string.Join(", ", next))}";
        }
        if (string.IsNullOrWhiteSpace(note)) return "a short note is required (what was done or decided, no personal data)";
        if (note.Length > MaxNoteLength) return $"the note is {note.Length} characters; at most {MaxNoteLength}";
        return null;
    }
}
