using System.Text.Json;
using GeoRisk.Core.Privacy;

namespace GeoRisk.Core.Intake;

/// <summary>What a file turned out to be after sniffing its first bytes.</summary>
public enum IntakeFormat
{
    Csv,
    GeoJson,
}

/// <summary>Helpers shared by the signal and area readers: sniffing, JSON errors, safe names.</summary>
public static class IntakeStreams
{
    /// <summary>
    /// Looks at the first non-blank byte (after a UTF-8 BOM): '{' is GeoJSON, anything else CSV.
    /// Returns a stream that still yields every byte. An empty or blank file is a format error.
    /// </summary>
    public static (IntakeFormat Format, Stream Stream) Sniff(Stream stream)
    {
        var head = new byte[4096];
        var read = 0;
        while (read < head.Length)
        {
            var n = stream.Read(head, read, head.Length - read);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        // UTF-16 and UTF-32 (with a byte-order mark) are refused, not silently converted: partners
        // are asked for UTF-8, and one encoding keeps row numbers and lengths the same everywhere.
        if (read >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)
                          || (read >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0xFE && head[3] == 0xFF)))
        {
            throw new IntakeFormatException("the file is UTF-16 or UTF-32 (it starts with that byte-order mark); save it as UTF-8");
        }
        var i = 0;
        if (read >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
        {
            i = 3;
        }
        while (i < read && head[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }
        if (i >= read)
        {
            throw new IntakeFormatException(read == 0 ? "the file is empty" : "the file contains only blank lines");
        }
        var format = head[i] == (byte)'{' ? IntakeFormat.GeoJson : IntakeFormat.Csv;
        return (format, new PrefixedStream(head.AsMemory(0, read), stream));
    }

    /// <summary>Parses JSON; a syntax error says where, never what (the text may be personal data).</summary>
    public static JsonDocument ParseJson(Stream stream)
    {
        // The parser does not check UTF-8 inside strings (reading them later would fail): the whole
        // file is checked first. JsonDocument buffers the whole file anyway.
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..]; // a UTF-8 BOM is fine (Parse(Stream) skipped it; Parse(memory) does not)
        }
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            throw new IntakeFormatException("the file is not valid UTF-8 (an invalid byte sequence)");
        }
        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine ?? 0})" : "";
            throw new IntakeFormatException($"the file is not valid JSON{where}: truncated or damaged");
        }
        catch (ArgumentException)
        {
            throw new IntakeFormatException("the file is not valid UTF-8 JSON");
        }
    }

    /// <summary>Reads the "crs" member of a GeoJSON object; null when absent.</summary>
    public static int? ReadCrs(JsonElement root)
    {
        if (!root.TryGetProperty("crs", out var crs) || crs.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (crs.ValueKind == JsonValueKind.Object
            && crs.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object
            && props.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            && Crs.Parse(Text(name)) is { } srid)
        {
            return srid;
        }
        throw new IntakeFormatException("the file's crs is not supported: use EPSG:28992, EPSG:4326 or CRS84 (or leave it out for RFC 7946 WGS84)");
    }

    /// <summary>A column or property name as it may appear in an error: only when it carries nothing personal.</summary>
    public static string SafeName(string name, int position)
    {
        var n = name.Trim();
        return n.Length is > 0 and <= 64 && PrivacyGate.Scan(n) == PersonalDataKind.None && !n.Any(char.IsControl)
            ? n
            : $"#{position}";
    }

    /// <summary>A property's name; like <see cref="Text"/>, broken Unicode makes the file unreadable.</summary>
    public static string Name(JsonProperty property)
    {
        try
        {
            var name = property.Name;
            return IsValidUnicode(name) ? name : throw new IntakeFormatException("a property name is not valid Unicode (a lone surrogate)");
        }
        catch (InvalidOperationException)
        {
            throw new IntakeFormatException("a property name is not valid UTF-8 or Unicode (an invalid byte sequence or a lone surrogate)");
        }
    }

    /// <summary>
    /// A JSON string's text. System.Text.Json accepts an escaped lone surrogate ("\ud800") and
    /// invalid UTF-8 inside a string while parsing, and only fails when the string is read: that
    /// is an unreadable file, not a server error.
    /// </summary>
    public static string? Text(JsonElement value)
    {
        try
        {
            var text = value.GetString();
            return text is null || IsValidUnicode(text) ? text : throw new IntakeFormatException("a text value is not valid Unicode (a lone surrogate)");
        }
        catch (InvalidOperationException)
        {
            throw new IntakeFormatException("a text value is not valid UTF-8 or Unicode (an invalid byte sequence or a lone surrogate)");
        }
    }

    private static bool IsValidUnicode(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return false;
        }
        return true;
    }

    /// <summary>True when the text holds a control character other than tab, line feed and carriage return (NUL included).</summary>
    public static bool HasControlCharacter(string text, bool allowLineBreaks)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\n' or '\r')) return true;
        }
        return false;
    }

    /// <summary>A JSON scalar as text (numbers keep their written form); objects and arrays are not scalars.</summary>
    public static bool TryScalar(JsonElement value, out string? text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = Text(value);
                return true;
            case JsonValueKind.Number:
                text = value.GetRawText();
                return true;
            case JsonValueKind.True:
                text = "true";
                return true;
            case JsonValueKind.False:
                text = "false";
                return true;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                text = null;
                return true;
            default:
                text = null;
                return false;
        }
    }

    /// <summary>A stream that first replays the bytes already read for sniffing.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (!_prefix.IsEmpty)
            {
                var n = Math.Min(buffer.Length, _prefix.Length);
                _prefix.Span[..n].CopyTo(buffer);
                _prefix = _prefix[n..];
                return n;
            }
            return inner.Read(buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_prefix.IsEmpty)
            {
                return Read(buffer.Span);
            }
            return await inner.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
