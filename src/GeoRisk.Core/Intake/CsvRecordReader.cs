using System.Text;

namespace GeoRisk.Core.Intake;

/// <summary>
/// A small, fast RFC 4180 reader (comma, double quotes, CRLF or LF) with a limit on the length
/// of one record, so that a 50 MB line is refused early instead of being buffered.
/// Binary input (NUL characters, invalid UTF-8) is reported as a format error.
/// </summary>
public sealed class CsvRecordReader
{
    public const int DefaultMaxRecordLength = 64 * 1024;

    private static readonly System.Buffers.SearchValues<char> Stops = System.Buffers.SearchValues.Create(",\r\n\"\0");

    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _field = new();
    private int _pos;
    private int _len;
    private bool _eof;

    public CsvRecordReader(TextReader reader, int maxRecordLength = DefaultMaxRecordLength)
    {
        _reader = reader;
        MaxRecordLength = maxRecordLength;
    }

    public int MaxRecordLength { get; }

    /// <summary>Records read so far, the header included.</summary>
    public int RecordsRead { get; private set; }

    /// <summary>Opens a UTF-8 stream (BOM allowed) that throws on invalid bytes instead of replacing them.</summary>
    public static StreamReader OpenUtf8(Stream stream) =>
        new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);

    /// <summary>Reads the next non-blank record into <paramref name="fields"/>; false at the end.</summary>
    public bool ReadRecord(List<string> fields)
    {
        while (true)
        {
            fields.Clear();
            if (!Fill())
            {
                return false;
            }
            var recordLength = 0;
            var blank = true;
            while (true)
            {
                var (value, end, quoted) = ReadField(ref recordLength);
                blank &= value.Length == 0 && !quoted;
                fields.Add(value);
                if (end != ',')
                {
                    break;
                }
                blank = false;
            }
            if (blank)
            {
                continue;
            }
            RecordsRead++;
            return true;
        }
    }

    private (string Value, char End, bool Quoted) ReadField(ref int recordLength)
    {
        if (!Fill())
        {
            return ("", '\n', false);
        }
        if (_buffer[_pos] == '"')
        {
            _pos++;
            recordLength++;
            return (ReadQuoted(ref recordLength), ReadAfterQuote(ref recordLength), true);
        }
        _field.Clear();
        while (true)
        {
            if (!Fill())
            {
                return (_field.ToString(), '\n', false);
            }
            var span = _buffer.AsSpan(_pos, _len - _pos);
            var stop = span.IndexOfAny(Stops);
            var take = stop < 0 ? span.Length : stop;
            recordLength += take;
            CheckLength(recordLength);
            if (stop < 0)
            {
                _field.Append(span);
                _pos = _len;
                continue;
            }
            var c = span[stop];
            if (c == '\0')
            {
                throw Binary();
            }
            if (c == '"')
            {
                throw new IntakeFormatException($"record {RecordsRead + 1} has a quote inside an unquoted field: not a valid CSV file (RFC 4180)");
            }
            string value;
            if (_field.Length == 0)
            {
                value = take == 0 ? "" : new string(span[..take]);
            }
            else
            {
                _field.Append(span[..take]);
                value = _field.ToString();
            }
            _pos += take + 1;
            recordLength++;
            if (c == '\r')
            {
                SkipLf();
                return (value, '\n', false);
            }
            return (value, c, false);
        }
    }

    private string ReadQuoted(ref int recordLength)
    {
        _field.Clear();
        while (true)
        {
            if (!Fill())
            {
                throw new IntakeFormatException($"record {RecordsRead + 1} has a quoted field that never ends: the file is truncated or not a valid CSV file");
            }
            var span = _buffer.AsSpan(_pos, _len - _pos);
            var q = span.IndexOfAny('"', '\0');
            var take = q < 0 ? span.Length : q;
            recordLength += take;
            CheckLength(recordLength);
            _field.Append(span[..take]);
            _pos += take;
            if (q < 0)
            {
                continue;
            }
            if (span[q] == '\0')
            {
                throw Binary();
            }
            _pos++;
            recordLength++;
            // "" inside quotes is one quote.
            if (Fill() && _buffer[_pos] == '"')
            {
                _field.Append('"');
                _pos++;
                recordLength++;
                continue;
            }
            return _field.ToString();
        }
    }

    private char ReadAfterQuote(ref int recordLength)
    {
        if (!Fill())
        {
            return '\n';
        }
        var c = _buffer[_pos++];
        recordLength++;
        switch (c)
        {
            case ',':
                return ',';
            case '\n':
                return '\n';
            case '\r':
                SkipLf();
                return '\n';
            default:
                throw new IntakeFormatException($"record {RecordsRead + 1} has text after a closing quote: not a valid CSV file (RFC 4180)");
        }
    }

    private void SkipLf()
    {
        if (Fill() && _buffer[_pos] == '\n')
        {
            _pos++;
        }
    }

    private void CheckLength(int recordLength)
    {
        if (recordLength > MaxRecordLength)
        {
            throw new IntakeFormatException($"record {RecordsRead + 1} is longer than {MaxRecordLength} characters: not a signal file (wrong delimiter, or one endless line?)");
        }
    }

    private static IntakeFormatException Binary() => new("the file contains binary data (NUL characters): expected UTF-8 text");

    private bool Fill()
    {
        if (_pos < _len)
        {
            return true;
        }
        if (_eof)
        {
            return false;
        }
        try
        {
            _len = _reader.Read(_buffer, 0, _buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new IntakeFormatException("the file is not valid UTF-8 text (binary data or another encoding): save it as UTF-8 CSV");
        }
        _pos = 0;
        if (_len == 0)
        {
            _eof = true;
            return false;
        }
        return true;
    }
}
