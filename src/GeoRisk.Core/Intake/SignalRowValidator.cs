using System.Globalization;
using GeoRisk.Core.Privacy;

namespace GeoRisk.Core.Intake;

/// <summary>Defaults that a file does not carry: the partner it came from and the CRS of x/y.</summary>
public sealed record SignalIntakeOptions(string? DefaultSource = null, int? Crs = null, ImportMode Mode = ImportMode.Atomic);

/// <summary>
/// Per-row validation of signal rows: privacy gate on every stored text value, required
/// fields, dates, numbers, coordinates in the Netherlands, duplicate external ids inside the file.
/// Category, source and precision codes are checked against the reference tables in SQL,
/// set-based, after the bulk copy. One instance per file (it remembers the external ids it saw).
/// </summary>
public sealed class SignalRowValidator
{
    public const int MaxRemarkLength = 280;
    public const int MaxExternalIdLength = 100;
    public const float DefaultReliability = 0.5f;
    public const string DefaultPrecision = "object";

    /// <summary>Clocks differ a little between partners: a few minutes ahead is not "the future".</summary>
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(10);

    private static readonly TimeZoneInfo Amsterdam = FindAmsterdam();

    private readonly SignalIntakeOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<(string Source, string ExternalId), int> _seen = [];

    public SignalRowValidator(SignalIntakeOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Adds the row's problems to <paramref name="rejections"/>; true when it has none.</summary>
    public bool Validate(RawSignalRow raw, List<Rejection> rejections, out SignalRecord record)
    {
        record = default;
        var before = rejections.Count;
        var row = raw.Row;
        if (raw.ReadProblems is { } problems)
        {
            rejections.AddRange(problems);
        }

        // Control characters are refused at the edge, for every field: PostgreSQL cannot store a NUL
        // (the whole COPY would fail), and the others have no place in codes, ids or a remark.
        var unprintable = false;
        for (var f = 0; f < SignalFields.Count; f++)
        {
            var field = (SignalField)f;
            if (raw.Values[f] is { } text && IntakeStreams.HasControlCharacter(text, allowLineBreaks: field == SignalField.Remark))
            {
                rejections.Add(new Rejection(row, field.Name(), RejectionReasons.ControlCharacter,
                    $"{field.Name()} contains a control character (such as NUL); only printable text is accepted"));
                unprintable = true;
            }
        }
        if (unprintable)
        {
            return false; // the row is not read further, like a value with personal data
        }

        // Privacy first: a value with personal data is reported by kind and never used further.
        var personal = false;
        for (var f = 0; f < SignalFields.Count; f++)
        {
            var field = (SignalField)f;
            var value = raw.Values[f];
            if (value is null || !SignalFields.IsStoredText(field))
            {
                continue;
            }
            var kinds = PrivacyGate.Scan(value);
            if (kinds == PersonalDataKind.None)
            {
                continue;
            }
            personal = true;
            foreach (var kind in kinds.Split())
            {
                rejections.Add(new Rejection(row, field.Name(), RejectionReasons.PersonalData,
                    $"{field.Name()} contains {kind.Description()}", kind.Code()));
            }
        }

        var externalId = raw[SignalField.ExternalId]?.Trim();
        if (string.IsNullOrEmpty(externalId))
        {
            rejections.Add(new Rejection(row, "external_id", RejectionReasons.Required, "external_id is required"));
        }
        else if (externalId.Length > MaxExternalIdLength)
        {
            rejections.Add(new Rejection(row, "external_id", RejectionReasons.TooLong, $"external_id is longer than {MaxExternalIdLength} characters"));
        }

        var category = raw[SignalField.Category]?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(category))
        {
            rejections.Add(new Rejection(row, "category", RejectionReasons.Required, "category is required"));
        }

        var sourceValue = raw[SignalField.Source]?.Trim();
        var source = (string.IsNullOrEmpty(sourceValue) ? _options.DefaultSource : sourceValue)?.ToLowerInvariant();
        if (string.IsNullOrEmpty(source))
        {
            rejections.Add(new Rejection(row, "source", RejectionReasons.Required, "source is required (a column, a property, or --source)"));
        }

        var observedAt = default(DateTimeOffset);
        var observedText = raw[SignalField.ObservedAt];
        if (string.IsNullOrWhiteSpace(observedText))
        {
            rejections.Add(new Rejection(row, "observed_at", RejectionReasons.Required, "observed_at is required"));
        }
        else if (!TryParseObservedAt(observedText, out observedAt))
        {
            rejections.Add(new Rejection(row, "observed_at", RejectionReasons.InvalidDate,
                "observed_at is not a date: use ISO 8601 (2025-03-14, 2025-03-14T09:30:00+01:00) or dd-mm-yyyy [hh:mm]"));
        }
        else if (observedAt > _time.GetUtcNow() + FutureTolerance)
        {
            rejections.Add(new Rejection(row, "observed_at", RejectionReasons.FutureDate, "observed_at is in the future"));
        }

        var reliability = DefaultReliability;
        var reliabilityText = raw[SignalField.Reliability];
        if (!string.IsNullOrWhiteSpace(reliabilityText))
        {
            if (!TryParseDouble(reliabilityText, out var r))
            {
                rejections.Add(new Rejection(row, "reliability", RejectionReasons.InvalidNumber, "reliability is not a number"));
            }
            else if (r is < 0 or > 1 || double.IsNaN(r))
            {
                rejections.Add(new Rejection(row, "reliability", RejectionReasons.ReliabilityOutOfRange, "reliability must be between 0 and 1"));
            }
            else
            {
                reliability = (float)r;
            }
        }

        var precisionText = raw[SignalField.Precision]?.Trim();
        var precision = string.IsNullOrEmpty(precisionText) ? DefaultPrecision : precisionText.ToLowerInvariant();

        var objectRef = raw[SignalField.ObjectRef]?.Trim();
        if (string.IsNullOrEmpty(objectRef))
        {
            objectRef = null;
        }
        else if (!IsObjectRef(objectRef))
        {
            rejections.Add(new Rejection(row, "object_ref", RejectionReasons.InvalidObjectRef,
                "object_ref must be 1–64 characters of letters, digits and . _ : / - (a BAG id or KvK vestigingsnummer)"));
        }

        var remark = raw[SignalField.Remark]?.Trim();
        if (string.IsNullOrEmpty(remark))
        {
            remark = null;
        }
        else if (remark.Length > MaxRemarkLength)
        {
            rejections.Add(new Rejection(row, "remark", RejectionReasons.TooLong, $"remark is longer than {MaxRemarkLength} characters"));
        }

        var point = ReadPoint(raw, rejections);

        if (!string.IsNullOrEmpty(externalId) && !string.IsNullOrEmpty(source) && !personal)
        {
            if (_seen.TryGetValue((source, externalId), out var firstRow))
            {
                rejections.Add(new Rejection(row, "external_id", RejectionReasons.DuplicateExternalId,
                    $"external_id repeats row {firstRow} (same source): each signal once per file"));
            }
            else
            {
                _seen.Add((source, externalId), row);
            }
        }

        if (rejections.Count > before || point is null)
        {
            return false;
        }
        var (x, y, srid) = point.Value;
        record = new SignalRecord(row, source!, externalId!, category!, observedAt, reliability, precision, x, y, srid, objectRef, remark);
        return true;
    }

