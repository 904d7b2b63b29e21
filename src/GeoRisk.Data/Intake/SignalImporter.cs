using GeoRisk.Core.Tiles;
using GeoRisk.Core.Intake;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Intake;

/// <summary>What an import did. <see cref="Rejections"/> holds at most <see cref="SignalImporter.MaxReportedRejections"/> entries.</summary>
public sealed record SignalImportResult(
    string Format,
    string Mode,
    int Rows,
    int Inserted,
    int Updated,
    int Unchanged,
    int RejectedRows,
    bool Written,
    IReadOnlyList<Rejection> Rejections,
    bool RejectionsTruncated,
    Envelope3857? ChangedExtent,
    int ChangedPoints);

/// <summary>
/// The bulk path for signals: read and validate rows in C# (privacy gate, formats,
/// coordinates), binary COPY the valid ones into a temporary staging table, check reference codes
/// and upsert set-based in SQL, all in one transaction. Atomic mode rolls back on any rejection;
/// partial mode writes the valid rows. Re-importing the same rows changes nothing (upsert on
/// source + external_id, unchanged rows untouched). 1M rows are one COPY and a handful of set-based statements.
/// </summary>
public sealed partial class SignalImporter(NpgsqlDataSource dataSource, IEnumerable<ISignalChangeListener> listeners, TimeProvider? time = null,
    Microsoft.Extensions.Logging.ILogger<SignalImporter>? logger = null)
{
    public const int MaxReportedRejections = 1000;

    // Serialises imports: two concurrent upserts of overlapping rows would otherwise wait on each
    // other row by row, and could deadlock.
    private const long ImportLockKey = 0x47_52_49_33; // "GRI3"

    private static readonly string StageSql = Sql("SignalImporter.stage.sql");
    private static readonly string CopySql = Sql("SignalImporter.copy.sql");
    private static readonly string ValidateSql = Sql("SignalImporter.validate.sql");
    private static readonly string DiscardSql = Sql("SignalImporter.discard.sql");
    private static readonly string UnchangedSql = Sql("SignalImporter.unchanged.sql");
    private static readonly string OldPointsSql = Sql("SignalImporter.oldpoints.sql");
    private static readonly string UpsertSql = Sql("SignalImporter.upsert.sql");

    private readonly ISignalChangeListener[] _listeners = listeners.Where(l => l is not NoOpSignalChangeListener).ToArray();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Imports a CSV or GeoJSON file. Throws <see cref="IntakeFormatException"/> for an unreadable file (nothing written).</summary>
    public Task<SignalImportResult> ImportAsync(Stream file, SignalIntakeOptions options, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var reader = SignalFileReader.Open(file, options);
        return ImportAsync(reader.Format == IntakeFormat.Csv ? "csv" : "geojson", reader.Rows, options, progress, cancellationToken);
    }

    /// <summary>Imports rows from any reader (a file, one JSON signal).</summary>
    public async Task<SignalImportResult> ImportAsync(string format, IEnumerable<RawSignalRow> rows, SignalIntakeOptions options,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var validator = new SignalRowValidator(options, _time);
        var rejections = new List<Rejection>();
        var rejectedRows = new HashSet<int>();
        var total = 0;
        var staged = 0;
        var dropped = 0;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock($1)", cancellationToken, ImportLockKey);
        await ExecuteAsync(connection, StageSql, cancellationToken);

        // Parse, gate and validate while the server ingests the previous rows: one pass, one COPY.
        await using (var copy = await connection.BeginBinaryImportAsync(CopySql, cancellationToken))
        {
            copy.Timeout = TimeSpan.FromHours(1); // the file decides how long the copy runs (Zero would mean "at once" here)
            var rowRejections = new List<Rejection>();
            foreach (var raw in rows)
            {
                total++;
                rowRejections.Clear();
                if (validator.Validate(raw, rowRejections, out var record))
                {
                    WriteRow(copy, record);
                    staged++;
                }
                else
                {
                    rejectedRows.Add(raw.Row);
                    AddCapped(rejections, rowRejections, ref dropped);
                }
                if ((total & 0x3FFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(total);
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
        progress?.Report(total);
        // Temporary tables get no autovacuum statistics; the joins below need to know the stage is big.
        await ExecuteAsync(connection, "ANALYZE signal_stage", cancellationToken);

        // Reference codes, set-based.
        var badCodes = await UnknownCodesAsync(connection, cancellationToken);
        if (badCodes.Count > 0)
        {
            var codes = await ReferenceCodesAsync(connection, cancellationToken);
            foreach (var (row, category, source, precision) in badCodes)
            {
                rejectedRows.Add(row);
                var list = new List<Rejection>(3);
                if (category)
                {
                    list.Add(new Rejection(row, "category", RejectionReasons.UnknownCategory, $"category is not a known code; valid: {codes.Categories}"));
                }
                if (source)
                {
                    list.Add(new Rejection(row, "source", RejectionReasons.UnknownSource, $"source is not a known partner code; valid: {codes.Sources}"));
                }
                if (precision)
                {
                    list.Add(new Rejection(row, "precision", RejectionReasons.UnknownPrecision, $"precision is not a known code; valid: {codes.Precisions}"));
                }
                AddCapped(rejections, list, ref dropped);
            }
        }
        rejections.Sort((a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : string.CompareOrdinal(a.Field, b.Field));
        var truncated = dropped > 0;
        var modeName = options.Mode == ImportMode.Atomic ? "atomic" : "partial";

        if (options.Mode == ImportMode.Atomic && rejectedRows.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new SignalImportResult(format, modeName, total, 0, 0, 0, rejectedRows.Count, false, rejections, truncated, null, 0);
        }
        if (badCodes.Count > 0)
        {
            await ExecuteAsync(connection, DiscardSql, cancellationToken, badCodes.Select(b => b.Row).ToArray());
            staged -= badCodes.Count;
        }

        var unchanged = 0;
        if (staged > 0)
        {
            await using var identical = ImportCommand(UnchangedSql, connection);
            unchanged = await identical.ExecuteNonQueryAsync(cancellationToken);
            staged -= unchanged;
        }

        var notify = _listeners.Length > 0;
        var points = new List<(double, double)>();
        if (notify && staged > 0)
        {
            await ReadPointsAsync(connection, OldPointsSql, null, points, cancellationToken);
        }
        int inserted = 0, updated = 0;
        Envelope3857? extent = null;
        if (staged > 0)
        {
            await using var upsert = ImportCommand(UpsertSql, connection);
            upsert.Parameters.Add(new NpgsqlParameter { Value = notify });
            await using var result = await upsert.ExecuteReaderAsync(cancellationToken);
            await result.ReadAsync(cancellationToken);
            inserted = (int)result.GetInt64(0);
            updated = (int)result.GetInt64(1);
            if (!result.IsDBNull(2))
            {
                extent = new Envelope3857(result.GetDouble(2), result.GetDouble(3), result.GetDouble(4), result.GetDouble(5));
            }
            if (notify && !result.IsDBNull(6))
            {
                var xs = result.GetFieldValue<double[]>(6);
                var ys = result.GetFieldValue<double[]>(7);
                for (var i = 0; i < xs.Length; i++)
                {
                    points.Add((xs[i], ys[i]));
                }
            }
        }
        // data_version('signal') is bumped by the trigger on signal (sql/functions/0500_tile_change.sql),
        // once in this transaction, when the upsert wrote rows.
        // Derived data (hexbins) changes in this transaction, under the import lock.
        if (notify && points.Count > 0)
        {
            foreach (var participant in _listeners.OfType<ISignalChangeParticipant>())
            {
                await participant.OnSignalsChangingAsync(points, connection, cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);

        // After the commit the import has succeeded, whatever follows: cache invalidation runs
        // without the caller's cancellation and a failure is logged, never answered as an error.
        if (notify && points.Count > 0)
        {
            foreach (var listener in _listeners.Where(l => l is not ISignalChangeParticipant))
            {
                try
                {
                    await listener.OnSignalsChangedAsync(points, CancellationToken.None);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    if (logger is not null) LogListenerFailed(logger, listener.GetType().Name, e.GetType().Name);
                }
            }
        }
        return new SignalImportResult(format, modeName, total, inserted, updated, unchanged + staged - inserted - updated,
            rejectedRows.Count, true, rejections, truncated, extent, points.Count);
    }

    private static void WriteRow(NpgsqlBinaryImporter copy, in SignalRecord r)
    {
        copy.StartRow();
        copy.Write(r.Row, NpgsqlDbType.Integer);
        copy.Write(r.Source, NpgsqlDbType.Text);
        copy.Write(r.ExternalId, NpgsqlDbType.Text);
        copy.Write(r.Category, NpgsqlDbType.Text);
        copy.Write(r.ObservedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
        copy.Write(r.Reliability, NpgsqlDbType.Real);
        copy.Write(r.Precision, NpgsqlDbType.Text);
        copy.Write(r.X, NpgsqlDbType.Double);
        copy.Write(r.Y, NpgsqlDbType.Double);
        copy.Write(r.Srid, NpgsqlDbType.Integer);
        if (r.ObjectRef is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(r.ObjectRef, NpgsqlDbType.Text);
        }
        if (r.Remark is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(r.Remark, NpgsqlDbType.Text);
        }
    }

    private static void AddCapped(List<Rejection> all, List<Rejection> more, ref int dropped)
    {
        foreach (var r in more)
        {
            if (all.Count >= MaxReportedRejections)
            {
                dropped++;
                continue;
            }
            all.Add(r);
        }
    }

    private static async Task<List<(int Row, bool Category, bool Source, bool Precision)>> UnknownCodesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var list = new List<(int, bool, bool, bool)>();
        await using var command = ImportCommand(ValidateSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add((reader.GetInt32(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3)));
        }
        return list;
    }

    private static async Task<(string Categories, string Sources, string Precisions)> ReferenceCodesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = ImportCommand(
            "SELECT (SELECT string_agg(code, ', ' ORDER BY sort_order, code) FROM category), " +
            "(SELECT string_agg(code, ', ' ORDER BY sort_order, code) FROM source_partner), " +
            "(SELECT string_agg(code, ', ' ORDER BY code) FROM location_precision)", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }

    private static async Task ReadPointsAsync(NpgsqlConnection connection, string sql, object? parameter, List<(double, double)> points, CancellationToken cancellationToken)
    {
        await using var command = ImportCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            var xs = reader.GetFieldValue<double[]>(0);
            var ys = reader.GetFieldValue<double[]>(1);
            for (var i = 0; i < xs.Length; i++)
            {
                points.Add((xs[i], ys[i]));
            }
        }
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = ImportCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// A command without the 30 s default timeout: a million-row upsert takes longer than that.
    /// The caller's cancellation token (the request, Ctrl+C) still cancels it on the server.
    /// </summary>
    public static NpgsqlCommand ImportCommand(string sql, NpgsqlConnection connection) => new(sql, connection) { CommandTimeout = 0 };

    internal static string Sql(string name) => SqlResource.Load(typeof(SignalImporter).Assembly, name);

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning,
        Message = "signal change listener {Listener} failed after a committed import ({ExceptionType}); the import stands")]
    private static partial void LogListenerFailed(Microsoft.Extensions.Logging.ILogger logger, string listener, string exceptionType);
}
