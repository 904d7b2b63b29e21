using System.CommandLine;
using GeoRisk.Data.Migrations;

namespace GeoRisk.Cli;

internal static class DbCommands
{
    public static Command Create()
    {
        var db = new Command("db", "Database: migrations and status");

        var migrate = new Command("migrate", "Apply the migrations in sql/ that this database does not have yet");
        migrate.SetAction((_, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var result = await new MigrationRunner(dataSource).MigrateAsync(
                m => Console.WriteLine($"  applying {m.Name}"), cancellationToken);
            Console.WriteLine(result.Applied.Count == 0
                ? $"database is up to date (migration {result.ToVersion})"
                : $"migrated from {result.FromVersion} to {result.ToVersion} ({result.Applied.Count} applied)");
            return 0;
        }));
        db.Subcommands.Add(migrate);

        var status = new Command("status", "Show the database's migration level against this GeoRisk's");
        status.SetAction((_, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var current = await new MigrationRunner(dataSource).CurrentVersionAsync(cancellationToken);
            Console.WriteLine($"database: {current?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not migrated"}, GeoRisk: {MigrationRunner.LatestVersion}");
            return current == MigrationRunner.LatestVersion ? 0 : 2;
        }));
        db.Subcommands.Add(status);
        return db;
    }
}
