using System.CommandLine;
using System.Globalization;
using GeoRisk.Core.Scoring;
using GeoRisk.Data.Hexbins;
using GeoRisk.Data.Scoring;
using Npgsql;

namespace GeoRisk.Cli;

/// <summary><c>georisk score run|verify</c> and <c>georisk hexbins rebuild</c> (docs/scoring.md).</summary>
internal static class ScoreCommands
{
    public static Command Create()
    {
        var score = new Command("score", "Risk scores of handhavingsknelpunten: compute, store, verify");
        var profile = new Option<string>("--profile") { Description = "Scoring profile name", DefaultValueFactory = _ => ScoringProfile.DefaultName };
        var version = new Option<int?>("--version") { Description = "Profile version (default: the highest)" };
        var date = new Option<string?>("--date") { Description = "Reference date yyyy-MM-dd (default: today, Europe/Amsterdam)" };
        var kind = new Option<string?>("--kind") { Description = "Only areas of this kind (default: all kinds)" };

        var run = new Command("run", "Compute and store the scores of all areas (or one kind) for a reference date") { profile, version, date, kind };
        run.SetAction((parseResult, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var (name, v, d, k) = await ResolveAsync(dataSource, parseResult.GetValue(profile)!, parseResult.GetValue(version), parseResult.GetValue(date), parseResult.GetValue(kind), cancellationToken);
            var result = await new ScoreStore(dataSource).RunAsync(name, v, d, k, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scored {result.Areas} areas ({k ?? "all kinds"}) with {name} v{v} on {d:yyyy-MM-dd}: {result.Kandidaten} kandidaat-handhavingsknelpunt ({result.ElapsedMs:F0} ms)"));
            return 0;
        }));
        score.Subcommands.Add(run);

        var verify = new Command("verify", "Recompute a stored score run and compare it with what is stored (exit 3 when they differ)") { profile, version, date, kind };
        verify.SetAction((parseResult, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var (name, v, d, k) = await ResolveAsync(dataSource, parseResult.GetValue(profile)!, parseResult.GetValue(version), parseResult.GetValue(date), parseResult.GetValue(kind), cancellationToken);
            var result = await new ScoreStore(dataSource).VerifyAsync(name, v, d, k, cancellationToken);
            Console.WriteLine($"{result.Identical} of {result.Compared} areas identical, {result.Missing} without a stored score"
                + (result.Differing.Count > 0 ? $"; differing: {string.Join(", ", result.Differing.Take(20))}" : ""));
            return result.Identical == result.Compared ? 0 : 3;
        }));
        score.Subcommands.Add(verify);
        return score;
    }

    public static Command CreateHexbins()
    {
        var hexbins = new Command("hexbins", "Hexagon grids of signal counts (hex_cell, hex_count)");
        var rebuild = new Command("rebuild", "Recompute every cell of every size from all signals");
        rebuild.SetAction((_, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await new HexbinStore(dataSource).RebuildAsync(cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hexbins rebuilt ({System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s)"));
            return 0;
        }));
        hexbins.Subcommands.Add(rebuild);
        return hexbins;
    }

    /// <summary>
    /// After seed-demo: hexbins for the tiles and stored runs on the demo's last day: the default
    /// profile's highest version, and version 1 too so that the old percentile scores stay comparable.
    /// </summary>
    public static async Task AfterDemoSeedAsync(NpgsqlDataSource dataSource, DateOnly referenceDate, CancellationToken cancellationToken)
    {
        await new HexbinStore(dataSource).RebuildAsync(cancellationToken);
        var store = new ScoreStore(dataSource);
        var version = await store.ResolveProfileAsync(ScoringProfile.DefaultName, null, cancellationToken)
            ?? throw new InvalidOperationException($"scoring profile {ScoringProfile.DefaultName} is missing: run georisk db migrate");
        if (version > 1) await store.RunAsync(ScoringProfile.DefaultName, 1, referenceDate, null, cancellationToken);
        var result = await store.RunAsync(ScoringProfile.DefaultName, version, referenceDate, null, cancellationToken);
        Console.WriteLine($"  hexbins rebuilt; {result.Areas} areas scored on {referenceDate:yyyy-MM-dd} with {ScoringProfile.DefaultName} v{version} ({result.Kandidaten} kandidaten)");
    }

    private static async Task<(string Profile, int Version, DateOnly Date, string? Kind)> ResolveAsync(
        NpgsqlDataSource dataSource, string profile, int? version, string? date, string? kind, CancellationToken cancellationToken)
    {
        var store = new ScoreStore(dataSource);
        var resolved = await store.ResolveProfileAsync(profile, version, cancellationToken)
            ?? throw new InvalidOperationException($"unknown scoring profile '{profile}'{(version is int v ? $" version {v}" : "")}");
        DateOnly day;
        if (date is null)
            day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Europe/Amsterdam"));
        else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            throw new InvalidOperationException("--date must be a date as yyyy-MM-dd");
        if (kind is not null && !await store.KindExistsAsync(kind, cancellationToken))
            throw new InvalidOperationException($"unknown area kind '{kind}'");
        return (profile, resolved, day, kind);
    }
}
