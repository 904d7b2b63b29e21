using GeoRisk.Core.Intake;
using Npgsql;

namespace GeoRisk.Data.Intake;

/// <summary>A boundary that was invalid and repaired with ST_MakeValid; the reason without coordinates.</summary>
public sealed record AreaRepair(int Row, string Code, string Reason);

public sealed record AreaImportResult(
    string Mode,
    int Features,
    int Inserted,
    int NewVersions,
    int Updated,
    int Unchanged,
    int RejectedRows,
    bool Written,
    IReadOnlyList<AreaRepair> Repaired,
    IReadOnlyList<Rejection> Rejections);

/// <summary>
/// Imports area boundaries from GeoJSON: parse, transform to RD New, repair invalid
/// polygons (reported), then version them: a changed boundary closes the current version and adds
/// a new one. Atomic by default; partial writes the good features.
/// </summary>
public sealed class AreaImporter(NpgsqlDataSource dataSource, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <param name="validFrom">Start of new versions of existing codes (default today) and of new codes (default: since 2000).</param>
    public async Task<AreaImportResult> ImportAsync(Stream file, AreaIntakeOptions options, ImportMode mode, DateOnly? validFrom, CancellationToken cancellationToken)
    {
        var (areas, rejections) = AreaFileReader.Read(file, options);
        var features = areas.Count + rejections.Select(r => r.Row).Distinct().Count();
        var newVersionFrom = validFrom ?? DateOnly.FromDateTime(_time.GetLocalNow().DateTime);
        var modeName = mode == ImportMode.Atomic ? "atomic" : "partial";

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // This import says nothing about exposure: the stored exposure stays as it is.
        await AreaVersioning.StageAsync(connection,
            areas.Select(a => new StagedArea(a.Row, a.Code, a.Name, options.Kind, a.ParentCode, a.GeometryJson, a.Srid, null, null, false)).ToList(),
            cancellationToken);
        var (repaired, geometryRejections) = await AreaVersioning.ReportAsync(connection, cancellationToken);
        rejections.AddRange(geometryRejections);
        var conflicts = await AreaVersioning.PlanAsync(connection, newVersionFrom, cancellationToken);
        rejections.AddRange(conflicts.Select(row => AreaVersioning.ConflictRejection(row)));
        rejections.Sort((a, b) => a.Row.CompareTo(b.Row));
        var rejectedRows = rejections.Select(r => r.Row).Distinct().Count();

        if (mode == ImportMode.Atomic && rejectedRows > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new AreaImportResult(modeName, features, 0, 0, 0, 0, rejectedRows, false, repaired, rejections);
        }
        var counts = await AreaVersioning.WriteAsync(connection, conflicts, newVersionFrom, validFrom, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AreaImportResult(modeName, features, counts.Inserted, counts.NewVersions, counts.Updated, counts.Unchanged,
            rejectedRows, true, repaired, rejections);
    }
}

/// <summary>A boundary to stage: exposure null is unknown; <see cref="ExposureGiven"/> false leaves the stored exposure alone.</summary>
internal sealed record StagedArea(int Row, string Code, string Name, string Kind, string? ParentCode, string GeometryJson, int Srid,
    double? Exposure, string? ExposureUnit, bool ExposureGiven);

internal sealed record AreaWriteCounts(int Inserted, int NewVersions, int Updated, int Unchanged);

/// <summary>
/// The steps every boundary import shares, inside the caller's transaction: stage (parse, RD New,
/// repair), plan against the current versions, then close changed boundaries, correct attributes
/// in place and add new codes and versions.
/// </summary>
internal static class AreaVersioning
{
    private static readonly string StageTableSql = SignalImporter.Sql("AreaImporter.stagetable.sql");
    private static readonly string PlanTableSql = SignalImporter.Sql("AreaImporter.plantable.sql");
    private static readonly string StageSql = SignalImporter.Sql("AreaImporter.stage.sql");
    private static readonly string ReportSql = SignalImporter.Sql("AreaImporter.report.sql");
    private static readonly string PlanSql = SignalImporter.Sql("AreaImporter.plan.sql");
    private static readonly string ConflictsSql = SignalImporter.Sql("AreaImporter.conflicts.sql");
    private static readonly string DiscardSql = SignalImporter.Sql("AreaImporter.discard.sql");
    private static readonly string CloseSql = SignalImporter.Sql("AreaImporter.close.sql");
    private static readonly string RenameSql = SignalImporter.Sql("AreaImporter.rename.sql");
    private static readonly string AddSql = SignalImporter.Sql("AreaImporter.add.sql");
    private static readonly string CountsSql = SignalImporter.Sql("AreaImporter.counts.sql");
    private static readonly string BumpSql = SignalImporter.Sql("DataVersion.bump.sql");

    private const long ImportLockKey = 0x47_52_41_33; // "GRA3"

    /// <summary>Takes the import lock, creates the stage and plan tables and stages the boundaries.</summary>
    public static async Task StageAsync(NpgsqlConnection connection, IReadOnlyList<StagedArea> areas, CancellationToken cancellationToken)
    {
        await SignalImporter.ExecuteAsync(connection, "SELECT pg_advisory_xact_lock($1)", cancellationToken, ImportLockKey);
        await SignalImporter.ExecuteAsync(connection, StageTableSql, cancellationToken);
        await SignalImporter.ExecuteAsync(connection, PlanTableSql, cancellationToken);
        await SignalImporter.ExecuteAsync(connection, StageSql, cancellationToken,
            areas.Select(a => a.Row).ToArray(), areas.Select(a => a.Code).ToArray(), areas.Select(a => a.Name).ToArray(),
            areas.Select(a => a.ParentCode).ToArray(), areas.Select(a => a.GeometryJson).ToArray(),
            areas.Select(a => a.Srid).ToArray(), areas.Select(a => a.Kind).ToArray(), areas.Select(a => a.Exposure).ToArray(),
            areas.Select(a => a.ExposureUnit).ToArray(), areas.Select(a => a.ExposureGiven).ToArray());
    }

    /// <summary>Repaired boundaries and boundaries that could not be read or lie outside the Netherlands.</summary>
    public static async Task<(List<AreaRepair> Repaired, List<Rejection> Rejections)> ReportAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var repaired = new List<AreaRepair>();
        var rejections = new List<Rejection>();
        await using var report = SignalImporter.ImportCommand(ReportSql, connection);
        await using var reader = await report.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = reader.GetInt32(0);
            var code = reader.GetString(1);
            if (!reader.IsDBNull(2))
            {
                rejections.Add(GeometryRejection(row, reader.GetString(2)));
            }
            else
            {
                var reason = reader.IsDBNull(4) ? "invalid geometry" : reader.GetString(4).Trim();
                repaired.Add(new AreaRepair(row, code, $"{reason}: repaired with ST_MakeValid"));
            }
        }
        return (repaired, rejections);
    }

    /// <summary>Plans every staged boundary; returns the rows whose new version would start too early.</summary>
    public static async Task<List<int>> PlanAsync(NpgsqlConnection connection, DateOnly newVersionFrom, CancellationToken cancellationToken)
    {
        await SignalImporter.ExecuteAsync(connection, PlanSql, cancellationToken);
        var conflicts = new List<int>();
        await using var check = SignalImporter.ImportCommand(ConflictsSql, connection);
        check.Parameters.Add(new NpgsqlParameter { Value = newVersionFrom });
        await using var reader = await check.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            conflicts.Add(reader.GetInt32(0));
        }
        return conflicts;
    }

    public static Rejection ConflictRejection(int row, string? code = null) => new(row, "valid_from", RejectionReasons.InvalidValue,
        (code is null ? "the boundary changed" : $"the boundary of {code} changed")
        + ", but the current version starts on or after valid_from: give a later --valid-from");

    /// <summary>Writes the plan (without the conflicting rows) and bumps data_version('area') when something changed.</summary>
    public static async Task<AreaWriteCounts> WriteAsync(NpgsqlConnection connection, IReadOnlyList<int> conflicts, DateOnly newVersionFrom, DateOnly? validFrom,
        CancellationToken cancellationToken)
    {
        if (conflicts.Count > 0)
        {
            await SignalImporter.ExecuteAsync(connection, DiscardSql, cancellationToken, conflicts.ToArray());
        }
        await SignalImporter.ExecuteAsync(connection, CloseSql, cancellationToken, newVersionFrom);
        await SignalImporter.ExecuteAsync(connection, RenameSql, cancellationToken);
        await SignalImporter.ExecuteAsync(connection, AddSql, cancellationToken, newVersionFrom, validFrom is { } v ? v : DBNull.Value);
        AreaWriteCounts counts;
        await using (var command = SignalImporter.ImportCommand(CountsSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            counts = new AreaWriteCounts((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3));
        }
        if (counts.Inserted + counts.NewVersions + counts.Updated > 0)
        {
            await SignalImporter.ExecuteAsync(connection, BumpSql, cancellationToken, "area");
        }
        return counts;
    }

    internal static Rejection GeometryRejection(int row, string error) => error switch
    {
        "outside" => new Rejection(row, "geometry", RejectionReasons.OutsideNetherlands,
            "the boundary is outside the Netherlands: check the crs member (CRS84/EPSG:4326 is lon,lat; EPSG:28992 is RD metres)"),
        "not_polygon" => new Rejection(row, "geometry", RejectionReasons.InvalidGeometry, "geometry must be a non-empty Polygon or MultiPolygon"),
        "invalid_ring" => new Rejection(row, "geometry", RejectionReasons.InvalidGeometry, "every ring must be closed and have at least four positions"),
        "unusable" => new Rejection(row, "geometry", RejectionReasons.InvalidGeometry, "the geometry cannot be processed (GEOS refused it)"),
        "empty_after_repair" => new Rejection(row, "geometry", RejectionReasons.InvalidGeometry, "the boundary is invalid and nothing is left after repair"),
        _ => new Rejection(row, "geometry", RejectionReasons.InvalidGeometry, "the geometry cannot be read as GeoJSON coordinates"),
    };
}
