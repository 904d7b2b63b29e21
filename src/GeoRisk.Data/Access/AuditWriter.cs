using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Access;

/// <summary>Section <c>GeoRisk:Audit</c>.</summary>
public sealed class AuditWriterOptions
{
    public const string Section = "GeoRisk:Audit";

    /// <summary>Entries waiting to be written; when full, requests wait (backpressure), nothing is dropped.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Rows per COPY at most.</summary>
    public int MaxBatch { get; set; } = 2_000;

    /// <summary>
    /// How long the writer waits for more rows after the first of a batch when it is idle. Zero
    /// (the default) writes at once; under load batches form by themselves while a COPY runs.
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Batches written at the same time, each on its own connection. With one, every request
    /// waits for the round trips of the batch before its own, so throughput is capped at one
    /// batch per commit latency, however idle both processes are (a loaded database server
    /// answers slowly, not expensively). Rows are read only when a slot is free, so batches
    /// still grow while all slots are busy.
    /// </summary>
    public int ConcurrentBatches { get; set; } = 4;

    /// <summary>
    /// A directory of this process's own for the local audit journal (docs/access.md, "Audit
    /// journal"). Empty (the default): every answer waits for its row's commit in PostgreSQL.
    /// Set: an answer waits for its row's append to the journal, which is shipped to
    /// PostgreSQL in the background and replayed at start-up.
    /// </summary>
    public string? JournalDirectory { get; set; }

    /// <summary>
    /// With the journal: flush each appended group to disk (fsync) before its requests are
    /// answered (the default: a row survives a crash of the process, PostgreSQL and the machine).
    /// Off: the rows are in the kernel's page cache when answered — they survive the process
    /// being killed, not a crash of the machine itself.
    /// </summary>
    public bool JournalFsync { get; set; } = true;

    /// <summary>How often journal segments are shipped to audit_log (also once on shutdown).</summary>
    public TimeSpan ShipInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Writes audit rows in batches (one binary COPY per batch) by a background writer, instead
/// of one INSERT on a pooled connection per request. A request hands its entry to a bounded
/// queue and waits until the batch holding it has committed (group commit): the answer is sent
/// only once its audit row is durable, so a process killed at any moment never leaves an
/// answered request without its row. Cost per request: waiting for a shared COPY instead of
/// running its own INSERT — while one batch is written the next one fills up.
/// A full queue makes callers wait; a failed COPY fails every request of that batch (they are
/// not answered). On shutdown the writer drains the queue before the process ends.
/// </summary>
public sealed partial class AuditWriter(NpgsqlDataSource db, AuditWriterOptions options, ILogger<AuditWriter> logger)
    : BackgroundService
{
    private readonly AuditJournal? _journal = string.IsNullOrWhiteSpace(options.JournalDirectory)
        ? null
        : AuditJournal.Open(options.JournalDirectory, options.JournalFsync);

    private long _shipped;

    /// <summary>Journal rows shipped to audit_log since start (rows skipped as already there included).</summary>
    public long Shipped => Interlocked.Read(ref _shipped);
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(Math.Max(1, options.QueueCapacity))
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private long _written;
    private long _batches;

    /// <summary>Rows written and COPY batches run since start (for the benchmark and tests).</summary>
    public (long Rows, long Batches) Written => (Interlocked.Read(ref _written), Interlocked.Read(ref _batches));

    /// <summary>Queues the entry and completes when it is committed. Cancelling stops the wait, not the write.</summary>
    public async Task WriteAsync(AuditEntry entry, CancellationToken ct)
    {
        var pending = new Pending(entry);
        if (!_queue.Writer.TryWrite(pending))
        {
            try
            {
                await _queue.Writer.WriteAsync(pending, ct);
            }
            catch (ChannelClosedException)
            {
                // Shutting down: write it directly rather than answer without a row.
                await new AuditStore(db).AppendAsync(entry, ct);
                return;
            }
        }
        await pending.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        // One journal file takes one append at a time; while it is flushed the next group forms.
        var width = _journal is null ? Math.Max(1, options.ConcurrentBatches) : 1;
        var shipping = _journal is null ? Task.CompletedTask : ShipLoopAsync(_journal, stoppingToken);
        using var slots = new SemaphoreSlim(width, width);
        // Runs until the queue is completed and empty (StopAsync completes it), not until the
        // stopping token: queued rows are written before the process ends.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            if (options.Linger > TimeSpan.Zero && reader.Count < options.MaxBatch)
                await Task.Delay(options.Linger, CancellationToken.None);
            await slots.WaitAsync(CancellationToken.None);
            var batch = new List<Pending>(Math.Min(options.MaxBatch, Math.Max(16, reader.Count)));
            while (batch.Count < options.MaxBatch && reader.TryRead(out var p)) batch.Add(p);
            if (batch.Count == 0)
            {
                slots.Release();
                continue;
            }
            _ = FlushThenReleaseAsync(batch, slots);
        }
        // Every batch in flight has finished once all slots are back.
        for (var i = 0; i < width; i++) await slots.WaitAsync(CancellationToken.None);
        await shipping;
        if (_journal is not null)
        {
            // Graceful shutdown: what the journal holds goes to the table now; if the database is
            // away it stays in the journal and is shipped at the next start.
            try
            {
                await ShipAsync(_journal, CancellationToken.None);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                LogShipFailed(logger, e.GetType().Name);
            }
        }
    }

