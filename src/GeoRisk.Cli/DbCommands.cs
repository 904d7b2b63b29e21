using System.CommandLine;
using GeoRisk.Data.Migrations;

namespace GeoRisk.Cli;

internal static class DbCommands
{
    public static Command Create()
    {
        var db = new Command("db", "Database: migrations and status");

        var migrate = new Command("migrate", "Apply the migrations in sql/ that this database does not have yet, then new or changed sql/functions/ files");
        migrate.SetAction((_, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var result = await new MigrationRunner(dataSource).MigrateAsync(
                m => Console.WriteLine($"  applying {m.Name}"),
                r => Console.WriteLine($"  applying functions/{r.Name}"), cancellationToken);
            Console.WriteLine(result.Applied.Count == 0
                ? $"database is up to date (migration {result.ToVersion})"
                : $"migrated from {result.FromVersion} to {result.ToVersion} ({result.Applied.Count} applied)");
            if (result.Reapplied.Count > 0)
                Console.WriteLine($"{result.Reapplied.Count} file(s) of sql/functions/ applied");
            // Scans stored before their comparisons were: the OGC collection reads the stored ones.
            var compared = await new GeoRisk.Data.Scans.ScanStore(dataSource).StoreComparisonsAsync(null, null, cancellationToken);
            if (compared > 0)
                Console.WriteLine($"{compared} scan comparison(s) with a nulmeting stored");
            return 0;
        }));
        db.Subcommands.Add(migrate);

        var status = new Command("status", "Show the database's migration level against this GeoRisk's, and sql/functions/ files not yet applied");
        status.SetAction((_, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            await using var dataSource = CliDatabase.Open();
            var runner = new MigrationRunner(dataSource);
            var current = await runner.CurrentVersionAsync(cancellationToken);
            Console.WriteLine($"database: {current?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not migrated"}, GeoRisk: {MigrationRunner.LatestVersion}");
            var pending = await runner.PendingRepeatablesAsync(cancellationToken);
            foreach (var file in pending) Console.WriteLine($"  functions/{file.Name}: not applied in this version");
            return current == MigrationRunner.LatestVersion && pending.Count == 0 ? 0 : 2;
        }));
        db.Subcommands.Add(status);
        return db;
    }
}
