using System.Globalization;
using CsvHelper;

namespace GeoRisk.Reports.Signaallijst;

/// <summary>The signal list as CSV (UTF-8, comma, RFC 4180 quoting; invariant numbers and ISO dates)
/// for partners who take it into their own systems. Columns are documented in docs/webmap.md.</summary>
public static class SignaallijstCsv
{
    public static IReadOnlyList<string> Columns { get; } =
    [
        "rank", "signal_id", "category", "observed_at", "location_precision", "area_code",
        "x_rd", "y_rd", "lon", "lat", "corroborating_partners", "followup_status", "priority", "reason",
    ];

    /// <summary>Column headers for people, per language, in the order of <see cref="Columns"/>.</summary>
    public static IReadOnlyList<string> HeadersNl { get; } =
    [
        "Rang", "Signaal-id", "Categorie", "Waargenomen (UTC)", "Locatieprecisie", "Gebiedscode",
        "X (RD)", "Y (RD)", "Lengtegraad (WGS84)", "Breedtegraad (WGS84)", "Andere partners in de buurt", "Opvolging", "Prioriteit", "Waarom hier",
    ];

    public static IReadOnlyList<string> HeadersEn { get; } =
    [
        "Rank", "Signal id", "Category", "Observed (UTC)", "Location precision", "Area code",
        "X (RD)", "Y (RD)", "Longitude (WGS84)", "Latitude (WGS84)", "Other partners nearby", "Follow-up", "Priority", "Why here",
    ];

    /// <summary>Writes the list. <paramref name="headerLang"/> null: the column codes as header
    /// (for systems); "nl"/"en": headers in words for people (values stay invariant either way).</summary>
    public static async Task WriteAsync(TextWriter writer, SignaallijstResult list, CancellationToken ct, string? headerLang = null)
    {
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var c in headerLang switch { "nl" => HeadersNl, "en" => HeadersEn, _ => Columns }) csv.WriteField(c);
        await csv.NextRecordAsync();
        foreach (var r in list.Rows)
        {
            ct.ThrowIfCancellationRequested();
            csv.WriteField(r.Rank);
            csv.WriteField(r.SignalId);
            csv.WriteField(r.Category);
            csv.WriteField(r.ObservedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            csv.WriteField(r.Location.Precision);
            csv.WriteField(r.Location.AreaCode ?? "");
            csv.WriteField(Fmt(r.Location.X, "0"));
            csv.WriteField(Fmt(r.Location.Y, "0"));
            csv.WriteField(Fmt(r.Location.Lon, "0.000000"));
            csv.WriteField(Fmt(r.Location.Lat, "0.000000"));
            csv.WriteField(r.CorroboratingPartners);
            csv.WriteField(r.FollowupStatus);
            csv.WriteField(r.Priority.ToString("0.######", CultureInfo.InvariantCulture));
            csv.WriteField(r.Reason);
            await csv.NextRecordAsync();
        }
        await csv.FlushAsync();
    }

    private static string Fmt(double? v, string format) =>
        v is null ? "" : v.Value.ToString(format, CultureInfo.InvariantCulture);
}
