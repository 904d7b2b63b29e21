using System.CommandLine;
using System.Globalization;
using GeoRisk.Core.Intake;
using GeoRisk.Data.Intake;
using Spectre.Console;

namespace GeoRisk.Cli;

/// <summary><c>georisk import boundaries FILE...</c>: published boundary files with exposure and derived levels.</summary>
internal static class BoundaryCommands
{
    private const int Shown = 25;

    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "Boundary files as published, GeoJSON or GeoPackage (every feature table): CBS wijk- en buurtkaart (buurten, wijken, gemeenten), Amsterdam's buurten", Arity = ArgumentArity.OneOrMore };
        var exposure = new Option<string>("--exposure") { Description = "Exposure taken from the files: auto (inwoners, else adressen, else bedrijven), inwoners, adressen, bedrijven or none", DefaultValueFactory = _ => "auto" };
        exposure.AcceptOnlyFromAmong(["auto", "none", .. BoundaryFileReader.ExposureUnits]);
        var gemeenten = new Option<string[]>("--gemeente") { Description = "Only boundaries in this gemeente (GMnnnn); repeat for more", AllowMultipleArgumentsPerToken = true };
        var noDerive = new Option<bool>("--no-derive") { Description = "Do not build wijken, stadsdelen and gemeenten as unions of the imported boundaries" };
        var validFrom = new Option<string?>("--valid-from") { Description = "Start date (yyyy-mm-dd) of changed boundaries (default today) and of new codes (default 2000-01-01)" };
        var mode = new Option<string>("--mode") { Description = "atomic (default) or partial", DefaultValueFactory = _ => "atomic" };
        mode.AcceptOnlyFromAmong("atomic", "partial");
        var command = new Command("boundaries",
            "Import published boundary files in one go: codes, names, parents and exposure from the files; wijk, stadsdeel and gemeente derived as unions of the buurten")
        {
            files, exposure, gemeenten, noDerive, validFrom, mode,
        };
        command.SetAction((parse, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            var paths = parse.GetValue(files)!;
            if (paths.FirstOrDefault(p => !p.Exists) is { } absent)
            {
                await Console.Error.WriteLineAsync($"fout / error: file not found: {absent.FullName}");
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
            var filter = parse.GetValue(gemeenten) is { Length: > 0 } codes
                ? codes.SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal)
                : null;
            var options = new BoundaryImportOptions(parse.GetValue(mode) == "partial" ? ImportMode.Partial : ImportMode.Atomic,
                from, parse.GetValue(exposure)!, filter, !parse.GetValue(noDerive));
            await using var dataSource = CliDatabase.Open();
            var sources = paths.Select(p => new BoundarySource(p.Name, p.OpenRead())).ToList();
            BoundaryImportResult result;
            try
            {
                // Progress on stderr, so stdout keeps only the summary.
                var progress = new SynchronousProgress(message => Console.Error.WriteLine($"  {message}"));
                result = await new BoundaryImporter(dataSource).ImportAsync(sources, options, progress, cancellationToken);
            }
            catch (IntakeFormatException e)
            {
                await Console.Error.WriteLineAsync($"fout / error: {e.Message} Nothing was written.");
                return 1;
            }
            finally
            {
                foreach (var s in sources) await s.Stream.DisposeAsync();
            }
            Print(result);
            if (!result.Written)
            {
                AnsiConsole.MarkupLine($"[red]{result.RejectedRows} features rejected: nothing was written (atomic). Fix them, or use --mode partial.[/]");
                return 2;
            }
            AnsiConsole.MarkupLine($"[green]{result.Mode} boundary import done[/]");
            return 0;
        }));
        return command;
    }

    private static void Print(BoundaryImportResult result)
    {
        var files = new Table().AddColumns("file", "format", "kind", "features", "skipped", "exposure");
        foreach (var f in result.Files)
        {
            files.AddRow(Markup.Escape(f.File), f.Format, f.Kind, N(f.Features), N(f.Skipped),
                f.ExposureUnit is null ? "-" : Markup.Escape($"{f.ExposureUnit} ({f.ExposureField}; {N(f.ExposureUnknown)} unknown)"));
        }
        AnsiConsole.Write(files);
        if (result.Derived.Count > 0)
        {
            var derived = new Table().AddColumns("derived", "areas", "with exposure");
            foreach (var d in result.Derived) derived.AddRow(d.Kind, N(d.Areas), N(d.WithExposure));
            AnsiConsole.Write(derived);
        }
        var counts = new Table().AddColumns("new", "new versions", "updated", "unchanged", "repaired", "rejected");
        counts.AddRow(N(result.Inserted), N(result.NewVersions), N(result.Updated), N(result.Unchanged), N(result.Repaired.Count), N(result.RejectedRows));
        AnsiConsole.Write(counts);
        foreach (var r in result.Repaired.Take(Shown))
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]repaired[/] {r.File} row {r.Row} {r.Code}: {r.Reason}");
        }
        if (result.Rejections.Count > 0)
        {
            var table = new Table().AddColumns("file", "row", "field", "reason", "message");
            foreach (var r in result.Rejections.Take(Shown))
            {
                table.AddRow(Markup.Escape(r.File), r.Row.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Field), Markup.Escape(r.Reason), Markup.Escape(r.Message));
            }
            AnsiConsole.Write(table);
            if (result.Rejections.Count > Shown) AnsiConsole.MarkupLine($"… and more: {result.RejectedRows} rejected features in all");
        }
    }

    private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Reports at once, in order (Progress&lt;T&gt; posts to the thread pool and may print after the summary).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
