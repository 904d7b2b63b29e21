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
    public static string? Validate(string from, string to, string? note) => Check(from, to, note)?.Message;

    /// <summary>Null when the move and note are acceptable, otherwise the refusal with a stable code
    /// (what the web map translates) and an English message; neither names a personal value.</summary>
    public static FollowupRefusal? Check(string from, string to, string? note)
    {
        if (!IsKnown(to)) return new("followup_unknown_status", $"unknown follow-up status; valid: {string.Join(", ", Steps)}");
        if (!CanMove(from, to))
        {
            var next = NextStatuses(from);
            return new("followup_step_not_allowed", $"a signal in status '{from}' cannot move to '{to}'; allowed: {(next.Count == 0 ? "none" : string.Join(", ", next))}");
        }
        if (string.IsNullOrWhiteSpace(note)) return new("followup_note_required", "a short note is required (what was done or decided, no personal data)");
        if (note.Length > MaxNoteLength) return new("followup_note_too_long", $"the note is {note.Length} characters; at most {MaxNoteLength}");
        return null;
    }
}

/// <summary>Why a follow-up move was refused: a stable code and an English message.</summary>
public sealed record FollowupRefusal(string Code, string Message);
