using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace GeoRisk.Api.Infrastructure;

/// <summary>
/// The one place where unexpected exceptions become responses. Database states that have a
/// meaning for the caller map to 4xx/503; everything else is a 500 without details. Messages
/// never carry the exception text: it may contain SQL values or the connection string.
/// </summary>
internal sealed partial class GeoRiskExceptionHandler(IProblemDetailsService problemDetails, ILogger<GeoRiskExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.RequestAborted.IsCancellationRequested) return true; // the client left; nobody reads a response

        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", "The request could not be read: check the parameters and the body."),
            PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } =>
                (StatusCodes.Status503ServiceUnavailable, "Query took too long", "The database did not answer in time; try a smaller area or period."),
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } =>
                (StatusCodes.Status409Conflict, "Conflict", "The item already exists."),
            PostgresException { SqlState: PostgresErrorCodes.CheckViolation or PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.InvalidParameterValue } =>
                (StatusCodes.Status400BadRequest, "Invalid value", "A value is outside what GeoRisk accepts."),
            NpgsqlException or TimeoutException =>
                (StatusCodes.Status503ServiceUnavailable, "Database unavailable", "GeoRisk cannot reach its database; try again shortly."),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "Something went wrong on our side; the trace id identifies it in the log."),
        };
        if (status >= 500) LogFailure(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, (exception as PostgresException)?.SqlState,
            // PostgreSQL messages can quote the offending value: log only its state, not its text.
            exception is NpgsqlException ? null : exception);

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed: {ExceptionType} (SQLSTATE {SqlState})")]
    private static partial void LogFailure(ILogger logger, string method, PathString path, string exceptionType, string? sqlState, Exception? exception);
}
