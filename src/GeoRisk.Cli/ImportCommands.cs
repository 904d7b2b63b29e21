using GeoRisk.Data.Hexbins;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GeoRisk.Core.Intake;
using GeoRisk.Data.Intake;
using Spectre.Console;

namespace GeoRisk.Cli;

/// <summary><c>georisk import signals FILE</c> and <c>georisk import areas FILE</c>.</summary>
internal static class ImportCommands
{
    private const int ShownRejections = 25;

    public static Command Create()
    {
        var import = new Command("import", "Import signals (CSV, GeoJSON), area boundaries (GeoJSON), or a port programme's cameras, incidents and obstacles");
        import.Subcommands.Add(Signals());
        import.Subcommands.Add(Areas());
        import.Subcommands.Add(Water());
        import.Subcommands.Add(BoundaryCommands.Create());
        foreach (var port in PortCommands.Create()) import.Subcommands.Add(port);
        return import;
    }

    private static Command Signals()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "CSV or GeoJSON FeatureCollection of points" };
        var source = new Option<string?>("--source") { Description = "Partner code for rows without a source column (politie, gemeente, ...)" };
        var crs = new Option<string?>("--crs") { Description = "CRS of x/y columns and of GeoJSON without a crs member: 28992 (default for CSV) or 4326" };
        crs.AcceptOnlyFromAmong("28992", "4326");
        var mode = new Option<string>("--mode") { Description = "atomic: one bad row writes nothing (default); partial: write the valid rows", DefaultValueFactory = _ => "atomic" };
        mode.AcceptOnlyFromAmong("atomic", "partial");
        var command = new Command("signals", "Import signals; re-importing the same rows changes nothing") { file, source, crs, mode };
        command.SetAction((parse, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"fout / error: file not found: {path.FullName}");
                return 1;
            }
            var importMode = parse.GetValue(mode) == "partial" ? ImportMode.Partial : ImportMode.Atomic;
            var options = new SignalIntakeOptions(parse.GetValue(source), Crs.Parse(parse.GetValue(crs)), importMode);
            await using var dataSource = CliDatabase.Open();
            // The CLI keeps the hexagon grids current like the API does; the API's tile cache notices
            // CLI imports through data_version.
            var importer = new SignalImporter(dataSource, [new HexbinRefreshListener(new HexbinStore(dataSource))]);
            var stopwatch = Stopwatch.StartNew();
            SignalImportResult result;
            try
            {
                result = await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"importing {path.Name}", maxValue: Math.Max(1, path.Length));
                        await using var stream = new CountingStream(path.OpenRead(), bytes => task.Value = bytes);
                        var r = await importer.ImportAsync(stream, options, null, cancellationToken);
                        task.Value = task.MaxValue;
                        return r;
                    });
            }
            catch (IntakeFormatException e)
            {
                await Console.Error.WriteLineAsync($"fout / error: {e.Message} Nothing was written.");
                PrintRejections(e.Rejections, e.Rejections.Count);
                return 1;
            }
            var seconds = stopwatch.Elapsed.TotalSeconds;
            var table = new Table().AddColumns("rows", "inserted", "updated", "unchanged", "rejected", "rows/s");
            table.AddRow(N(result.Rows), N(result.Inserted), N(result.Updated), N(result.Unchanged), N(result.RejectedRows),
                N((int)(result.Rows / Math.Max(seconds, 0.001))));
            AnsiConsole.Write(table);
            PrintRejections(result.Rejections, result.RejectedRows);
            if (!result.Written)
            {
                AnsiConsole.MarkupLine($"[red]{result.RejectedRows} rows rejected: nothing was written (atomic). Fix them, or use --mode partial.[/]");
                return 2;
            }
            AnsiConsole.MarkupLine($"[green]{result.Mode} import done in {seconds:F1} s[/]");
            return 0;
        }));
        return command;
    }

    private static Command Areas()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "GeoJSON FeatureCollection of Polygon/MultiPolygon (CRS84, EPSG:4326 or EPSG:28992)" };
        var kind = new Option<string>("--kind") { Description = "Kind of the areas", Required = true };
        kind.AcceptOnlyFromAmong([.. AreaFileReader.Kinds]);
        var codeField = new Option<string>("--code-field") { Description = "Property with the area code (e.g. buurtcode, gemeentecode)", Required = true };
        var nameField = new Option<string>("--name-field") { Description = "Property with the name (e.g. buurtnaam)", Required = true };
        var parentField = new Option<string?>("--parent-field") { Description = "Property with the parent area's code (e.g. wijkcode)" };
        var crs = new Option<string?>("--crs") { Description = "CRS when the file has no crs member: 4326 (default, RFC 7946) or 28992" };
        crs.AcceptOnlyFromAmong("28992", "4326");
        var validFrom = new Option<string?>("--valid-from") { Description = "Start date (yyyy-mm-dd) of changed boundaries (default today) and of new codes (default 2000-01-01)" };
        var mode = new Option<string>("--mode") { Description = "atomic (default) or partial", DefaultValueFactory = _ => "atomic" };
        mode.AcceptOnlyFromAmong("atomic", "partial");
        var command = new Command("areas", "Import area boundaries; a changed boundary closes the old version and adds a new one")
        {
            file, kind, codeField, nameField, parentField, crs, validFrom, mode,
        };
        command.SetAction((parse, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"fout / error: file not found: {path.FullName}");
                return 1;
            }
            DateOnly? from = null;
            if (parse.GetValue(validFrom) is { Length: > 0 } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    await Console.Error.WriteLineAsync("fout / error: --valid-from must be a date yyyy-mm-dd");
                    return 1;
                }
                from = d;
            }
            var importMode = parse.GetValue(mode) == "partial" ? ImportMode.Partial : ImportMode.Atomic;
            var options = new AreaIntakeOptions(parse.GetValue(kind)!, parse.GetValue(codeField)!, parse.GetValue(nameField)!,
                parse.GetValue(parentField), Crs.Parse(parse.GetValue(crs)));
            await using var dataSource = CliDatabase.Open();
            AreaImportResult result;
            try
            {
                await using var stream = path.OpenRead();
                result = await AnsiConsole.Status().StartAsync($"importing {path.Name}", _ =>
                    new AreaImporter(dataSource).ImportAsync(stream, options, importMode, from, cancellationToken));
            }
            catch (IntakeFormatException e)
            {
                await Console.Error.WriteLineAsync($"fout / error: {e.Message} Nothing was written.");
                return 1;
            }
            var table = new Table().AddColumns("features", "new", "new versions", "updated", "unchanged", "repaired", "rejected");
            table.AddRow(N(result.Features), N(result.Inserted), N(result.NewVersions), N(result.Updated), N(result.Unchanged),
                N(result.Repaired.Count), N(result.RejectedRows));
            AnsiConsole.Write(table);
            foreach (var repair in result.Repaired.Take(ShownRejections))
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]repaired[/] row {repair.Row} {repair.Code}: {repair.Reason}");
            }
            PrintRejections(result.Rejections, result.RejectedRows);
            if (!result.Written)
            {
                AnsiConsole.MarkupLine($"[red]{result.RejectedRows} features rejected: nothing was written (atomic). Fix them, or use --mode partial.[/]");
                return 2;
            }
            return 0;
        }));
        return command;
    }

    private static Command Water()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "GeoJSON FeatureCollection of water polygons (CRS84, EPSG:4326 or EPSG:28992), e.g. BGT or TOP10NL waterdeel" };
        var codeField = new Option<string>("--code-field") { Description = "Property with a unique code per water polygon (a re-import replaces that code's polygon)", Required = true };
        var nameField = new Option<string>("--name-field") { Description = "Property with the water's name (printed on cut-outs where it fits)", Required = true };
        var crs = new Option<string?>("--crs") { Description = "CRS when the file has no crs member: 4326 (default, RFC 7946) or 28992" };
        crs.AcceptOnlyFromAmong("28992", "4326");
        var command = new Command("water", "Import open water drawn under the context lines of map cut-outs without a basemap (all or nothing)")
        {
            file, codeField, nameField, crs,
        };
        command.SetAction((parse, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"fout / error: file not found: {path.FullName}");
                return 1;
            }
            await using var dataSource = CliDatabase.Open();
            WaterImportResult result;
            try
            {
                await using var stream = path.OpenRead();
                result = await AnsiConsole.Status().StartAsync($"importing {path.Name}", _ =>
                    new WaterImporter(dataSource).ImportAsync(stream, parse.GetValue(codeField)!, parse.GetValue(nameField)!,
                        Crs.Parse(parse.GetValue(crs)), cancellationToken));
            }
            catch (IntakeFormatException e)
            {
                await Console.Error.WriteLineAsync($"fout / error: {e.Message} Nothing was written.");
                return 1;
            }
            var table = new Table().AddColumns("features", "new", "replaced", "repaired", "rejected");
            var rejected = result.Rejections.Select(r => r.Row).Distinct().Count();
            table.AddRow(N(result.Features), N(result.Inserted), N(result.Replaced), N(result.Repaired), N(rejected));
            AnsiConsole.Write(table);
            PrintRejections(result.Rejections, rejected);
            if (!result.Written)
            {
                AnsiConsole.MarkupLine($"[red]{rejected} features rejected: nothing was written. Fix them and import the file again.[/]");
                return 2;
            }
            return 0;
        }));
        return command;
    }

    private static void PrintRejections(IReadOnlyList<Rejection> rejections, int rejectedRows)
    {
        if (rejections.Count == 0)
        {
            return;
        }
        var table = new Table().AddColumns("row", "field", "reason", "message");
        foreach (var r in rejections.Take(ShownRejections))
        {
            table.AddRow(r.Row.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Field), Markup.Escape(r.Kind is null ? r.Reason : $"{r.Reason}:{r.Kind}"), Markup.Escape(r.Message));
        }
        AnsiConsole.Write(table);
        if (rejections.Count > ShownRejections)
        {
            AnsiConsole.MarkupLine($"… and more: {rejectedRows} rejected rows in all");
        }
    }

    private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Reports how far the importer has read the file, for the progress bar.</summary>
    private sealed class CountingStream(Stream inner, Action<long> onRead) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        private int Count(int n)
        {
            _position += n;
            onRead(_position);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
