using GeoRisk.Core.Intake;
using Npgsql;

namespace GeoRisk.Data.Intake;

/// <summary>
/// A boundary file to import; <see cref="Name"/> names it in summaries and rejections.
/// <see cref="Gemeenten"/>, when given, replaces the import's gemeente filter for this file.
/// </summary>
public sealed record BoundarySource(string Name, Stream Stream, IReadOnlySet<string>? Gemeenten = null);

/// <param name="Exposure">auto (the first of inwoners, adressen, bedrijven the file has), a unit, or none.</param>
/// <param name="Gemeenten">Only boundaries in these gemeenten (GMnnnn); null keeps all.</param>
/// <param name="Derive">Build the levels above the imported boundaries (wijk, stadsdeel, gemeente) as unions.</param>
public sealed record BoundaryImportOptions(
    ImportMode Mode = ImportMode.Atomic, DateOnly? ValidFrom = null, string Exposure = "auto",
    IReadOnlySet<string>? Gemeenten = null, bool Derive = true);

public sealed record BoundaryFileSummary(string File, string Format, string Kind, int Features, int Skipped,
    string? ExposureField, string? ExposureUnit, int ExposureUnknown);

/// <summary>How many areas of a level were built from the imported boundaries, and how many of them have an exposure.</summary>
public sealed record DerivedLevel(string Kind, int Areas, int WithExposure);

/// <summary>A rejection or repair in one file (row = feature number in that file); File "derived" for a derived area.</summary>
public sealed record BoundaryRejection(string File, int Row, string Field, string Reason, string Message);

public sealed record BoundaryRepair(string File, int Row, string Code, string Reason);

public sealed record BoundaryImportResult(
    string Mode,
    IReadOnlyList<BoundaryFileSummary> Files,
    IReadOnlyList<DerivedLevel> Derived,
    int Inserted,
    int NewVersions,
    int Updated,
    int Unchanged,
    int RejectedRows,
    bool Written,
    IReadOnlyList<BoundaryRepair> Repaired,
    IReadOnlyList<BoundaryRejection> Rejections);

