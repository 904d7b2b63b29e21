using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GeoRisk.Api.Infrastructure;

/// <summary>
/// Consecutive sections of one request and their wall-clock milliseconds, as a W3C
/// <c>Server-Timing</c> header value (<c>name;dur=12.3, ...</c>): a client or benchmark sees
/// where the time went without server logs. Names are fixed by the code, never taken from input.
/// </summary>
public sealed class ServerTiming
{
    private readonly StringBuilder _value = new();
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Ends the section that started at the previous mark (or at construction).</summary>
    public void Mark(string section)
    {
        var now = Stopwatch.GetTimestamp();
        if (_value.Length > 0) _value.Append(", ");
        _value.Append(section).Append(";dur=")
            .Append(Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
        _last = now;
    }

    public override string ToString() => _value.ToString();
}