    private async Task ShipLoopAsync(AuditJournal journal, CancellationToken stoppingToken)
    {
        // Segments left by an earlier process are shipped first thing (replay).
        var delay = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = options.ShipInterval;
            try
            {
                await ShipAsync(journal, CancellationToken.None);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                // The rows stay in the journal and are shipped on a later round.
                LogShipFailed(logger, e.GetType().Name);
            }
        }
    }

    private readonly SemaphoreSlim _shipping = new(1, 1);

    private async Task ShipAsync(AuditJournal journal, CancellationToken ct)
    {
        await _shipping.WaitAsync(ct);
        try
        {
            foreach (var segment in journal.Rotate())
            {
                var rows = AuditJournal.Read(segment);
                try
                {
                    for (var i = 0; i < rows.Count; i += options.MaxBatch)
                        await AuditJournal.ShipAsync(db, rows.GetRange(i, Math.Min(options.MaxBatch, rows.Count - i)), ct);
                }
                catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState.StartsWith("23", StringComparison.Ordinal))
                {
                    // Checked before journaling, so only a changed table gets here: the segment is
                    // kept aside for an operator rather than deleted or retried for ever.
                    LogQuarantined(logger, rows.Count, e.SqlState);
                    journal.Quarantine(segment);
                    continue;
                }
                // Deleted only after the commit: a crash in between ships it again, skipped by request id.
                File.Delete(segment);
                Interlocked.Add(ref _shipped, rows.Count);
            }
        }
        finally
        {
            _shipping.Release();
        }
    }

    /// <summary>Ships the journal now (tests; the background loop does this every <c>ShipInterval</c>).</summary>
    public Task ShipNowAsync(CancellationToken ct) => _journal is null ? Task.CompletedTask : ShipAsync(_journal, ct);

    public override void Dispose()
    {
        base.Dispose();
        _journal?.Dispose();
        _shipping.Dispose();
    }

    private async Task FlushThenReleaseAsync(List<Pending> batch, SemaphoreSlim slots)
    {
        try
        {
            await FlushAsync(batch);
        }
        catch (Exception e)
        {
            // Nothing may leave a request waiting for ever: an unexpected failure fails its batch.
            LogFailed(logger, batch.Count, e.GetType().Name);
            foreach (var p in batch) p.Done.TrySetException(e);
        }
        finally
        {
            slots.Release();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is { } running) await running.WaitAsync(cancellationToken);
    }

    private async Task FlushAsync(List<Pending> batch)
    {
        if (_journal is not null)
        {
            await JournalAsync(_journal, batch);
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CopyAsync(batch);
                Interlocked.Add(ref _written, batch.Count);
                Interlocked.Increment(ref _batches);
                foreach (var p in batch) p.Done.TrySetResult();
                return;
            }
            catch (PostgresException)
            {
                // A row the table refuses (a check constraint) must not fail its neighbours:
                // row by row, each request gets its own outcome.
                await OneByOneAsync(batch);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                // One retry covers a pooled connection that died meanwhile; after that the
                // database is away and these requests fail (503) rather than go unaccounted.
                if (attempt < 2) continue;
                LogFailed(logger, batch.Count, e.GetType().Name);
                foreach (var p in batch) p.Done.TrySetException(e);
                return;
            }
        }
    }

    private async Task JournalAsync(AuditJournal journal, List<Pending> batch)
    {
        var rows = new List<JournalRow>(batch.Count);
        var accepted = new List<Pending>(batch.Count);
        foreach (var p in batch)
        {
            if (AuditJournal.Refused(p.Entry) is { } field)
            {
                p.Done.TrySetException(new InvalidOperationException($"audit row refused: {field}"));
                continue;
            }
            rows.Add(new JournalRow(Guid.CreateVersion7(), p.At, p.Entry));
            accepted.Add(p);
        }
        if (rows.Count == 0) return;
        try
        {
            // A blocking write and fsync: off the request threads, on the writer's own task.
            await Task.Run(() => journal.Append(rows));
        }
        catch (IOException e)
        {
            LogFailed(logger, rows.Count, e.GetType().Name);
            foreach (var p in accepted) p.Done.TrySetException(e);
            return;
        }
        Interlocked.Add(ref _written, rows.Count);
        Interlocked.Increment(ref _batches);
        foreach (var p in accepted) p.Done.TrySetResult();
    }

    private async Task OneByOneAsync(List<Pending> batch)
    {
        var store = new AuditStore(db);
        foreach (var p in batch)
        {
            try
            {
                await store.AppendAsync(p.Entry, CancellationToken.None);
                Interlocked.Increment(ref _written);
                p.Done.TrySetResult();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                LogFailed(logger, 1, e.GetType().Name);
                p.Done.TrySetException(e);
            }
        }
    }

    private async Task CopyAsync(List<Pending> batch)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var import = await connection.BeginBinaryImportAsync(
            "COPY audit_log (key_id, role, casustafels, endpoint, area, layer, z, x, y, rows_returned) FROM STDIN (FORMAT BINARY)");
        foreach (var p in batch)
        {
            var e = p.Entry;
            await import.StartRowAsync();
            await Text(import, e.KeyId);
            await import.WriteAsync(e.Role, NpgsqlDbType.Text);
            if (e.Casustafels is null) await import.WriteNullAsync();
            else await import.WriteAsync(e.Casustafels.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            await import.WriteAsync(e.Endpoint, NpgsqlDbType.Text);
            await Text(import, e.Area);
            await Text(import, e.Layer);
            await Int(import, e.Z);
            await Int(import, e.X);
            await Int(import, e.Y);
            if (e.Rows is { } rows) await import.WriteAsync(rows, NpgsqlDbType.Bigint);
            else await import.WriteNullAsync();
        }
        await import.CompleteAsync();
    }

    private static Task Text(NpgsqlBinaryImporter import, string? value) =>
        value is null ? import.WriteNullAsync() : import.WriteAsync(value, NpgsqlDbType.Text);

    private static Task Int(NpgsqlBinaryImporter import, int? value) =>
        value is { } v ? import.WriteAsync(v, NpgsqlDbType.Integer) : import.WriteNullAsync();

    private sealed class Pending(AuditEntry entry)
    {
        public AuditEntry Entry { get; } = entry;
        public DateTime At { get; } = DateTime.UtcNow;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} audit rows failed ({Error}); those requests are answered with an error")]
    private static partial void LogFailed(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shipping the audit journal failed ({Error}); its rows stay in the journal and are shipped later")]
    private static partial void LogShipFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "audit_log refused a journal segment of {Count} rows ({SqlState}); it is kept as rejected-*.jnl in the journal directory")]
    private static partial void LogQuarantined(ILogger logger, int count, string sqlState);
}
