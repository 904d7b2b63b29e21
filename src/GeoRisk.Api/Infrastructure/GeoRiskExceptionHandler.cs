using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace GeoRisk.Api.Infrastructure;

/// <summary>
/// The one place where unexpected exceptions become responses. A PostgreSQL error is an answer
/// from a reachable database: data and integrity errors (SQLSTATE classes 22 and 23) are the
/// caller's input and become 4xx; only a database that cannot be reached, is shutting down, is
/// out of connections or did not answer in time is a 503. Everything else is a 500 without
/// details. Messages never carry the exception text: it may quote SQL values or the
/// connection string.
/// </summary>
internal sealed partial class GeoRiskExceptionHandler(ILogger<GeoRiskExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.RequestAborted.IsCancellationRequested) return true; // the client left; nobody reads a response

        var (status, title, detail) = Classify(exception);
        if (status >= 500) LogFailure(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, (exception as PostgresException)?.SqlState,
            // PostgreSQL messages can quote the offending value: log only its state, not its text.
            exception is NpgsqlException ? null : exception);
        await Problems.WriteAsync(httpContext, status, title, detail, exception);
        return true;
    }

    /// <summary>Status, title and detail for an exception (public for the unit tests of the mapping).</summary>
    public static (int Status, string Title, string Detail) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException bad => (bad.StatusCode, "Bad request", "The request could not be read: check the parameters and the body."),
        PostgresException pg => ClassifyPostgres(pg.SqlState),
        NpgsqlException or TimeoutException => Unreachable,
        _ => (StatusCodes.Status500InternalServerError, "Internal error", "Something went wrong on our side; the trace id identifies it in the log."),
    };

    private static readonly (int, string, string) Unreachable =
        (StatusCodes.Status503ServiceUnavailable, "Database unavailable", "GeoRisk cannot reach its database; try again shortly.");

    private static (int, string, string) ClassifyPostgres(string state) => state switch
    {
        PostgresErrorCodes.QueryCanceled =>
            (StatusCodes.Status503ServiceUnavailable, "Query took too long", "The database did not answer in time; try a smaller area or period."),
        PostgresErrorCodes.UniqueViolation =>
            (StatusCodes.Status409Conflict, "Conflict", "The item already exists."),
        PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable =>
            (StatusCodes.Status503ServiceUnavailable, "Busy", "The data is being changed by another request; try again shortly."),
        // Class 22: a value PostgreSQL cannot store or compute (NUL byte, date out of range, bad geometry text).
        _ when state.StartsWith("22", StringComparison.Ordinal) =>
            (StatusCodes.Status400BadRequest, "Invalid value", "A value is outside what GeoRisk accepts."),
        // Class 23: a value that breaks a rule of the data model (unknown code, check constraint).
        _ when state.StartsWith("23", StringComparison.Ordinal) =>
            (StatusCodes.Status400BadRequest, "Invalid value", "A value is outside what GeoRisk accepts."),
        // Connection exceptions, shutdown, too many connections: the database is not there for us.
        _ when state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
               || state is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow => Unreachable,
        _ => (StatusCodes.Status500InternalServerError, "Internal error", "Something went wrong on our side; the trace id identifies it in the log."),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed: {ExceptionType} (SQLSTATE {SqlState})")]
    private static partial void LogFailure(ILogger logger, string method, PathString path, string exceptionType, string? sqlState, Exception? exception);
}
