using System.CommandLine;
using System.Globalization;
using GeoRisk.Core.Access;
using GeoRisk.Core.Privacy;
using GeoRisk.Data.Interventions;
using GeoRisk.Reports.Effects;

namespace GeoRisk.Cli;

/// <summary><c>georisk intervention list|add|analyse</c>: the interventions register and effect monitoring (docs/effects.md).</summary>
internal static class InterventionCommands
{
    public static Command Create()
    {
        var command = new Command("intervention", "Interventions and their effect: before/after with buffer and control, displacement (waterbedeffect)");

        var casustafelFilter = new Option<string?>("--casustafel") { Description = "Only this casustafel's interventions" };
        var list = new Command("list", "Current interventions") { casustafelFilter };
        list.SetAction((parseResult, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            foreach (var i in await new InterventionStore(dataSource).ListAsync(CallerScope.Unrestricted, parseResult.GetValue(casustafelFilter), cancellationToken))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{i.Code,-28} v{i.Version} {i.Kind,-14} {i.StartDate:yyyy-MM-dd} {i.CasustafelId,-16} {i.AreaCode ?? "(getekend)",-14} {i.Name}"));
            return 0;
        }));
        command.Subcommands.Add(list);

        var code = new Option<string>("--code") { Description = "Stable code (lowercase letters, digits, hyphens)", Required = true };
        var name = new Option<string>("--name") { Description = "Name shown in the map and reports", Required = true };
        var kind = new Option<string>("--kind") { Description = "sluiting, cameratoezicht, controleweek, bibob, gebiedsverbod or overig", Required = true };
        var casustafel = new Option<string>("--casustafel") { Description = "The casustafel it belongs to", Required = true };
        var area = new Option<string?>("--area") { Description = "Target: an area code" };
        var targetFile = new Option<FileInfo?>("--target-file") { Description = "Target: a GeoJSON Polygon/MultiPolygon geometry (WGS84) in a file" };
        var start = new Option<string>("--start") { Description = "Start date yyyy-MM-dd", Required = true };
        var end = new Option<string?>("--end") { Description = "End date yyyy-MM-dd (optional)" };
        var description = new Option<string?>("--description") { Description = "Short non-personal description" };
        var add = new Command("add", "Registers an intervention (or a new version of one with --update)") { code, name, kind, casustafel, area, targetFile, start, end, description };
        var update = new Option<bool>("--update") { Description = "Store a new version of an existing intervention" };
        add.Options.Add(update);
        add.SetAction((parseResult, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            var areaCode = parseResult.GetValue(area);
            var file = parseResult.GetValue(targetFile);
            if ((areaCode is null) == (file is null)) return Fail("give exactly one of --area and --target-file");
            if (!DateOnly.TryParseExact(parseResult.GetValue(start), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var startDate))
                return Fail("--start must be a date as yyyy-MM-dd");
            DateOnly? endDate = null;
            if (parseResult.GetValue(end) is { } endText)
            {
                if (!DateOnly.TryParseExact(endText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || parsed < startDate)
                    return Fail("--end must be a date as yyyy-MM-dd, not before --start");
                endDate = parsed;
            }
            var text = parseResult.GetValue(description) ?? "";
            foreach (var (field, value) in new[] { ("--name", parseResult.GetValue(name)!), ("--description", text) })
                if (PrivacyGate.Scan(value).Codes() is { Count: > 0 } kinds)
                    return Fail($"{field} seems to contain personal data ({string.Join(", ", kinds)})");
            var draft = new InterventionDraft(parseResult.GetValue(code)!, parseResult.GetValue(name)!, parseResult.GetValue(kind)!,
                parseResult.GetValue(casustafel)!, areaCode, file is null ? null : await File.ReadAllTextAsync(file.FullName, cancellationToken),
                startDate, endDate, text);
            await using var dataSource = CliDatabase.Open();
            try
            {
                var saved = await new InterventionStore(dataSource).SaveAsync(draft, !parseResult.GetValue(update), "cli (admin)", CallerScope.Unrestricted, cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stored {saved.Code} version {saved.Version} ({saved.TargetKm2:F3} km²)"));
                return 0;
            }
            catch (InterventionRejectedException e)
            {
                return Fail($"{e.Field}: {e.Message}");
            }
        }));
        command.Subcommands.Add(add);

        var analyseCode = new Argument<string>("code") { Description = "The intervention's code" };
        var bufferM = new Option<int>("--buffer-m") { Description = "Buffer ring width in metres", DefaultValueFactory = _ => 250 };
        var mainports = new Option<bool>("--mainports") { Description = "Buffer = the other mainports (displacement between ports)" };
        var control = new Option<string[]>("--control") { Description = "Control area code(s); default: the best suggestion", AllowMultipleArgumentsPerToken = true };
        var window = new Option<int>("--window-days") { Description = "Length of the before and after windows", DefaultValueFactory = _ => 182 };
        var washout = new Option<int>("--washout-days") { Description = "Days after the start left out", DefaultValueFactory = _ => 0 };
        var asOf = new Option<string?>("--as-of") { Description = "Data cut-off yyyy-MM-dd (default: today)" };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also write the monthly series as CSV to this file" };
        var timing = new Option<bool>("--timing") { Description = "Print the analysis time (analysis_ms=…), for the benchmark" };
        var analyse = new Command("analyse", "Before/after with buffer and control, WDQ, net effect, interrupted time series and verdict")
            { analyseCode, bufferM, mainports, control, window, washout, asOf, csv, timing };
        analyse.SetAction((parseResult, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var store = new InterventionStore(dataSource);
            var intervention = await store.GetAsync(parseResult.GetValue(analyseCode)!, null, CallerScope.Unrestricted, cancellationToken);
            if (intervention is null) return Fail("no intervention with that code");
            DateOnly? cutOff = null;
            if (parseResult.GetValue(asOf) is { } asOfText)
            {
                if (!DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return Fail("--as-of must be a date as yyyy-MM-dd");
                cutOff = parsed;
            }
            var options = new EffectOptions(parseResult.GetValue(bufferM), parseResult.GetValue(mainports), parseResult.GetValue(control) ?? [],
                parseResult.GetValue(window), parseResult.GetValue(washout), null, cutOff);
            await Console.Error.WriteLineAsync("counting signals in target, buffer and control ...");
            EffectAnalysisReport report;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try { report = await new EffectReport(store).AnalyseAsync(intervention, options, cancellationToken); }
            catch (EffectAnalysisException e) { return Fail(e.Message); }
            if (parseResult.GetValue(timing))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"analysis_ms={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1}"));
            var r = report.Result;
            var w = report.Windows;
            Console.WriteLine($"{intervention.Name} ({intervention.Code}), start {intervention.StartDate:yyyy-MM-dd}");
            Console.WriteLine($"voor / before   {w.BeforeFrom:yyyy-MM-dd} – {w.BeforeTo.AddDays(-1):yyyy-MM-dd}; na / after {w.AfterFrom:yyyy-MM-dd} – {w.AfterTo.AddDays(-1):yyyy-MM-dd} ({w.Days} d)");
            Console.WriteLine($"controle        {string.Join(", ", report.ControlCodes)}{(report.ControlSuggested ? " (voorgesteld / suggested)" : "")}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"doel / target    {r.Counts.TargetBefore,6} → {r.Counts.TargetAfter,6}   vs control ×{r.TargetVsControl.Estimate:F2} [{r.TargetVsControl.Lower:F2}, {r.TargetVsControl.Upper:F2}]"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"buffer           {r.Counts.BufferBefore,6} → {r.Counts.BufferAfter,6}   vs control ×{r.BufferVsControl.Estimate:F2} [{r.BufferVsControl.Lower:F2}, {r.BufferVsControl.Upper:F2}]"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"controle         {r.Counts.ControlBefore,6} → {r.Counts.ControlAfter,6}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"WDQ {r.Wdq:F3}{(r.WdqInterval is { } wi ? $" [{wi.Lower:F3}, {wi.Upper:F3}]" : "")}; netto-effect / total net effect {r.TotalNetEffect:F1} signalen"));
            Console.WriteLine($"oordeel: {report.VerdictNl}");
            Console.WriteLine($"verdict: {report.VerdictEn}");
            if (parseResult.GetValue(csv) is { } csvFile)
            {
                await File.WriteAllTextAsync(csvFile.FullName, EffectReport.SeriesCsv(report), cancellationToken);
                Console.WriteLine($"reeks / series: {csvFile.FullName}");
            }
            return 0;
        }));
        command.Subcommands.Add(analyse);

        var allCasustafel = new Option<string>("--casustafel") { Description = "Analyse every current intervention of this casustafel", Required = true };
        var analyseAll = new Command("analyse-all", "Analyses every intervention of a casustafel and prints one verdict per line and the total time")
            { allCasustafel, bufferM, control, window, washout, asOf };
        analyseAll.SetAction((parseResult, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var store = new InterventionStore(dataSource);
            DateOnly? cutOff = null;
            if (parseResult.GetValue(asOf) is { } asOfText)
            {
                if (!DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return Fail("--as-of must be a date as yyyy-MM-dd");
                cutOff = parsed;
            }
            var options = new EffectOptions(parseResult.GetValue(bufferM), false, parseResult.GetValue(control) ?? [],
                parseResult.GetValue(window), parseResult.GetValue(washout), null, cutOff);
            var report = new EffectReport(store);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            int analysed = 0, failed = 0;
            foreach (var intervention in await store.ListAsync(CallerScope.Unrestricted, parseResult.GetValue(allCasustafel), cancellationToken))
            {
                try
                {
                    var result = await report.AnalyseAsync(intervention, options, cancellationToken);
                    Console.WriteLine($"{intervention.Code,-32} {result.Result.Verdict}");
                    analysed++;
                }
                catch (EffectAnalysisException e)
                {
                    Console.WriteLine($"{intervention.Code,-32} not analysed: {e.Code}");
                    failed++;
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"analysed={analysed} failed={failed} total_ms={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1}"));
            return failed == 0 ? 0 : 3;
        }));
        command.Subcommands.Add(analyseAll);
        return command;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"fout / error: {message}");
        return 2;
    }
}
