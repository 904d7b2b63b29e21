using System.Globalization;

namespace GeoRisk.Tiles;

/// <summary>
/// The query parameters a tile can be filtered by, validated and normalised: categories sorted
/// and de-duplicated, dates as ISO dates, so that equivalent URLs share one cached tile.
/// <see cref="To"/> is inclusive (the whole day).
/// </summary>
public sealed record TileFilter(IReadOnlyList<string> Categories, DateOnly? From, DateOnly? To, string? Profile)
{
    public static TileFilter None { get; } = new([], null, null, null);

    /// <summary>An area code, for layers about one area (hotspots); null for the others.</summary>
    public string? Area { get; init; }

    public string Normalised =>
        $"c={string.Join(',', Categories)};f={From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)};t={To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)};p={Profile}"
        + (Area is null ? "" : $";a={Area}");

    /// <summary>Start of <see cref="From"/> in Dutch local time, as PostgreSQL timestamptz.</summary>
    /// <summary>
    /// The same filter widened to whole calendar months, for suppressed callers: windows that
    /// differ by a few days cannot be subtracted to reveal the few signals between them.
    /// </summary>
    public TileFilter WholeMonths() => this with
    {
        From = From is { } f ? new DateOnly(f.Year, f.Month, 1) : null,
        To = To is { } t ? new DateOnly(t.Year, t.Month, 1).AddMonths(1).AddDays(-1) : null,
    };

    public DateTimeOffset? FromInstant => From is { } d ? LocalMidnight(d) : null;

    /// <summary>Start of the day after <see cref="To"/> (exclusive upper bound).</summary>
    public DateTimeOffset? ToExclusiveInstant => To is { } d ? LocalMidnight(d.AddDays(1)) : null;

    /// <summary>Categories as the SQL <c>text[]</c> parameter: null = all.</summary>
    public string[]? SqlCategories => Categories.Count == 0 ? null : Categories.ToArray();

    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private static DateTimeOffset LocalMidnight(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Amsterdam.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>
    /// Validates raw query values against the known categories and profiles. Returns the filter or
    /// the problems (parameter → message), never both.
    /// </summary>
    public static (TileFilter? Filter, Dictionary<string, string>? Errors) Parse(
        IEnumerable<string?> categories, string? from, string? to, string? profile,
        IReadOnlyCollection<string> knownCategories, IReadOnlyCollection<string> knownProfiles, string? area = null)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(knownCategories);
        ArgumentNullException.ThrowIfNull(knownProfiles);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var cats = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var raw in categories)
        {
            // Accept both ?category=a&category=b and ?category=a,b.
            foreach (var c in (raw ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (knownCategories.Contains(c)) cats.Add(c);
                else errors["category"] = $"unknown category; valid categories: {string.Join(", ", knownCategories.Order(StringComparer.Ordinal))}";
            }
        }
        var fromDate = ParseDate(from, "from", errors);
        var toDate = ParseDate(to, "to", errors);
        if (fromDate is { } f && toDate is { } t && t < f) errors["to"] = $"'to' ({t:yyyy-MM-dd}) is before 'from' ({f:yyyy-MM-dd})";
        if (profile is not null && !knownProfiles.Contains(profile))
            errors["profile"] = $"unknown scoring profile; valid profiles: {string.Join(", ", knownProfiles.Order(StringComparer.Ordinal))}";
        if (area is not null && !Core.Areas.AreaCode.IsWellFormed(area))
            errors["area"] = "'area' must be an area code (letters, digits, '.', '_' or '-', at most 64)";
        return errors.Count > 0 ? (null, errors) : (new TileFilter(cats.ToArray(), fromDate, toDate, profile) { Area = area }, null);
    }

    private static DateOnly? ParseDate(string? value, string name, Dictionary<string, string> errors)
    {
        if (value is null) return null;
        // Bounded like every date parameter of the API: the SQL adds days to it and must not overflow.
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is >= 2000 and <= 2100) return d;
        errors[name] = $"'{name}' must be a date as yyyy-mm-dd between 2000-01-01 and 2100-12-31";
        return null;
    }

}