    private (double X, double Y, int Srid)? ReadPoint(RawSignalRow raw, List<Rejection> rejections)
    {
        var row = raw.Row;
        string xName, yName;
        double x, y;
        int srid;
        if (raw.Point is { } p)
        {
            (x, y, srid) = p;
            (xName, yName) = srid == Crs.Wgs84 ? ("lon", "lat") : ("x", "y");
        }
        else if (!string.IsNullOrWhiteSpace(raw[SignalField.Wkt]))
        {
            if (!TryParseWktPoint(raw[SignalField.Wkt]!, out x, out y, out var wktSrid))
            {
                rejections.Add(new Rejection(row, "wkt", RejectionReasons.InvalidGeometry, "wkt must be a point: POINT(x y) or SRID=4326;POINT(lon lat)"));
                return null;
            }
            srid = wktSrid ?? _options.Crs ?? Crs.Rd;
            (xName, yName) = ("wkt x", "wkt y");
        }
        else
        {
            var hasXy = raw[SignalField.X] is not null || raw[SignalField.Y] is not null;
            var (fx, fy) = hasXy ? (SignalField.X, SignalField.Y) : (SignalField.Lon, SignalField.Lat);
            var xs = raw[fx];
            var ys = raw[fy];
            if (string.IsNullOrWhiteSpace(xs) || string.IsNullOrWhiteSpace(ys))
            {
                var missing = string.IsNullOrWhiteSpace(xs) ? fx.Name() : fy.Name();
                rejections.Add(new Rejection(row, missing, RejectionReasons.MissingCoordinates,
                    "coordinates are missing: give x and y (RD), lon and lat (WGS84) or wkt"));
                return null;
            }
            var okX = TryParseDouble(xs, out x);
            var okY = TryParseDouble(ys, out y);
            if (!okX || !okY)
            {
                rejections.Add(new Rejection(row, okX ? fy.Name() : fx.Name(), RejectionReasons.InvalidNumber, "coordinate is not a number"));
                return null;
            }
            srid = hasXy ? _options.Crs ?? Crs.Rd : Crs.Wgs84;
            (xName, yName) = (fx.Name(), fy.Name());
        }
        if (NetherlandsBounds.Check(x, y, srid, xName, yName) is { } problem)
        {
            var field = raw.Point is not null ? "geometry" : xName.StartsWith("wkt", StringComparison.Ordinal) ? "wkt" : xName;
            rejections.Add(new Rejection(row, field, problem.Reason, problem.Message));
            return null;
        }
        return (x, y, srid);
    }

