using GeoRisk.Api.Infrastructure;
using GeoRisk.Data;
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

    /// <param name="Replica">Where tiles are read from and how the read replica is doing (docs/scaling.md); a lagging or lost replica is not an outage: reads fall back to the primary.</param>
    public sealed record Health(string Status, string Postgis, int? Migration, int ExpectedMigration, ReplicaState Replica);

    internal static async Task<Results<Ok<Health>, ProblemHttpResult>> GetHealth(NpgsqlDataSource dataSource, ReadRouting reads, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            var state = await new DatabaseHealth(dataSource).ReadAsync(timeout.Token);
            if (state.Migration != state.ExpectedMigration)
                return Problems.Unavailable("Database not migrated",
                    $"The database is at migration {state.Migration?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, GeoRisk expects {state.ExpectedMigration}: run `georisk db migrate`.");
            // Queries call the functions of sql/functions/: an older definition answers wrongly, not loudly.
            return state.PendingFunctionFiles.Count == 0
                ? TypedResults.Ok(new Health("ok", state.Postgis, state.Migration, state.ExpectedMigration, reads.State))
                : Problems.Unavailable("Database not migrated",
                    $"The database lacks the current version of {state.PendingFunctionFiles.Count} file(s) of sql/functions/ (first: {state.PendingFunctionFiles[0]}): run `georisk db migrate`.");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Pooled connections to a restarted server are dead; drop them so the next check starts fresh.
            dataSource.Clear();
            return Problems.Unavailable("Database unavailable", "GeoRisk cannot reach its PostGIS database.");
        }
    }
}
