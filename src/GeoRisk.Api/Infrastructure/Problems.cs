namespace GeoRisk.Api.Infrastructure;

/// <summary>
/// RFC 9457 problem details for expected failures: the one factory, used by handlers, the
/// exception handler and the request middleware alike. Texts say what is wrong; they never echo
/// what the caller sent (an identifier that failed validation or the scope check may be personal
/// data or a probe), SQL values or connection strings.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest, extensions: extensions);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Unavailable(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable);

    /// <summary>Writes a problem outside an endpoint (middleware, exception handler), with the framework's trace id.</summary>
    public static async Task WriteAsync(HttpContext http, int status, string title, string detail, Exception? exception = null)
    {
        http.Response.StatusCode = status;
        var service = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        var context = new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        if (!await service.TryWriteAsync(context))
        {
            await http.Response.WriteAsJsonAsync(context.ProblemDetails, http.RequestAborted);
        }
    }
}
