using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GeoRisk.Core.Intake;
using GeoRisk.Data.Ports;
using GeoRisk.Data.Rtm;
using Npgsql;
using Spectre.Console;

namespace GeoRisk.Cli;

/// <summary>
/// <c>georisk import cameras|incidents|obstacles|factors FILE --programme P</c>: a port programme's
/// camera registry, incident datasets and obstacle footprints (docs/ports.md), and risk-factor
/// layers of gelegenheidskaarten (docs/rtm.md), with the same
/// exit codes as the signal import (0 written, 1 unreadable/refused, 2 rows rejected in atomic mode).
/// </summary>
internal static class PortCommands
{
    private const int ShownRejections = 25;

    public static IEnumerable<Command> Create()
    {
        yield return Import("cameras", "Import a programme's camera registry (CSV or GeoJSON points); re-importing changes nothing",
            (db, stream, programme, crs, mode, _, _, _, ct) => new PortImporter(db).ImportCamerasAsync(stream, programme, crs, mode, ct));
        yield return Import("incidents", "Import an incident dataset (CSV points, GeoJSON points or polygons) of a programme",
            (db, stream, programme, crs, mode, dataset, name, _, ct) =>
                new PortImporter(db).ImportIncidentsAsync(stream, programme, dataset ?? throw new PortImportRefusedException("--dataset is required for incidents"), name, crs, mode, ct));
        yield return Import("obstacles", "Import obstacles (GeoJSON footprints, e.g. BAG panden); camera views behind them are clipped",
            (db, stream, programme, crs, mode, _, _, _, ct) => new PortImporter(db).ImportObstaclesAsync(stream, programme, crs, mode, ct));
        yield return Import("factors", "Import a risk-factor layer for gelegenheidskaarten (CSV points, GeoJSON points, lines or polygons of one factor kind)",
            (db, stream, programme, crs, mode, dataset, name, kind, ct) =>
                new FactorImporter(db).ImportAsync(stream, programme, dataset ?? throw new PortImportRefusedException("--dataset is required for factors"),
                    kind ?? throw new PortImportRefusedException("--kind is required for factors"), name, crs, mode, ct));
    }

    private delegate Task<PortImportResult> Run(NpgsqlDataSource dataSource, Stream stream, string programme, int? crs, ImportMode mode,
        string? dataset, string? name, string? kind, CancellationToken cancellationToken);

    private static Command Import(string what, string description, Run run)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "CSV or GeoJSON FeatureCollection" };
        var programme = new Option<string>("--programme") { Description = "Casustafel id of the programme that owns the data (e.g. westelijk-havengebied)", Required = true };
        var crs = new Option<string?>("--crs") { Description = "CRS of x/y columns and of GeoJSON without a crs member: 28992 or 4326" };
        crs.AcceptOnlyFromAmong("28992", "4326");
        var mode = new Option<string>("--mode") { Description = "atomic (default) or partial", DefaultValueFactory = _ => "atomic" };
        mode.AcceptOnlyFromAmong("atomic", "partial");
        var dataset = new Option<string?>("--dataset") { Description = "Incident dataset or factor layer code (created when new)" };
        var name = new Option<string?>("--name") { Description = "Incident dataset name" };
        var kind = new Option<string?>("--kind") { Description = "Factor kind (georisk rtm kinds lists them)" };
        var command = new Command(what, description) { file, programme, crs, mode };
        if (what is "incidents" or "factors")
        {
            command.Options.Add(dataset);
            command.Options.Add(name);
        }
        if (what == "factors") command.Options.Add(kind);
        command.SetAction((parse, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"fout / error: file not found: {path.FullName}");
                return 1;
            }
            await using var dataSource = CliDatabase.Open();
            var stopwatch = Stopwatch.StartNew();
            PortImportResult result;
            try
            {
                await using var stream = path.OpenRead();
                result = await run(dataSource, stream, parse.GetValue(programme)!, Crs.Parse(parse.GetValue(crs)),
                    parse.GetValue(mode) == "partial" ? ImportMode.Partial : ImportMode.Atomic, parse.GetValue(dataset), parse.GetValue(name),
                    parse.GetValue(kind), cancellationToken);
            }
            catch (IntakeFormatException e)
            {
                await Console.Error.WriteLineAsync($"fout / error: {e.Message} Nothing was written.");
                Print(e.Rejections, e.Rejections.Count);
                return 1;
            }
            catch (PortImportRefusedException e)
            {
                await Console.Error.WriteLineAsync($"fout / error: {e.Message} Nothing was written.");
                return 1;
            }
            var table = new Table().AddColumns("rows", "inserted", "updated", "unchanged", "rejected", "views re-clipped", "seconds");
            table.AddRow(N(result.Rows), N(result.Inserted), N(result.Updated), N(result.Unchanged), N(result.RejectedRows), N(result.ViewsRecomputed),
                stopwatch.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            Print(result.Rejections, result.RejectedRows);
            if (!result.Written)
            {
                AnsiConsole.MarkupLine($"[red]{result.RejectedRows} rows rejected: nothing was written (atomic). Fix them, or use --mode partial.[/]");
                return 2;
            }
            return 0;
        }));
        return command;
    }

    private static void Print(IReadOnlyList<Rejection> rejections, int rejectedRows)
    {
        if (rejections.Count == 0) return;
        var table = new Table().AddColumns("row", "field", "reason", "message");
        foreach (var r in rejections.Take(ShownRejections))
            table.AddRow(r.Row.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Field), Markup.Escape(r.Kind is null ? r.Reason : $"{r.Reason}:{r.Kind}"), Markup.Escape(r.Message));
        AnsiConsole.Write(table);
        if (rejections.Count > ShownRejections) AnsiConsole.MarkupLine($"… and more: {rejectedRows} rejected rows in all");
    }

    private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