/// <summary>
/// Imports published boundary files (the CBS wijk- en buurtkaart, Amsterdam's buurten, a
/// municipality's own export) in one go: codes, names, parents and exposure from the files
/// (<see cref="BoundaryFileReader"/>), the levels above them derived as unions of their
/// buurten with the exposure summed, everything versioned like <see cref="AreaImporter"/>.
/// A code that one of the files supplies is imported, not derived.
/// </summary>
public sealed class BoundaryImporter(NpgsqlDataSource dataSource, TimeProvider? time = null)
{
    private static readonly string DeriveSql = SignalImporter.Sql("BoundaryImporter.derive.sql");
    private static readonly string DerivedSql = SignalImporter.Sql("BoundaryImporter.derived.sql");

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<BoundaryImportResult> ImportAsync(IReadOnlyList<BoundarySource> files, BoundaryImportOptions options,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await ImportAsync(connection, files, options, DateOnly.FromDateTime(_time.GetLocalNow().DateTime), progress, cancellationToken);
        if (result.Written)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken);
        }
        return result;
    }

    /// <summary>
    /// The import inside the caller's transaction (the demo seed runs it in its own). Nothing is
    /// written to <c>area</c> when the result says <c>Written = false</c>; the caller rolls back or commits.
    /// </summary>
    public static async Task<BoundaryImportResult> ImportAsync(NpgsqlConnection connection, IReadOnlyList<BoundarySource> files,
        BoundaryImportOptions options, DateOnly today, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var modeName = options.Mode == ImportMode.Atomic ? "atomic" : "partial";
        var newVersionFrom = options.ValidFrom ?? today;

        // Rows are numbered across the files; each file's rows start after the previous file's.
        var read = new List<(BoundarySource Source, BoundaryFile File, int Offset)>();
        var offset = 0;
        foreach (var source in ExpandGeoPackages(files))
        {
            BoundaryFile file;
            try
            {
                file = BoundaryFileReader.Read(source.Stream, options.Exposure, source.Gemeenten ?? options.Gemeenten);
            }
            catch (IntakeFormatException e)
            {
                throw new IntakeFormatException($"{source.Name}: {e.Message}", e.Rejections);
            }
            progress?.Report($"{source.Name}: {file.Format}, {file.Features} features"
                + (file.Skipped > 0 ? $", {file.Skipped} outside the chosen gemeenten" : "")
                + (file.ExposureField is null ? ", no exposure" : $", exposure {file.ExposureUnit} from {file.ExposureField}"
                    + (file.ExposureUnknown > 0 ? $" ({file.ExposureUnknown} unknown)" : "")));
            read.Add((source, file, offset));
            offset += file.Features;
        }
        var rejections = new List<(int Row, Rejection Rejection)>();
        foreach (var (_, file, fileOffset) in read)
        {
            rejections.AddRange(file.Rejections.Select(r => (fileOffset + r.Row, r)));
        }

        // The same code in two files would be two current boundaries: the first one stays.
        var staged = new List<StagedArea>();
        var firstSeen = new Dictionary<string, (string File, int Row)>(StringComparer.Ordinal);
        var boundaries = new List<BoundaryFeature>();
        foreach (var (source, file, fileOffset) in read)
        {
            foreach (var b in file.Boundaries)
            {
                if (firstSeen.TryGetValue(b.Area.Code, out var first))
                {
                    rejections.Add((fileOffset + b.Area.Row, new Rejection(b.Area.Row, "code", RejectionReasons.DuplicateExternalId,
                        $"the area code repeats row {first.Row} of {first.File}")));
                    continue;
                }
                firstSeen[b.Area.Code] = (source.Name, b.Area.Row);
                boundaries.Add(b);
                staged.Add(new StagedArea(fileOffset + b.Area.Row, b.Area.Code, b.Area.Name, b.Kind, b.Area.ParentCode,
                    b.Area.GeometryJson, b.Area.Srid, b.Exposure, b.ExposureUnit, true));
            }
        }

        progress?.Report($"staging {staged.Count} boundaries (parse, transform to RD New, repair)");
        await AreaVersioning.StageAsync(connection, staged, cancellationToken);
        var (repairs, geometryRejections) = await AreaVersioning.ReportAsync(connection, cancellationToken);
        rejections.AddRange(geometryRejections.Select(r => (r.Row, r)));

        var derivedCodes = new List<string>();
        if (options.Derive)
        {
            derivedCodes = await DeriveAsync(connection, boundaries, firstSeen, offset, cancellationToken);
        }
        var derived = new List<DerivedLevel>();
        await using (var command = SignalImporter.ImportCommand(DerivedSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                derived.Add(new DerivedLevel(reader.GetString(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2)));
            }
        }
        if (derived.Count > 0)
        {
            progress?.Report("derived " + string.Join(", ", derived.Select(d => $"{d.Areas} {d.Kind}")));
        }

        var conflicts = await AreaVersioning.PlanAsync(connection, newVersionFrom, cancellationToken);
        foreach (var row in conflicts)
        {
            var code = row > offset ? derivedCodes[row - offset - 1] : null;
            rejections.Add((row, AreaVersioning.ConflictRejection(row, code)));
        }
        rejections.Sort((a, b) => a.Row.CompareTo(b.Row));
        var rejectedRows = rejections.Select(r => r.Row).Distinct().Count();
        var located = rejections.Select(r =>
        {
            var (file, row) = Locate(read, offset, r.Row);
            return new BoundaryRejection(file, row, r.Rejection.Field, r.Rejection.Reason, r.Rejection.Message);
        }).ToList();
        var repaired = repairs.Select(r =>
        {
            var (file, row) = Locate(read, offset, r.Row);
            return new BoundaryRepair(file, row, r.Code, r.Reason);
        }).ToList();
        var summaries = read.Select(r => new BoundaryFileSummary(r.Source.Name, r.File.Format, r.File.Kind, r.File.Features, r.File.Skipped,
            r.File.ExposureField, r.File.ExposureUnit, r.File.ExposureUnknown)).ToList();

        if (options.Mode == ImportMode.Atomic && rejectedRows > 0)
        {
            return new BoundaryImportResult(modeName, summaries, derived, 0, 0, 0, 0, rejectedRows, false, repaired, located);
        }
        progress?.Report("writing boundary versions");
        var counts = await AreaVersioning.WriteAsync(connection, conflicts, newVersionFrom, options.ValidFrom, cancellationToken);
        return new BoundaryImportResult(modeName, summaries, derived, counts.Inserted, counts.NewVersions, counts.Updated, counts.Unchanged,
            rejectedRows, true, repaired, located);
    }

    /// <summary>Stages the union areas; returns their codes in row order (row = features + 1 + index).</summary>
    private static async Task<List<string>> DeriveAsync(NpgsqlConnection connection, List<BoundaryFeature> boundaries,
        Dictionary<string, (string File, int Row)> imported, int features, CancellationToken cancellationToken)
    {
        var areas = new Dictionary<string, (string Kind, string Name, string? Parent)>(StringComparer.Ordinal);
        var order = new List<string>();
        var links = new List<(string Area, string Part)>();
        foreach (var b in boundaries)
        {
            for (var i = 0; i < b.Ancestors.Count; i++)
            {
                var level = b.Ancestors[i];
                if (imported.ContainsKey(level.Code)) continue;
                if (!areas.ContainsKey(level.Code))
                {
                    areas[level.Code] = (level.Kind, level.Name, i + 1 < b.Ancestors.Count ? b.Ancestors[i + 1].Code : null);
                    order.Add(level.Code);
                }
                links.Add((level.Code, b.Area.Code));
            }
        }
        if (order.Count == 0) return order;
        await SignalImporter.ExecuteAsync(connection, DeriveSql, cancellationToken,
            Enumerable.Range(features + 1, order.Count).ToArray(), order.ToArray(),
            order.Select(c => areas[c].Name).ToArray(), order.Select(c => areas[c].Kind).ToArray(),
            order.Select(c => areas[c].Parent).ToArray(),
            links.Select(l => l.Area).ToArray(), links.Select(l => l.Part).ToArray());
        return order;
    }

    private static (string File, int Row) Locate(List<(BoundarySource Source, BoundaryFile File, int Offset)> read, int features, int row)
    {
        if (row > features) return ("derived", row - features);
        for (var i = read.Count - 1; i >= 0; i--)
        {
            if (row > read[i].Offset) return (read[i].Source.Name, row - read[i].Offset);
        }
        return (read.Count > 0 ? read[0].Source.Name : "", row);
    }

    /// <summary>A GeoPackage becomes one source per feature table ("file.gpkg:buurten"); other files pass as they are.</summary>
    private static IEnumerable<BoundarySource> ExpandGeoPackages(IReadOnlyList<BoundarySource> files)
    {
        foreach (var source in files)
        {
            if (!GeoPackageFile.LooksLikeGeoPackage(source.Stream))
            {
                yield return source;
                continue;
            }
            IReadOnlyList<(string Layer, MemoryStream GeoJson)> layers;
            try
            {
                layers = GeoPackageFile.ReadLayers(source.Stream);
            }
            catch (IntakeFormatException e)
            {
                throw new IntakeFormatException($"{source.Name}: {e.Message}", e.Rejections);
            }
            foreach (var (layer, json) in layers)
            {
                yield return source with { Name = $"{source.Name}:{IntakeStreams.SafeName(layer, 0)}", Stream = json };
            }
        }
    }
}
