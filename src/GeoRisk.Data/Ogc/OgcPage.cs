using System.Buffers;

namespace GeoRisk.Data.Ogc;

/// <summary>
/// One page of items: the GeoJSON Features as PostgreSQL wrote them (UTF-8, comma-separated, no
/// brackets), how many, and whether more follow. The bytes sit in arrays rented from the shared
/// pool, so a page of 10,000 areas makes neither strings nor a large-object-heap array; dispose
/// the page (e.g. with the response) to return them.
/// </summary>
public sealed class OgcPage : IDisposable
{
    private const int ChunkSize = 64 * 1024;
    private readonly List<(byte[] Array, int Length)> _chunks = [];
    private byte[]? _current;
    private int _used;

    public int Count { get; private set; }
    public bool HasMore { get; internal set; }
    public long Length { get; private set; }

    /// <summary>Appends one feature (with the separating comma) from a stream of its UTF-8 text.</summary>
    internal async Task AddAsync(Stream feature, CancellationToken cancellationToken)
    {
        if (Count > 0) Write((byte)',');
        while (true)
        {
            if (_current is null || _used == _current.Length) NextChunk();
            var n = await feature.ReadAsync(_current.AsMemory(_used), cancellationToken);
            if (n == 0) break;
            _used += n;
            Length += n;
        }
        Count++;
    }

    /// <summary>The features, in order, as chunks of UTF-8.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Chunks()
    {
        foreach (var (array, length) in _chunks) yield return array.AsMemory(0, length);
        if (_current is not null && _used > 0) yield return _current.AsMemory(0, _used);
    }

    /// <summary>The features as one UTF-8 JSON array (for the HTML page, which shows them parsed).</summary>
    public byte[] ToJsonArray()
    {
        var result = new byte[Length + 2];
        result[0] = (byte)'[';
        var at = 1;
        foreach (var chunk in Chunks())
        {
            chunk.Span.CopyTo(result.AsSpan(at));
            at += chunk.Length;
        }
        result[at] = (byte)']';
        return result;
    }

    public void Dispose()
    {
        foreach (var (array, _) in _chunks) ArrayPool<byte>.Shared.Return(array);
        _chunks.Clear();
        if (_current is not null) ArrayPool<byte>.Shared.Return(_current);
        _current = null;
        _used = 0;
    }

    private void Write(byte b)
    {
        if (_current is null || _used == _current.Length) NextChunk();
        _current[_used++] = b;
        Length++;
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_current))]
    private void NextChunk()
    {
        if (_current is not null) _chunks.Add((_current, _used));
        _current = ArrayPool<byte>.Shared.Rent(ChunkSize);
        _used = 0;
    }
}
