using System.CommandLine;

namespace GeoRisk.Cli;

// A named entry point: the test project references both the API and the CLI, and two
// top-level-statement Program classes would collide there.
internal static class CliProgram
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("GeoRisk: signalen van ondermijning per gebied / organised-crime signals by area");
        root.Subcommands.Add(DbCommands.Create());
        root.Subcommands.Add(SeedDemoCommand.Create());
        root.Subcommands.Add(TileCommands.Create());
        root.Subcommands.Add(ScoreCommands.Create());
        root.Subcommands.Add(ScoreCommands.CreateHexbins());
        root.Subcommands.Add(ImportCommands.Create());
        root.Subcommands.Add(BenchCommands.Create());
        root.Subcommands.Add(KeyCommands.Create());
        root.Subcommands.Add(OgcCommands.Create());
        root.Subcommands.Add(ScanCommands.Create());
        root.Subcommands.Add(InterventionCommands.Create());
        root.Subcommands.Add(RtmCommands.Create());
        return await root.Parse(args).InvokeAsync();
    }
}
