using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GeoRisk.Api.Infrastructure;

/// <summary>
/// Consecutive sections of one request and their wall-clock milliseconds, as a W3C
/// <c>Server-Timing</c> header value (<c>name;dur=12.3, ...</c>): a client or benchmark sees
/// where the time went without server logs. Tasks that run beside the sections (<see cref="Track{T}"/>)
/// follow them, in the order they were started, each with the time from its start to its end.
/// Names are fixed by the code, never taken from input.
/// </summary>
public sealed class ServerTiming
{
    private readonly StringBuilder _value = new();
    private readonly List<(string Name, double? Ms)> _tasks = [];
    private readonly List<(string Name, string Description)> _notes = [];
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Ends the section that started at the previous mark (or at construction).</summary>
    public void Mark(string section)
    {
        var now = Stopwatch.GetTimestamp();
        Append(_value, section, Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds);
        _last = now;
    }

    /// <summary>Times a task started just now, which runs beside the sections; its result passes through.</summary>
    public async Task<T> Track<T>(string name, Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var start = Stopwatch.GetTimestamp();
        int slot;
        lock (_tasks)
        {
            slot = _tasks.Count;
            _tasks.Add((name, null));
        }
        try
        {
            return await task.ConfigureAwait(false);
        }
        finally
        {
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            lock (_tasks) _tasks[slot] = (name, ms);
        }
    }

    /// <summary>A metric without duration, e.g. whether a section came from a cache; both strings fixed by the code.</summary>
    public void Note(string name, string description)
    {
        lock (_notes) _notes.Add((name, description));
    }

    public override string ToString()
    {
        var value = new StringBuilder().Append(_value);
        lock (_tasks)
        {
            // A task still running when the header is written has no duration to report yet.
            foreach (var (name, ms) in _tasks)
                if (ms is { } d) Append(value, name, d);
        }
        lock (_notes)
        {
            foreach (var (name, description) in _notes)
            {
                if (value.Length > 0) value.Append(", ");
                value.Append(name).Append(";desc=\"").Append(description).Append('"');
            }
        }
        return value.ToString();
    }

    private static void Append(StringBuilder value, string name, double ms)
    {
        if (value.Length > 0) value.Append(", ");
        value.Append(name).Append(";dur=").Append(ms.ToString("F1", CultureInfo.InvariantCulture));
    }
}
