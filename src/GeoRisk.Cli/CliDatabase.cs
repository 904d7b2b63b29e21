using GeoRisk.Data;
using Npgsql;

namespace GeoRisk.Cli;

/// <summary>The CLI talks to the database named by GEORISK_DB, else to the project-local development cluster.</summary>
internal static class CliDatabase
{
    public static NpgsqlDataSource Open()
    {
        var builder = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("GEORISK_DB") is { Length: > 0 } configured
            ? configured
            : GeoRiskDatabase.DevelopmentConnectionString);
        // A batch command may wait for a busy server: the API's 5 s connect timeout (meant for
        // health checks) made imports and key commands fail on a loaded machine.
        if (builder.Timeout == 15) builder.Timeout = 60;
        return GeoRiskDatabase.CreateDataSource(builder.ConnectionString);
    }

    /// <summary>Runs a command body and turns expected failures into a message and exit code 1, without stack traces.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception ex) when (ex is NpgsqlException or GeoRisk.Data.Migrations.MigrationException or InvalidOperationException)
        {
            // Npgsql messages can quote values; print the state, not the text, for database errors.
            var message = ex is PostgresException pg ? $"database error {pg.SqlState} ({pg.ConstraintName ?? pg.TableName ?? "no detail"})"
                : ex is NpgsqlException { InnerException: TimeoutException } ? "the database did not answer in time (command timeout)"
                : ex is NpgsqlException ? $"cannot reach the database ({ex.GetType().Name}); is it running? scripts/run.sh starts it"
                : ex.Message;
            await Console.Error.WriteLineAsync($"fout / error: {message}");
            return 1;
        }
    }
}
