using System.CommandLine;
using System.Globalization;
using GeoRisk.Core.Access;
using GeoRisk.Core.Scans;
using GeoRisk.Core.Scoring;
using GeoRisk.Data.Demo;
using GeoRisk.Data.Scans;
using GeoRisk.Data.Scoring;
using GeoRisk.Reports.Scans;
using Npgsql;

namespace GeoRisk.Cli;

/// <summary><c>georisk scan run|list|verify|baseline|compare|export|report</c> (docs/wijkscan.md). Progress goes to stderr.</summary>
internal static class ScanCommands
{
    public static Command Create()
    {
        var scan = new Command("scan", "Wijkscans: scan every wijk/buurt of an area, keep a nulmeting, compare, export");
        scan.Subcommands.Add(Run());
        scan.Subcommands.Add(List());
        scan.Subcommands.Add(Verify());
        scan.Subcommands.Add(Baseline());
        scan.Subcommands.Add(Compare());
        scan.Subcommands.Add(Export());
        scan.Subcommands.Add(Report());
        scan.Subcommands.Add(Bench());
        return scan;
    }

    private static Command Run()
    {
        var name = new Option<string>("--name") { Description = "Name of the stored scan (letters, digits, - and _)", Required = true };
        var parent = new Option<string>("--parent") { Description = "Code of the parent area, e.g. GM0362", Required = true };
        var level = new Option<string>("--level") { Description = "wijk or buurt", DefaultValueFactory = _ => "buurt" };
        var windowTo = new Option<string?>("--window-to") { Description = "Last day of the window yyyy-MM-dd (default: today)" };
        var windowDays = new Option<int?>("--window-days") { Description = "Window length in days (default: the profile's window_days)" };
        var cutoff = new Option<string?>("--cutoff") { Description = "Data cut-off (ISO 8601; default: now): signals imported later do not count" };
        var profile = new Option<string>("--profile") { Description = "Scoring profile", DefaultValueFactory = _ => ScoringProfile.DefaultName };
        var version = new Option<int?>("--version") { Description = "Profile version (default: the highest)" };
        var baseline = new Option<bool>("--baseline") { Description = "Mark the new scan as the nulmeting" };
        var model = new Option<string>("--model") { Description = "rr-poisson-1 (counts, Byar interval; default), rr-poisson-gamma-2 (Poisson–Gamma posterior on counts) or rr-score-3 (the area score v2: weights, reliability, decay, corroboration)", DefaultValueFactory = _ => ScanModel.Counts };
        model.AcceptOnlyFromAmong([.. ScanModel.All]);
        var run = new Command("run", "Run and store a scan") { name, parent, level, windowTo, windowDays, cutoff, profile, version, baseline, model };
        run.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            if (!ScanNames.IsValid(p.GetValue(name))) throw new InvalidOperationException("--name: letters, digits, '-' and '_' only (1-100)");
            if (!ScanNames.Levels.Contains(p.GetValue(level)!)) throw new InvalidOperationException($"--level must be one of {string.Join(", ", ScanNames.Levels)}");
            var to = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Europe/Amsterdam"));
            if (p.GetValue(windowTo) is { } t && !DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out to))
                throw new InvalidOperationException("--window-to must be a date as yyyy-MM-dd");
            DateTimeOffset? frozen = null;
            if (p.GetValue(cutoff) is { } c)
            {
                if (!DateTimeOffset.TryParse(c, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    throw new InvalidOperationException("--cutoff must be an ISO 8601 date or time");
                frozen = parsed;
            }
            await using var dataSource = CliDatabase.Open();
            var v = await new ScoreStore(dataSource).ResolveProfileAsync(p.GetValue(profile)!, p.GetValue(version), ct)
                ?? throw new InvalidOperationException("unknown scoring profile");
            Progress($"scanning {p.GetValue(level)}en of {p.GetValue(parent)} up to {to:yyyy-MM-dd} with {p.GetValue(profile)} v{v} ...");
            var store = new ScanStore(dataSource);
            var outcome = await store.RunAsync(new ScanRequest(p.GetValue(name)!, p.GetValue(parent)!, p.GetValue(level)!, to,
                p.GetValue(windowDays), frozen, p.GetValue(profile)!, v, Model: p.GetValue(model)!), ct);
            switch (outcome.Status)
            {
                case ScanRunStatus.NameTaken: throw new InvalidOperationException($"a scan named '{p.GetValue(name)}' exists; stored scans are never overwritten");
                case ScanRunStatus.ParentNotFound: throw new InvalidOperationException($"no area '{p.GetValue(parent)}' valid on {to:yyyy-MM-dd}");
                case ScanRunStatus.NoSubAreas: throw new InvalidOperationException($"'{p.GetValue(parent)}' contains no areas of kind '{p.GetValue(level)}'");
                case ScanRunStatus.ProfileNotRelativeRisk: throw new InvalidOperationException($"--model {ScanModel.ScoreV2} needs a relative-risk profile; {p.GetValue(profile)} v{v} is not one");
            }
            var h = outcome.Scan!;
            Progress(string.Create(CultureInfo.InvariantCulture, $"stored {h.SubAreas} sub-areas ({outcome.ElapsedMs:F0} ms)"));
            if (p.GetValue(baseline))
            {
                await store.SetBaselineAsync(h.Name, ct);
                Progress("marked as nulmeting");
            }
            Console.WriteLine($"{h.Name}: {h.ParentCode} {h.Level} {h.WindowFrom:yyyy-MM-dd}..{h.WindowTo:yyyy-MM-dd}, cut-off {h.Cutoff.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}, {h.SubAreas} sub-areas, {h.Kandidaten} kandidaten");
            return 0;
        }));
        return run;
    }

    private static Command List()
    {
        var list = new Command("list", "Stored scans");
        list.SetAction((_, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            foreach (var h in await new ScanStore(dataSource).ListAsync(null, ct))
                Console.WriteLine($"{h.Name}\t{h.ParentCode}\t{h.Level}\t{h.WindowFrom:yyyy-MM-dd}..{h.WindowTo:yyyy-MM-dd}\t{h.SubAreas} sub-areas\t{h.Kandidaten} kandidaten{(h.IsBaseline ? "\tnulmeting" : "")}");
            return 0;
        }));
        return list;
    }

    private static Command Verify()
    {
        var name = new Argument<string>("name") { Description = "Scan name" };
        var verify = new Command("verify", "Recompute a stored scan from its frozen inputs (exit 3 when it differs)") { name };
        verify.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var store = new ScanStore(dataSource);
            var h = await store.HeaderAsync(p.GetValue(name)!, null, ct) ?? throw new InvalidOperationException("no scan with that name");
            Progress($"recomputing {h.SubAreas} sub-areas of {h.Name} ...");
            var r = await store.VerifyAsync(h, ct);
            Console.WriteLine($"{r.Identical} of {r.Compared} sub-areas identical" + (r.Differing.Count > 0 ? $"; differing: {string.Join(", ", r.Differing.Take(20))}" : ""));
            return r.Identical == r.Compared ? 0 : 3;
        }));
        return verify;
    }

    private static Command Baseline()
    {
        var name = new Argument<string>("name") { Description = "Scan name" };
        var baseline = new Command("baseline", "Mark a scan as the nulmeting of its parent and level") { name };
        baseline.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            if (!await new ScanStore(dataSource).SetBaselineAsync(p.GetValue(name)!, ct)) throw new InvalidOperationException("no scan with that name");
            Console.WriteLine($"{p.GetValue(name)} is the nulmeting");
            return 0;
        }));
        return baseline;
    }

    private static Command Compare()
    {
        var name = new Argument<string>("name") { Description = "The later scan" };
        var baselineOption = new Option<string?>("--baseline") { Description = "Baseline scan (default: the nulmeting of the same parent and level)" };
        var csv = new Option<string?>("--csv") { Description = "Write the comparison as CSV to this file" };
        var compare = new Command("compare", "Compare a scan with the nulmeting sub-area by sub-area (rate-ratio test, Benjamini-Hochberg)") { name, baselineOption, csv };
        compare.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var store = new ScanStore(dataSource);
            var later = await store.GetAsync(p.GetValue(name)!, null, ct) ?? throw new InvalidOperationException("no scan with that name");
            var baselineName = p.GetValue(baselineOption) ?? await store.BaselineOfAsync(later.Header, ct)
                ?? throw new InvalidOperationException($"no nulmeting marked for {later.Header.ParentCode} ({later.Header.Level}); pass --baseline");
            var baseline = await store.GetAsync(baselineName, null, ct) ?? throw new InvalidOperationException("no baseline scan with that name");
            if (baseline.Header.ParentCode != later.Header.ParentCode || baseline.Header.Level != later.Header.Level)
                throw new InvalidOperationException("the two scans have a different parent or level");
            Progress($"comparing {later.Header.Name} with {baseline.Header.Name} ...");
            var changes = await store.CompareAsync(baseline, later, ct);
            foreach (var g in changes.GroupBy(c => c.Class).OrderBy(g => g.Key, StringComparer.Ordinal))
                Console.WriteLine($"{g.Key}: {g.Count()}");
            foreach (var c in changes.Where(c => c.Class is ChangeClass.SignificantUp or ChangeClass.SignificantDown || c.Match is not BoundaryMatch.Same))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {string.Join('+', c.BaselineCodes)} -> {string.Join('+', c.LaterCodes)} {c.Name}: {c.Class} ({c.Match}) ratio {c.RrRatio:F2} p_adj {c.PAdjusted:G3}"));
            if (p.GetValue(csv) is { } file)
            {
                await using var writer = new StreamWriter(file);
                await ScanCsv.WriteComparisonAsync(writer, changes, ct);
                Progress($"wrote {file}");
            }
            return 0;
        }));
        return compare;
    }

    private static Command Export()
    {
        var name = new Argument<string>("name") { Description = "Scan name" };
        var csv = new Option<string>("--csv") { Description = "Write the scan as CSV to this file", Required = true };
        var export = new Command("export", "Write a stored scan as CSV") { name, csv };
        export.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var scan = await new ScanStore(dataSource).GetAsync(p.GetValue(name)!, null, ct) ?? throw new InvalidOperationException("no scan with that name");
            await using var writer = new StreamWriter(p.GetValue(csv)!);
            await ScanCsv.WriteScanAsync(writer, ScanViews.Create(scan, CallerScope.Unrestricted), ct);
            Progress($"wrote {scan.Rows.Count} sub-areas to {p.GetValue(csv)}");
            return 0;
        }));
        return export;
    }

    private static Command Report()
    {
        var name = new Argument<string>("name") { Description = "Scan name" };
        var pdf = new Option<string>("--pdf") { Description = "Write the PDF report to this file", Required = true };
        var lang = new Option<string>("--lang") { Description = "nl (default) or en", DefaultValueFactory = _ => "nl" };
        var report = new Command("report", "Write the multi-page PDF report of a stored scan") { name, pdf, lang };
        report.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            if (p.GetValue(lang) is not ("nl" or "en")) throw new InvalidOperationException("--lang must be nl or en");
            await using var dataSource = CliDatabase.Open();
            var scan = await new ScanStore(dataSource).GetAsync(p.GetValue(name)!, null, ct) ?? throw new InvalidOperationException("no scan with that name");
            Progress($"drawing the report of {scan.Header.Name} ({scan.Rows.Count} sub-areas, {scan.Rows.Count(r => r.Kandidaat)} kandidaten) ...");
            var bytes = await new ScanReportRenderer(dataSource).RenderAsync(ScanViews.Create(scan, CallerScope.Unrestricted), p.GetValue(lang)!, ct);
            await File.WriteAllBytesAsync(p.GetValue(pdf)!, bytes, ct);
            Progress($"wrote {p.GetValue(pdf)} ({bytes.Length} bytes)");
            return 0;
        }));
        return report;
    }

    /// <summary>
    /// For scripts/bench-wijkscan.sh: times the comparison and the PDF report in-process (warm),
    /// each next to reading the same scans' rows, alternating, best of N. Prints one line:
    /// compare_ms compare_raw_ms units pdf_ms pdf_raw_ms pdf_bytes pdf_rows.
    /// </summary>
    private static Command Bench()
    {
        var baseline = new Option<string>("--baseline") { Required = true };
        var later = new Option<string>("--later") { Required = true };
        var report = new Option<string>("--report") { Required = true };
        var runs = new Option<int>("--runs") { DefaultValueFactory = _ => 3 };
        var bench = new Command("bench", "Time comparison and report against reading the scans (scripts/bench-wijkscan.sh)") { baseline, later, report, runs };
        bench.Hidden = true;
        bench.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var store = new ScanStore(dataSource);
            var renderer = new ScanReportRenderer(dataSource);
            double cmp = double.MaxValue, cmpRaw = double.MaxValue, pdf = double.MaxValue, pdfRaw = double.MaxValue;
            int units = 0, bytes = 0, rows = 0;
            for (var i = 0; i < p.GetValue(runs) + 1; i++) // the first round warms up and is not counted
            {
                var t = System.Diagnostics.Stopwatch.GetTimestamp();
                var a0 = await store.GetAsync(p.GetValue(baseline)!, null, ct);
                var b0 = await store.GetAsync(p.GetValue(later)!, null, ct);
                var raw = System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                t = System.Diagnostics.Stopwatch.GetTimestamp();
                var a = await store.GetAsync(p.GetValue(baseline)!, null, ct) ?? throw new InvalidOperationException("no baseline scan");
                var b = await store.GetAsync(p.GetValue(later)!, null, ct) ?? throw new InvalidOperationException("no later scan");
                units = (await store.CompareAsync(a, b, ct)).Count;
                var feature = System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                t = System.Diagnostics.Stopwatch.GetTimestamp();
                var r0 = await store.GetAsync(p.GetValue(report)!, null, ct);
                var pdfRawMs = System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                t = System.Diagnostics.Stopwatch.GetTimestamp();
                var s = await store.GetAsync(p.GetValue(report)!, null, ct) ?? throw new InvalidOperationException("no report scan");
                bytes = (await renderer.RenderAsync(ScanViews.Create(s, CallerScope.Unrestricted), "nl", ct)).Length;
                var pdfMs = System.Diagnostics.Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                rows = s.Rows.Count;
                if (a0 is null || b0 is null || r0 is null || bytes < 1000) throw new InvalidOperationException("bench answer missing or empty");
                if (i == 0) continue;
                cmp = Math.Min(cmp, feature); cmpRaw = Math.Min(cmpRaw, raw); pdf = Math.Min(pdf, pdfMs); pdfRaw = Math.Min(pdfRaw, pdfRawMs);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cmp:F1} {cmpRaw:F1} {units} {pdf:F1} {pdfRaw:F1} {bytes} {rows}"));
            return 0;
        }));
        return bench;
    }

    /// <summary>
    /// After seed-demo: two stored scans of Amstelveen's buurten one year apart, the first marked
    /// as nulmeting. Existing scans of those names are kept (the seed is idempotent).
    /// </summary>
    public static async Task AfterDemoSeedAsync(NpgsqlDataSource dataSource, DateOnly lastDay, CancellationToken cancellationToken)
    {
        var store = new ScanStore(dataSource);
        var version = await new ScoreStore(dataSource).ResolveProfileAsync(ScoringProfile.DefaultName, null, cancellationToken)
            ?? throw new InvalidOperationException($"scoring profile {ScoringProfile.DefaultName} is missing: run georisk db migrate");
        // The model scan (area score v2, rr-score-3; a few seconds on the demo) comes before the count
        // scan of the same window, so the web view still opens on the count scan (newest first).
        var scans = new[]
        {
            ($"nulmeting-{lastDay.Year - 1}", lastDay.AddYears(-1), ScanModel.Counts),
            ($"gebiedsscore-{lastDay.Year}", lastDay, ScanModel.ScoreV2),
            ($"wijkscan-{lastDay.Year}", lastDay, ScanModel.Counts),
        };
        foreach (var (name, windowTo, model) in scans)
        {
            var outcome = await store.RunAsync(new ScanRequest(name, DemoAreas.Municipality, "buurt", windowTo, null, null, ScoringProfile.DefaultName, version,
                Model: model), cancellationToken);
            if (outcome.Status is not (ScanRunStatus.Stored or ScanRunStatus.NameTaken))
                throw new InvalidOperationException($"demo scan {name}: {outcome.Status}");
        }
        if (await store.BaselineOfAsync((await store.HeaderAsync(scans[0].Item1, null, cancellationToken))!, cancellationToken) is null)
            await store.SetBaselineAsync(scans[0].Item1, cancellationToken);
        Console.WriteLine($"  wijkscans of Amstelveen: {scans[0].Item1} (nulmeting), {scans[1].Item1} ({ScanModel.ScoreV2}), {scans[2].Item1}");
    }

    private static void Progress(string message) => Console.Error.WriteLine(message);
}
