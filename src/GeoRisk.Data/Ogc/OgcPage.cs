using System.Buffers;
using System.Data;
using System.IO.Pipelines;
using Npgsql;

namespace GeoRisk.Data.Ogc;

/// <summary>
/// One page of items, open on the database: how many features it holds and whether more follow
/// are known as soon as it opens (the first row carries the page's row count), the features
/// themselves — GeoJSON text as PostgreSQL writes it, UTF-8, joined by commas a chunk of features
/// to a row — are copied from the connection to the response as they arrive. The answer thus goes out while PostGIS still writes the later
/// features, nothing holds the whole page in memory, and nothing is decoded or re-serialised on
/// the way. Dispose the page (e.g. with the response) to return its connection.
/// </summary>
public sealed class OgcPage : IAsyncDisposable
{
    /// <summary>Bytes handed to the writer between flushes: large enough for few system calls, small enough to overlap with the database.</summary>
    private const int FlushBytes = 64 * 1024;

    private readonly NpgsqlCommand? _command;
    private readonly NpgsqlDataReader? _reader;
    private readonly int _rows;
    private bool _written;

    private OgcPage(NpgsqlCommand? command, NpgsqlDataReader? reader, int count, bool hasMore, int rows)
    {
        _command = command;
        _reader = reader;
        Count = count;
        HasMore = hasMore;
        _rows = rows;
    }

    public int Count { get; }
    public bool HasMore { get; }

    /// <summary>
    /// Runs the page's query, whose rows are (features found, at most <paramref name="limit"/> + 1:
    /// one more than asked says that a next page exists; the page's next
    /// <paramref name="featuresPerRow"/> features as comma-separated text, the last row holding
    /// the rest up to <paramref name="limit"/>).
    /// </summary>
    internal static async Task<OgcPage> OpenAsync(NpgsqlCommand command, int limit, int featuresPerRow, CancellationToken cancellationToken)
    {
        NpgsqlDataReader? reader = null;
        try
        {
            reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                await reader.DisposeAsync();
                await command.DisposeAsync();
                return new OgcPage(null, null, 0, false, 0);
            }
            var found = await reader.GetFieldValueAsync<long>(0, cancellationToken);
            var count = (int)Math.Min(found, limit);
            return new OgcPage(command, reader, count, found > limit, (count + featuresPerRow - 1) / featuresPerRow);
        }
        catch
        {
            if (reader is not null) await reader.DisposeAsync();
            await command.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes the features, comma-separated without brackets, flushing as it goes. Once only.</summary>
    public async Task WriteFeaturesAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_written) throw new InvalidOperationException("the page has been written already");
        _written = true;
        if (_reader is null) return;
        long unflushed = 0;
        for (var i = 0; i < _rows; i++)
        {
            if (i > 0)
            {
                if (!await _reader.ReadAsync(cancellationToken)) throw new InvalidOperationException("the page ended before its counted rows");
                writer.Write(","u8);
                unflushed++;
            }
            // Sequential access skips the count column forward; the chunk is read in pieces, never whole.
            await using var features = await _reader.GetStreamAsync(1, cancellationToken);
            while (true)
            {
                var memory = writer.GetMemory(8 * 1024);
                var n = await features.ReadAsync(memory, cancellationToken);
                if (n == 0) break;
                writer.Advance(n);
                unflushed += n;
                if (unflushed >= FlushBytes)
                {
                    await writer.FlushAsync(cancellationToken);
                    unflushed = 0;
                }
            }
        }
    }

    /// <summary>The features as one UTF-8 JSON array (for the HTML page, which shows them parsed).</summary>
    public async Task<byte[]> ToJsonArrayAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var writer = PipeWriter.Create(buffer, new StreamPipeWriterOptions(leaveOpen: true));
        writer.Write("["u8);
        await WriteFeaturesAsync(writer, cancellationToken);
        writer.Write("]"u8);
        await writer.CompleteAsync();
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_reader is not null) await _reader.DisposeAsync();
        if (_command is not null) await _command.DisposeAsync();
    }
}
