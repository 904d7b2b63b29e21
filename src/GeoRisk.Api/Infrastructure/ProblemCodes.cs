using System.Text;

namespace GeoRisk.Api.Infrastructure;

/// <summary>
/// Every problem answer carries a stable, language-neutral <c>code</c> (snake_case) next to its
/// English title and detail, so the web map can show its own Dutch or English text for it
/// (wwwroot/i18n, keys <c>problem.&lt;code&gt;</c>). An endpoint may set a more specific code;
/// otherwise the code is derived from the title, which is why titles are stable short phrases.
/// </summary>
public static class ProblemCodes
{
    public const string Key = "code";

    /// <summary>"Personal data in note" → <c>personal_data_in_note</c>; no title → <c>status_404</c>.</summary>
    public static string FromTitle(string? title, int? status)
    {
        if (string.IsNullOrWhiteSpace(title)) return $"status_{status ?? 500}";
        var sb = new StringBuilder(title.Length);
        foreach (var c in title.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
        }
        return sb.ToString().TrimEnd('_');
    }

    /// <summary>Adds <c>code</c> when the problem has none (CustomizeProblemDetails hook).</summary>
    public static void Apply(Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        if (!problem.Extensions.ContainsKey(Key)) problem.Extensions[Key] = FromTitle(problem.Title, problem.Status);
    }
}
