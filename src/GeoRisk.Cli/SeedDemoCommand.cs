using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using GeoRisk.Data.Access;
using GeoRisk.Data.Demo;

namespace GeoRisk.Cli;

internal static class SeedDemoCommand
{
    private static readonly JsonSerializerOptions KeysFileJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static Command Create()
    {
        var keysFile = new Option<FileInfo?>("--keys-file")
        {
            Description = "Write the demo API keys to this file (development only)",
        };
        var command = new Command("seed-demo", "Seed the Amsterdam-Amstelland demo data (idempotent: a second run adds nothing) and create demo API keys") { keysFile };
        command.SetAction((parseResult, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            // Demo data and printed keys have no place in production.
            if (IsProduction())
            {
                await Console.Error.WriteLineAsync("fout / error: seed-demo is for development only and refuses to run in the Production environment");
                return 1;
            }
            await using var dataSource = CliDatabase.Open();
            var stopwatch = Stopwatch.StartNew();
            var result = await DemoSeeder.SeedAsync(dataSource, new Progress<string>(step => Console.WriteLine($"  seeding {step}")), cancellationToken);
            Console.WriteLine(result.NothingNew
                ? "demo data already present: nothing added"
                : $"demo data: {result.Areas} areas, {result.Signals} signals, {result.Cameras} cameras, {result.Incidents} incidents, {result.Casustafels} casustafels ({stopwatch.Elapsed.TotalSeconds:F1} s)");
            // Hexbins for the tiles and a stored default score run; idempotent like the seed.
            await ScoreCommands.AfterDemoSeedAsync(dataSource, DateOnly.FromDateTime(DemoSeeder.PeriodEnd.UtcDateTime), cancellationToken);
            await ScanCommands.AfterDemoSeedAsync(dataSource, DateOnly.FromDateTime(DemoSeeder.PeriodEnd.UtcDateTime), cancellationToken);

            // Secrets cannot be recovered from their hashes: each run replaces the demo keys.
            var keys = await DemoKeys.CreateAsync(dataSource, cancellationToken);
            Console.WriteLine("demo API keys (development only; previous demo keys are revoked):");
            foreach (var key in keys)
            {
                Console.WriteLine($"  {key.Name,-30} {key.Key}");
            }
            if (parseResult.GetValue(keysFile) is { } file)
            {
                await WriteKeysFileAsync(file, keys, cancellationToken);
                Console.WriteLine($"demo API keys written to {file.FullName}");
            }
            return 0;
        }));
        return command;
    }

    internal static bool IsProduction() =>
        new[] { "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT" }
            .Any(name => string.Equals(Environment.GetEnvironmentVariable(name), "Production", StringComparison.OrdinalIgnoreCase));

    private static async Task WriteKeysFileAsync(FileInfo file, IReadOnlyList<DemoKey> keys, CancellationToken cancellationToken)
    {
        file.Directory?.Create();
        file.Delete(); // a fresh file gets mode 0600; an existing one would keep its mode
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // 0600: keys are secrets
        }
        await using var stream = new FileStream(file.FullName, options);
        await JsonSerializer.SerializeAsync(stream, keys, KeysFileJson, cancellationToken);
    }
}