    public static bool TryParseDouble(string text, out double value)
    {
        var s = text.AsSpan().Trim();
        if (s.Contains(',') && !s.Contains('.'))
        {
            // Dutch decimal comma ("0,8") in a quoted field.
            Span<char> copy = stackalloc char[Math.Min(s.Length, 64)];
            if (s.Length > 64)
            {
                value = 0;
                return false;
            }
            s.CopyTo(copy);
            copy.Replace(',', '.');
            return double.TryParse(copy, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    private static bool IsObjectRef(string s)
    {
        if (s.Length is < 1 or > 64)
        {
            return false;
        }
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '/' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>POINT(x y), POINT (x y), SRID=n;POINT(x y); case-insensitive.</summary>
    public static bool TryParseWktPoint(string wkt, out double x, out double y, out int? srid)
    {
        x = y = 0;
        srid = null;
        var s = wkt.AsSpan().Trim();
        if (s.StartsWith("SRID=", StringComparison.OrdinalIgnoreCase))
        {
            var semi = s.IndexOf(';');
            if (semi < 0 || !int.TryParse(s[5..semi], NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                || code is not (Crs.Rd or Crs.Wgs84))
            {
                return false;
            }
            srid = code;
            s = s[(semi + 1)..].TrimStart();
        }
        if (!s.StartsWith("POINT", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        s = s[5..].Trim();
        if (s.Length < 2 || s[0] != '(' || s[^1] != ')')
        {
            return false;
        }
        s = s[1..^1].Trim();
        var space = s.IndexOf(' ');
        if (space < 0)
        {
            return false;
        }
        return double.TryParse(s[..space], NumberStyles.Float, CultureInfo.InvariantCulture, out x)
               && double.TryParse(s[(space + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out y)
               && double.IsFinite(x) && double.IsFinite(y);
    }

    /// <summary>
    /// ISO 8601 (yyyy-mm-dd, yyyy-mm-ddThh:mm[:ss[.fff]][Z|±hh:mm], a space instead of T) or Dutch
    /// dd-mm-yyyy [hh:mm[:ss]]. Without an offset the time is Dutch local time.
    /// </summary>
    public static bool TryParseObservedAt(string text, out DateTimeOffset value)
    {
        value = default;
        var s = text.AsSpan().Trim();
        int year, month, day, i;
        if (s.Length >= 10 && s[4] == '-' && s[7] == '-')
        {
            if (!Num(s, 0, 4, out year) || !Num(s, 5, 2, out month) || !Num(s, 8, 2, out day))
            {
                return false;
            }
            i = 10;
        }
        else if (s.Length >= 10 && s[2] is '-' or '/' && s[5] == s[2])
        {
            if (!Num(s, 0, 2, out day) || !Num(s, 3, 2, out month) || !Num(s, 6, 4, out year))
            {
                return false;
            }
            i = 10;
        }
        else
        {
            return false;
        }
        if (year is < 1900 or > 2999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        int hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        TimeSpan? offset = null;
        if (i < s.Length)
        {
            if (s[i] is not ('T' or ' ') || !Num(s, i + 1, 2, out hour) || i + 3 >= s.Length || s[i + 3] != ':' || !Num(s, i + 4, 2, out minute))
            {
                return false;
            }
            i += 6;
            if (i < s.Length && s[i] == ':')
            {
                if (!Num(s, i + 1, 2, out second))
                {
                    return false;
                }
                i += 3;
                if (i < s.Length && s[i] is '.' or ',')
                {
                    i++;
                    var scale = 1_000_000L;
                    var start = i;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        fractionTicks += (s[i] - '0') * scale;
                        scale /= 10;
                        i++;
                    }
                    if (i == start)
                    {
                        return false;
                    }
                }
            }
            if (hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }
            if (i < s.Length)
            {
                if (s[i] is 'Z' or 'z' && i == s.Length - 1)
                {
                    offset = TimeSpan.Zero;
                }
                else if (s[i] is '+' or '-')
                {
                    var sign = s[i] == '-' ? -1 : 1;
                    var rest = s[(i + 1)..];
                    int oh, om;
                    if (rest.Length == 5 && rest[2] == ':' && Num(rest, 0, 2, out oh) && Num(rest, 3, 2, out om)
                        || rest.Length == 4 && Num(rest, 0, 2, out oh) && Num(rest, 2, 2, out om)
                        || rest.Length == 2 && Num(rest, 0, 2, out oh) && (om = 0) == 0)
                    {
                        if (oh > 14 || om > 59)
                        {
                            return false;
                        }
                        offset = sign * new TimeSpan(oh, om, 0);
                    }
                    else
                    {
                        return false;
                    }
                }
                else
                {
                    return false;
                }
            }
        }
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        value = new DateTimeOffset(local, offset ?? Amsterdam.GetUtcOffset(local));
        return true;
    }

    private static bool Num(ReadOnlySpan<char> s, int start, int length, out int value)
    {
        value = 0;
        if (start + length > s.Length)
        {
            return false;
        }
        for (var i = start; i < start + length; i++)
        {
            var c = s[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }

    private static TimeZoneInfo FindAmsterdam()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
