using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;

namespace GeoRisk.Api.Infrastructure;

/// <summary>
/// Problem details for the requests Kestrel refuses itself. A request line or header Kestrel
/// cannot parse (raw control bytes, bad syntax), an unsupported HTTP version, a missing length or
/// headers that arrive too slowly are answered by Kestrel before any middleware runs, with an
/// empty body and no hook to change it. This connection middleware sits between Kestrel's HTTP
/// layer and the socket and replaces exactly that answer — a 4xx/5xx status line with
/// <c>Content-Length: 0</c>, <c>Connection: close</c> and no <c>Content-Type</c>, which the
/// application never sends (every error of its own carries problem details) — by the same status
/// with an RFC 9457 body saying what was wrong. Every other byte passes unchanged, unbuffered.
/// Nothing of the request is echoed.
/// </summary>
public static class KestrelRejections
{
    /// <summary>Connection middleware for <c>ListenOptions.Use</c>.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware { get; } = next => connection =>
    {
        var transport = connection.Transport;
        connection.Transport = new Duplex(transport.Input, new RewritingWriter(transport.Output));
        return next(connection);
    };

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    /// <summary>
    /// Forwards every call to the transport's writer; on <see cref="Advance"/> it looks at the
    /// bytes just written (still uncommitted) and, when they are Kestrel's bare refusal, writes the
    /// problem-details answer in their place.
    /// </summary>
    private sealed class RewritingWriter(PipeWriter inner) : PipeWriter
    {
        private Memory<byte> _last;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _last = inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => (_last = inner.GetMemory(sizeHint)).Span;

        public override void Advance(int bytes)
        {
            if (bytes is > 16 and < 1024 && bytes <= _last.Length && Replacement(_last.Span[..bytes]) is { } replacement)
            {
                // The refusal was never committed: overwrite it with the answer.
                var span = inner.GetSpan(replacement.Length);
                replacement.CopyTo(span);
                inner.Advance(replacement.Length);
                _last = default;
                return;
            }
            _last = default;
            inner.Advance(bytes);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes;
    }

    private static ReadOnlySpan<byte> Http11 => "HTTP/1.1 "u8;
    private static ReadOnlySpan<byte> Http10 => "HTTP/1.0 "u8;

    /// <summary>The answer to put in place of <paramref name="written"/>, or null when it is not a bare refusal.</summary>
    internal static byte[]? Replacement(ReadOnlySpan<byte> written)
    {
        if (!written.StartsWith(Http11) && !written.StartsWith(Http10)) return null;
        if (written.Length < 13 || written[9] is not ((byte)'4' or (byte)'5') || !written.EndsWith("\r\n\r\n"u8)) return null;
        var head = Encoding.ASCII.GetString(written[..^4]);
        var lines = head.Split("\r\n");
        if (!int.TryParse(lines[0].AsSpan(9, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status)) return null;
        bool emptyBody = false, closes = false;
        string? date = null;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) return null;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) return null;
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) emptyBody = value == "0";
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) closes = value.Equals("close", StringComparison.OrdinalIgnoreCase);
            else if (name.Equals("Date", StringComparison.OrdinalIgnoreCase)) date = value;
        }
        if (!emptyBody || !closes) return null;
        return Answer(lines[0], status, date);
    }

    private static byte[] Answer(string statusLine, int status, string? date)
    {
        var (type, title, detail) = Describe(status);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = type,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            [ProblemCodes.Key] = ProblemCodes.FromTitle(title, status),
        });
        var head = new StringBuilder(statusLine).Append("\r\n")
            .Append("Content-Type: application/problem+json\r\n")
            .Append("Content-Length: ").Append(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Connection: close\r\n");
        if (date is not null) head.Append("Date: ").Append(date).Append("\r\n");
        // The security headers of every other answer; a JSON body needs no sources at all.
        head.Append("X-Content-Type-Options: nosniff\r\n")
            .Append("X-Frame-Options: DENY\r\n")
            .Append("Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n")
            .Append("Referrer-Policy: no-referrer\r\n")
            .Append("Cache-Control: no-store\r\n\r\n");
        var bytes = Encoding.ASCII.GetBytes(head.ToString());
        return [.. bytes, .. body];
    }

    /// <summary>What each status Kestrel answers on its own means for the caller.</summary>
    internal static (string Type, string Title, string Detail) Describe(int status) => status switch
    {
        400 => ("https://tools.ietf.org/html/rfc9110#section-15.5.1", "Malformed request",
            "The request line or a header could not be parsed (a control character, a byte that is not allowed there, or broken HTTP syntax or framing); nothing was done."),
        405 => ("https://tools.ietf.org/html/rfc9110#section-15.5.6", "Method not allowed", "This server does not accept that request method."),
        408 => ("https://tools.ietf.org/html/rfc9110#section-15.5.9", "Request timeout", "The request line and headers did not arrive in time; nothing was done."),
        411 => ("https://tools.ietf.org/html/rfc9110#section-15.5.12", "Length required", "A request with a body must carry Content-Length or Transfer-Encoding: chunked."),
        413 => ("https://tools.ietf.org/html/rfc9110#section-15.5.14", "Request too large", "The request body is larger than this server accepts; nothing was done."),
        414 => ("https://tools.ietf.org/html/rfc9110#section-15.5.15", "URL too long", $"The path and query may be at most {EdgeProtection.MaxUrlLength} characters."),
        431 => ("https://tools.ietf.org/html/rfc6585#section-5", "Headers too large", $"The request headers may be at most {EdgeProtection.MaxHeadersBytes / 1024} KB in all."),
        505 => ("https://tools.ietf.org/html/rfc9110#section-15.6.6", "HTTP version not supported", "Use HTTP/1.1 or HTTP/2."),
        >= 500 => ("https://tools.ietf.org/html/rfc9110#section-15.6.1", "Server error", "The server could not answer this request."),
        _ => ("https://tools.ietf.org/html/rfc9110#section-15.5.1", "Bad request", "The request could not be read; nothing was done."),
    };
}
