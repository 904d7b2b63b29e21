using System.CommandLine;
using System.Diagnostics;
using GeoRisk.Data.Demo;

namespace GeoRisk.Cli;

internal static class SeedDemoCommand
{
    public static Command Create()
    {
        var keysFile = new Option<FileInfo?>("--keys-file")
        {
            Description = "Write the demo API keys to this file (development only)",
        };
        var command = new Command("seed-demo", "Seed the Amsterdam-Amstelland demo data (idempotent: a second run adds nothing)") { keysFile };
        command.SetAction((parseResult, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var stopwatch = Stopwatch.StartNew();
            var result = await DemoSeeder.SeedAsync(dataSource, new Progress<string>(step => Console.WriteLine($"  seeding {step}")), cancellationToken);
            Console.WriteLine(result.NothingNew
                ? "demo data already present: nothing added"
                : $"demo data: {result.Areas} areas, {result.Signals} signals, {result.Cameras} cameras, {result.Incidents} incidents, {result.Casustafels} casustafels ({stopwatch.Elapsed.TotalSeconds:F1} s)");
            // Demo API keys are written here once access control exists (issue 6).
            _ = parseResult.GetValue(keysFile);
            return 0;
        }));
        return command;
    }
}
