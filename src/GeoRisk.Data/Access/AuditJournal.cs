using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Access;

/// <summary>An audit row as the journal holds it: the request's own id and time travel with it.</summary>
public sealed record JournalRow(Guid RequestId, DateTime At, AuditEntry Entry);

/// <summary>
/// A node's local append-only audit journal: one directory per API process, rows appended as
/// JSON lines to the current segment file (and flushed to disk when <c>fsync</c> is on) before
/// the requests they account for are answered; closed segments are shipped to
/// <c>audit_log</c> in the background and deleted once committed. Shipping is idempotent by
/// request id, so a segment shipped twice (the process died between the INSERT and the delete)
/// or replayed at start-up never doubles a row. A lock file keeps a second process off the same
/// directory: two writers would share segment numbers.
/// </summary>
public sealed class AuditJournal : IDisposable
{
    private const string Prefix = "audit-";
    private const string Suffix = ".jnl";

    private readonly string _directory;
    private readonly bool _fsync;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();
    private FileStream _current;
    private long _sequence;
    private bool _currentHasRows;

    private AuditJournal(string directory, bool fsync)
    {
        _directory = directory;
        _fsync = fsync;
        Directory.CreateDirectory(directory);
        try
        {
            _lock = new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"GeoRisk:Audit:JournalDirectory {directory} is in use by another process; give every API process its own directory", e);
        }
        _sequence = Segments().Select(s => s.Sequence).DefaultIfEmpty(0).Max();
        _current = NewSegment();
    }

    public static AuditJournal Open(string directory, bool fsync) => new(Path.GetFullPath(directory), fsync);

    /// <summary>
    /// Appends the rows in one write; with fsync on they are on disk when this returns, without
    /// it they are in the kernel's page cache (they survive the process, not the machine).
    /// </summary>
    public void Append(IReadOnlyList<JournalRow> rows)
    {
        var buffer = new ArrayBufferWriter<byte>(rows.Count * 256);
        foreach (var row in rows)
        {
            using (var json = new Utf8JsonWriter(buffer))
            {
                Write(json, row);
            }
            buffer.Write("\n"u8);
        }
        lock (_gate)
        {
            _current.Write(buffer.WrittenSpan);
            if (_fsync) _current.Flush(flushToDisk: true);
            _currentHasRows = true;
        }
    }

    /// <summary>
    /// Closes the current segment when it holds rows and returns every closed segment, oldest
    /// first: those left by an earlier process (replay) and the one just closed.
    /// </summary>
    public IReadOnlyList<string> Rotate()
    {
        lock (_gate)
        {
            if (_currentHasRows)
            {
                _current.Dispose();
                _current = NewSegment();
                _currentHasRows = false;
            }
            var open = _sequence;
            return Segments().Where(s => s.Sequence != open).OrderBy(s => s.Sequence).Select(s => s.Path).ToList();
        }
    }

    /// <summary>
    /// The rows of a segment. A last line without its newline is the write the process died in:
    /// none of its requests was answered, so it is left out.
    /// </summary>
    public static List<JournalRow> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var rows = new List<JournalRow>();
        var rest = bytes.AsSpan();
        while (true)
        {
            var end = rest.IndexOf((byte)'\n');
            if (end < 0) break;
            var line = rest[..end];
            rest = rest[(end + 1)..];
            if (line.IsEmpty) continue;
            rows.Add(Parse(line));
        }
        return rows;
    }

    /// <summary>Inserts the rows; rows already in the table (same request id) are skipped.</summary>
    public static async Task ShipAsync(NpgsqlDataSource db, IReadOnlyList<JournalRow> rows, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(SqlResource.Load(typeof(AuditJournal).Assembly, "AuditShip.sql"));
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.RequestId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.At).ToArray() });
        cmd.Parameters.Add(TextArray("keys", rows.Select(r => r.Entry.KeyId)));
        cmd.Parameters.Add(TextArray("roles", rows.Select(r => (string?)r.Entry.Role)));
        cmd.Parameters.Add(new NpgsqlParameter("casustafels", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
        {
            Value = rows.Select(r => r.Entry.Casustafels is null ? null : JsonSerializer.Serialize(r.Entry.Casustafels.ToArray(), AuditJournalJson.Default.StringArray)).ToArray(),
        });
        cmd.Parameters.Add(TextArray("endpoints", rows.Select(r => (string?)r.Entry.Endpoint)));
        cmd.Parameters.Add(TextArray("areas", rows.Select(r => r.Entry.Area)));
        cmd.Parameters.Add(TextArray("layers", rows.Select(r => r.Entry.Layer)));
        cmd.Parameters.Add(IntArray("zs", rows.Select(r => r.Entry.Z)));
        cmd.Parameters.Add(IntArray("xs", rows.Select(r => r.Entry.X)));
        cmd.Parameters.Add(IntArray("ys", rows.Select(r => r.Entry.Y)));
        cmd.Parameters.Add(new NpgsqlParameter("ns", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.Entry.Rows).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// What the table's checks would refuse (sql/0600_access.sql), checked before a row is
    /// journaled: such a request fails at once, as it does when the row goes straight to the table,
    /// instead of being answered with a row that can never be shipped.
    /// </summary>
    public static string? Refused(AuditEntry e) =>
        e.Role is not ("admin" or "analyst" or "member" or "viewer") ? "role"
        : e.Endpoint.Length is < 1 or > 200 ? "endpoint"
        : e.Area is { Length: > 64 } ? "area"
        : e.Layer is { Length: > 64 } ? "layer"
        : e.Z is < 0 or > 30 ? "z"
        : e.X is < 0 ? "x"
        : e.Y is < 0 ? "y"
        : e.Rows is < 0 ? "rows"
        : null;

    /// <summary>Moves a segment whose rows the table refused aside (kept for an operator, never deleted).</summary>
    public void Quarantine(string path) =>
        File.Move(path, Path.Combine(_directory, "rejected-" + Path.GetFileName(path)), overwrite: true);

    public void Dispose()
    {
        lock (_gate)
        {
            var empty = !_currentHasRows;
            _current.Dispose();
            if (empty) File.Delete(_current.Name);
        }
        _lock.Dispose();
    }

    private FileStream NewSegment()
    {
        _sequence++;
        var path = Path.Combine(_directory, Prefix + _sequence.ToString("D12", CultureInfo.InvariantCulture) + Suffix);
        // Unbuffered: each Append is one write(2), so a kill never leaves rows in a user-space buffer.
        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }

    private IEnumerable<(long Sequence, string Path)> Segments() =>
        Directory.EnumerateFiles(_directory, Prefix + "*" + Suffix)
            .Select(p => (Name: Path.GetFileName(p), Path: p))
            .Where(f => long.TryParse(f.Name.AsSpan(Prefix.Length, f.Name.Length - Prefix.Length - Suffix.Length),
                NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(f => (long.Parse(f.Name.AsSpan(Prefix.Length, f.Name.Length - Prefix.Length - Suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture), f.Path));

    private static void Write(Utf8JsonWriter json, JournalRow row)
    {
        var e = row.Entry;
        json.WriteStartObject();
        json.WriteString("id", row.RequestId);
        json.WriteString("at", row.At);
        json.WriteString("key", e.KeyId);
        json.WriteString("role", e.Role);
        if (e.Casustafels is null) json.WriteNull("casustafels");
        else
        {
            json.WriteStartArray("casustafels");
            foreach (var c in e.Casustafels) json.WriteStringValue(c);
            json.WriteEndArray();
        }
        json.WriteString("endpoint", e.Endpoint);
        json.WriteString("area", e.Area);
        json.WriteString("layer", e.Layer);
        Number(json, "z", e.Z);
        Number(json, "x", e.X);
        Number(json, "y", e.Y);
        if (e.Rows is { } n) json.WriteNumber("rows", n);
        else json.WriteNull("rows");
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } v) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    private static JournalRow Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        using var doc = JsonDocument.ParseValue(ref reader);
        var r = doc.RootElement;
        static string? Str(JsonElement r, string name) => r.GetProperty(name).ValueKind == JsonValueKind.Null ? null : r.GetProperty(name).GetString();
        static int? Int(JsonElement r, string name) => r.GetProperty(name).ValueKind == JsonValueKind.Null ? null : r.GetProperty(name).GetInt32();
        var c = r.GetProperty("casustafels");
        var entry = new AuditEntry(
            Str(r, "key"), Str(r, "role")!,
            c.ValueKind == JsonValueKind.Null ? null : c.EnumerateArray().Select(x => x.GetString()!).ToArray(),
            Str(r, "endpoint")!,
            r.GetProperty("rows").ValueKind == JsonValueKind.Null ? null : r.GetProperty("rows").GetInt64())
        {
            Area = Str(r, "area"),
            Layer = Str(r, "layer"),
            Z = Int(r, "z"),
            X = Int(r, "x"),
            Y = Int(r, "y"),
        };
        return new JournalRow(r.GetProperty("id").GetGuid(), r.GetProperty("at").GetDateTimeOffset().UtcDateTime, entry);
    }

    private static NpgsqlParameter TextArray(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };

    private static NpgsqlParameter IntArray(string name, IEnumerable<int?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = values.ToArray() };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class AuditJournalJson : System.Text.Json.Serialization.JsonSerializerContext;
