using GeoRisk.Api.Infrastructure;
using GeoRisk.Data.Migrations;
using Npgsql;

namespace GeoRisk.Api.Endpoints;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth).WithTags("Health").WithSummary("Database reachable, PostGIS version, migration level")
            .AllowAnonymous(); // monitoring probes carry no key
        return app;
    }

    public sealed record Health(string Status, string Postgis, int? Migration, int ExpectedMigration);

    internal static async Task<Results<Ok<Health>, ProblemHttpResult>> GetHealth(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
            await using var command = new NpgsqlCommand("SELECT postgis_lib_version()", connection);
            var postgis = (string)(await command.ExecuteScalarAsync(timeout.Token))!;
            var migration = await MigrationRunner.CurrentVersionAsync(connection, timeout.Token);
            var expected = MigrationRunner.LatestVersion;
            if (migration != expected)
                return Problems.Unavailable("Database not migrated",
                    $"The database is at migration {migration?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, GeoRisk expects {expected}: run `georisk db migrate`.");
            // Queries call the functions of sql/functions/: an older definition answers wrongly, not loudly.
            var pending = await MigrationRunner.PendingRepeatablesAsync(connection, timeout.Token);
            return pending.Count == 0
                ? TypedResults.Ok(new Health("ok", postgis, migration, expected))
                : Problems.Unavailable("Database not migrated",
                    $"The database lacks the current version of {pending.Count} file(s) of sql/functions/ (first: {pending[0].Name}): run `georisk db migrate`.");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Pooled connections to a restarted server are dead; drop them so the next check starts fresh.
            dataSource.Clear();
            return Problems.Unavailable("Database unavailable", "GeoRisk cannot reach its PostGIS database.");
        }
    }
}
