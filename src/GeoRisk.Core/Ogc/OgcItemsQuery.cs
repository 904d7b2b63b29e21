using System.Globalization;

namespace GeoRisk.Core.Ogc;

/// <summary>A bounding box as given: four numbers in the axis order of <see cref="Crs"/>.</summary>
public sealed record OgcBbox(double MinA, double MinB, double MaxA, double MaxB, OgcCrs Crs)
{
    /// <summary>The box as PostGIS x/y (longitude/easting first), whatever the CRS's axis order.</summary>
    public (double MinX, double MinY, double MaxX, double MaxY) XY => Crs.LatLon ? (MinB, MinA, MaxB, MaxA) : (MinA, MinB, MaxA, MaxB);
}

/// <summary>
/// A time filter as a half-open interval [<see cref="From"/>, <see cref="Until"/>) in UTC; null
/// ends are open. A date means the whole day in Dutch local time.
/// </summary>
public sealed record OgcInterval(DateTimeOffset? From, DateTimeOffset? Until);

/// <summary>
/// The parameters of <c>/collections/{id}/items</c> of OGC API Features Parts 1–3, parsed and
/// checked. Unknown parameters are refused by the endpoint (Part 1 allows that), except the
/// queryable properties a collection offers as equality filters.
/// </summary>
public sealed record OgcItemsQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    public int Limit { get; init; } = DefaultLimit;
    public int Offset { get; init; }
    public OgcBbox? Bbox { get; init; }
    public OgcInterval? Datetime { get; init; }
    public OgcCrs Crs { get; init; } = OgcCrs.Crs84;
    public string? Filter { get; init; }

    /// <summary>The parameter names this parser reads (besides <c>f</c> and queryable properties).</summary>
    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "limit", "offset", "bbox", "bbox-crs", "datetime", "crs", "filter", "filter-lang", "filter-crs", "f",
    };

    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>Parses the query parameters; errors maps a parameter name to what is wrong with it.</summary>
    public static (OgcItemsQuery Query, Dictionary<string, string> Errors) Parse(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var q = new OgcItemsQuery();

        if (get("limit") is { } limit)
        {
            // Part 1: a limit above the maximum is not an error; the server answers with its maximum.
            if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l >= 1) q = q with { Limit = Math.Min(l, MaxLimit) };
            else if (long.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var big) && big >= 1) q = q with { Limit = MaxLimit };
            else errors["limit"] = $"limit must be a whole number from 1 (at most {MaxLimit} are returned per page)";
        }
        if (get("offset") is { } offset)
        {
            if (int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var o) && o >= 0) q = q with { Offset = o };
            else errors["offset"] = "offset must be a whole number from 0 (follow the 'next' link rather than building it)";
        }
        if (get("crs") is { } crs)
        {
            if (OgcCrs.Parse(crs) is { } c) q = q with { Crs = c };
            else errors["crs"] = $"crs must be one of: {string.Join(", ", OgcCrs.Supported.Select(s => s.Uri))}";
        }
        var bboxCrs = OgcCrs.Crs84;
        if (get("bbox-crs") is { } bc)
        {
            if (OgcCrs.Parse(bc) is { } c) bboxCrs = c;
            else errors["bbox-crs"] = $"bbox-crs must be one of: {string.Join(", ", OgcCrs.Supported.Select(s => s.Uri))}";
        }
        if (get("bbox") is { } bbox)
        {
            if (ParseBbox(bbox, bboxCrs, out var box, out var error)) q = q with { Bbox = box };
            else errors["bbox"] = error!;
        }
        else if (get("bbox-crs") is not null && !errors.ContainsKey("bbox-crs"))
        {
            errors["bbox-crs"] = "bbox-crs is given without bbox";
        }
        if (get("datetime") is { } dt)
        {
            if (ParseDatetime(dt, out var interval, out var error)) q = q with { Datetime = interval };
            else errors["datetime"] = error!;
        }
        if (get("filter-lang") is { } lang && lang != "cql2-text")
            errors["filter-lang"] = "filter-lang must be cql2-text";
        if (get("filter-crs") is { } fc && OgcCrs.Parse(fc) is null)
            errors["filter-crs"] = "filter-crs must be a supported CRS (the filter has no spatial part)";
        if (get("filter") is { } filter)
        {
            if (string.IsNullOrWhiteSpace(filter)) errors["filter"] = "filter is empty";
            else q = q with { Filter = filter };
        }
        return (q, errors);
    }

    public static bool ParseBbox(string value, OgcCrs crs, out OgcBbox? bbox, out string? error)
    {
        bbox = null;
        var parts = value.Split(',');
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                error = "bbox must be four comma-separated numbers: min x, min y, max x, max y in the axis order of bbox-crs";
                return false;
            }
        }
        if (numbers.Length == 6) numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]; // 3D: heights are ignored
        if (numbers.Length != 4)
        {
            error = "bbox must have four numbers (or six with heights)";
            return false;
        }
        if (numbers[0] > numbers[2] || numbers[1] > numbers[3])
        {
            // A box crossing the antimeridian never touches the Netherlands: it is refused rather than guessed at.
            error = "bbox minimum must not exceed its maximum on either axis";
            return false;
        }
        if (crs.Srid == 4326)
        {
            var (lon0, lat0, lon1, lat1) = crs.LatLon ? (numbers[1], numbers[0], numbers[3], numbers[2]) : (numbers[0], numbers[1], numbers[2], numbers[3]);
            if (lon0 < -180 || lon1 > 180 || lat0 < -90 || lat1 > 90)
            {
                error = $"bbox is outside the valid range of {crs.Label} (longitude −180…180, latitude −90…90{(crs.LatLon ? ", latitude first" : "")})";
                return false;
            }
        }
        bbox = new OgcBbox(numbers[0], numbers[1], numbers[2], numbers[3], crs);
        error = null;
        return true;
    }

    /// <summary>An instant, a date, or an interval <c>start/end</c> with <c>..</c> or nothing for an open end.</summary>
    public static bool ParseDatetime(string value, out OgcInterval? interval, out string? error)
    {
        interval = null;
        error = "datetime must be an RFC 3339 date or timestamp (2026-01-31, 2026-01-31T12:00:00Z) or an interval start/end with '..' for an open end";
        var parts = value.Split('/');
        if (parts.Length == 1)
        {
            if (!ParseEnd(parts[0], out var from, out var until, out _) || from is null) return false;
            interval = new OgcInterval(from, until);
            error = null;
            return true;
        }
        if (parts.Length != 2) return false;
        if (!ParseEnd(parts[0], out var start, out _, out var openStart) || !ParseEnd(parts[1], out var endStart, out var endUntil, out var openEnd)) return false;
        if (openStart && openEnd) return false; // "../.." says nothing; Part 1 does not allow it
        if (start is { } s && endUntil is { } e && s >= e)
        {
            error = "datetime interval ends before it starts";
            return false;
        }
        _ = endStart;
        interval = new OgcInterval(start, endUntil);
        error = null;
        return true;
    }

    /// <summary>
    /// One end of an interval: the first instant it covers (<paramref name="from"/>) and the first
    /// after it (<paramref name="until"/>): a day for a date, one microsecond (PostgreSQL's
    /// resolution) for a timestamp.
    /// </summary>
    private static bool ParseEnd(string s, out DateTimeOffset? from, out DateTimeOffset? until, out bool open)
    {
        from = until = null;
        open = s is ".." or "";
        if (open) return true;
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            from = LocalMidnight(date);
            until = LocalMidnight(date.AddDays(1));
            return true;
        }
        if (s.Contains('T', StringComparison.OrdinalIgnoreCase)
            && (s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && (s[^6] == '+' || s[^6] == '-')))
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            from = instant.ToUniversalTime();
            until = from.Value.AddTicks(10);
            return true;
        }
        return false;
    }

    private static DateTimeOffset LocalMidnight(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Amsterdam.GetUtcOffset(local)).ToUniversalTime();
    }
}
