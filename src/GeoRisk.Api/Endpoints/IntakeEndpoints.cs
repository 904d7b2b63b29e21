using GeoRisk.Api.Access;
using System.Globalization;
using System.Text.Json;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Intake;
using GeoRisk.Data.Intake;
using Microsoft.Extensions.Options;

namespace GeoRisk.Api.Endpoints;

/// <summary>Limits of the intake endpoints (appsettings section "Intake").</summary>
public sealed class IntakeOptions
{
    /// <summary>Largest upload accepted by the import endpoints; bigger files go through the CLI.</summary>
    public long MaxUploadBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Largest body of POST /api/signals (one signal).</summary>
    public long MaxSignalBytes { get; set; } = 64 * 1024;
}

/// <summary>
/// Intake of signals and area boundaries: one signal as JSON, a CSV or GeoJSON file
/// of signals, a GeoJSON file of boundaries. Files come as the raw request body or as the first
/// file of a multipart form. Unreadable files are 400/413, rejected rows in atomic mode 422 with
/// every rejection (row, field, reason); nothing is written then.
/// </summary>
public static partial class IntakeEndpoints
{
    /// <summary>Importers, the no-op change listener and the upload limits (section "Intake").</summary>
    public static IHostApplicationBuilder AddGeoRiskIntakeApi(this IHostApplicationBuilder builder)
    {
        builder.AddGeoRiskIntake();
        builder.Services.AddOptions<IntakeOptions>()
            .Bind(builder.Configuration.GetSection("Intake"))
            .Validate(o => o.MaxUploadBytes > 0 && o.MaxSignalBytes > 0, "Intake:MaxUploadBytes and Intake:MaxSignalBytes must be positive")
            .ValidateOnStart();
        return builder;
    }

    public static IEndpointRouteBuilder MapIntakeEndpoints(this IEndpointRouteBuilder app)
    {
        // Ingest is for analysts: members and viewers read, they do not load data.
        var signals = app.MapGroup("/api/signals").WithTags("Intake").RequireAuthorization(AccessPolicies.Analyst);
        signals.MapPost("/", PostSignal).WithSummary("Add or update one signal (JSON object with the signal columns)");
        signals.MapPost("/import", ImportSignals)
            .WithSummary("Import a CSV or GeoJSON file of signals: ?source=&crs=28992|4326&mode=atomic|partial")
            .DisableAntiforgery();
        app.MapPost("/api/areas/import", ImportAreas).WithTags("Intake").RequireAuthorization(AccessPolicies.Analyst)
            .WithSummary("Import GeoJSON boundaries: ?kind=&code_field=&name_field=[&parent_field=&mode=&valid_from=&crs=]")
            .DisableAntiforgery();
        return app;
    }

    internal static async Task<IResult> PostSignal(HttpContext httpContext, SignalImporter importer, IOptions<IntakeOptions> limits,
        ILogger<SignalImporter> logger, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBodyAsync(httpContext, limits.Value.MaxSignalBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        RawSignalRow raw;
        try
        {
            using var doc = IntakeStreams.ParseJson(body!);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Problems.BadRequest("Not a signal", "The body must be one JSON object with the signal columns.");
            }
            raw = ReadSignalObject(doc.RootElement);
        }
        catch (IntakeFormatException e)
        {
            return Problems.BadRequest("Unreadable signal", e.Message);
        }
        var result = await importer.ImportAsync("json", [raw], new SignalIntakeOptions(), null, cancellationToken);
        LogImport(logger, "signal", result.Mode, result.Rows, result.Inserted, result.Updated, result.Unchanged, result.RejectedRows);
        if (!result.Written)
        {
            return Rejected(result.Rejections, result.RejectedRows, "The signal was rejected; nothing was written.", result);
        }
        return result.Inserted == 1 ? TypedResults.Created((string?)null, result) : TypedResults.Ok(result);
    }

    internal static async Task<IResult> ImportSignals(HttpContext httpContext, SignalImporter importer, IOptions<IntakeOptions> limits,
        ILogger<SignalImporter> logger, string? source, string? crs, string? mode, CancellationToken cancellationToken)
    {
        if (!ImportModes.TryParse(mode, out var importMode))
        {
            return Problems.BadRequest("Invalid mode", "Parameter 'mode' must be atomic (default) or partial.");
        }
        if (!TryParseCrs(crs, out var srid))
        {
            return Problems.BadRequest("Invalid crs", "Parameter 'crs' must be 28992 (RD New) or 4326 (WGS84).");
        }
        var (body, problem) = await ReadBodyAsync(httpContext, limits.Value.MaxUploadBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        SignalImportResult result;
        try
        {
            var options = new SignalIntakeOptions(string.IsNullOrWhiteSpace(source) ? null : source.Trim(), srid, importMode);
            result = await importer.ImportAsync(body!, options, null, cancellationToken);
        }
        catch (IntakeFormatException e)
        {
            return Unreadable(e);
        }
        LogImport(logger, "signals", result.Mode, result.Rows, result.Inserted, result.Updated, result.Unchanged, result.RejectedRows);
        return result.Written
            ? TypedResults.Ok(result)
            : Rejected(result.Rejections, result.RejectedRows, $"{result.RejectedRows} of {result.Rows} rows were rejected; in atomic mode nothing was written (mode=partial writes the valid rows).", result);
    }

    internal static async Task<IResult> ImportAreas(HttpContext httpContext, AreaImporter importer, IOptions<IntakeOptions> limits,
        ILogger<AreaImporter> logger, string? kind,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "code_field")] string? codeField,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "name_field")] string? nameField,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "parent_field")] string? parentField,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "valid_from")] string? validFrom,
        string? crs, string? mode, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(kind) || !AreaFileReader.Kinds.Contains(kind))
        {
            return Problems.BadRequest("Invalid kind", $"Parameter 'kind' must be one of: {string.Join(", ", AreaFileReader.Kinds)}.");
        }
        if (string.IsNullOrWhiteSpace(codeField) || string.IsNullOrWhiteSpace(nameField))
        {
            return Problems.BadRequest("Missing field names", "Parameters 'code_field' and 'name_field' name the properties that hold the area code and name.");
        }
        if (!ImportModes.TryParse(mode, out var importMode))
        {
            return Problems.BadRequest("Invalid mode", "Parameter 'mode' must be atomic (default) or partial.");
        }
        if (!TryParseCrs(crs, out var srid))
        {
            return Problems.BadRequest("Invalid crs", "Parameter 'crs' must be 28992 (RD New) or 4326 (WGS84).");
        }
        if (!TryParseValidFrom(validFrom, out var from))
        {
            return InvalidValidFrom();
        }
        var (body, problem) = await ReadBodyAsync(httpContext, limits.Value.MaxUploadBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        AreaImportResult result;
        try
        {
            result = await importer.ImportAsync(body!, new AreaIntakeOptions(kind, codeField.Trim(), nameField.Trim(), parentField?.Trim() is { Length: > 0 } p ? p : null, srid),
                importMode, from, cancellationToken);
        }
        catch (IntakeFormatException e)
        {
            return Unreadable(e);
        }
        LogImport(logger, "areas", result.Mode, result.Features, result.Inserted + result.NewVersions, result.Updated, result.Unchanged, result.RejectedRows);
        return result.Written
            ? TypedResults.Ok(result)
            : Rejected(result.Rejections, result.RejectedRows, $"{result.RejectedRows} of {result.Features} features were rejected; in atomic mode nothing was written (mode=partial writes the valid ones).", result);
    }

    /// <summary>An optional yyyy-mm-dd date; absent is null and valid.</summary>
    internal static bool TryParseValidFrom(string? text, out DateOnly? from)
    {
        from = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) || d.Year is < 1900 or > 2100)
        {
            return false;
        }
        from = d;
        return true;
    }

    internal static ProblemHttpResult InvalidValidFrom() => Problems.BadRequest("Invalid valid_from", "Parameter 'valid_from' must be a date: yyyy-mm-dd, from 1900 to 2100.");

    internal static bool TryParseCrs(string? crs, out int? srid)
    {
        srid = null;
        if (string.IsNullOrWhiteSpace(crs))
        {
            return true;
        }
        srid = Crs.Parse(crs);
        return srid is not null;
    }

    /// <summary>
    /// Buffers the upload (raw body, or the first file of a multipart form) up to <paramref name="limit"/>
    /// bytes; larger bodies are refused with 413 before they are read to the end.
    /// </summary>
    internal static async Task<(MemoryStream? Body, IResult? Problem)> ReadBodyAsync(HttpContext httpContext, long limit, CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }
        var sizeFeature = httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit + 1024 * 1024; // multipart framing on top of the file
        }
        Stream source;
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken);
                if (form.Files.Count == 0)
                {
                    return (null, Problems.BadRequest("No file", "The multipart form has no file: send the file as a form field of type file, or as the raw body."));
                }
                if (form.Files[0].Length > limit)
                {
                    return (null, TooLarge(limit));
                }
                source = form.Files[0].OpenReadStream();
            }
            else
            {
                source = request.Body;
            }
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, TooLarge(limit));
                }
                buffer.Write(chunk, 0, read);
            }
            buffer.Position = 0;
            return (buffer, null);
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return (null, e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } ? TooLarge(limit)
                : Problems.BadRequest("Unreadable upload", "The request body could not be read (broken multipart form or connection)."));
        }
    }

    private static ProblemHttpResult TooLarge(long limit) => TypedResults.Problem(
        title: "File too large",
        detail: $"The upload is larger than {limit / (1024 * 1024)} MB; import big files with the CLI: georisk import signals FILE.",
        statusCode: StatusCodes.Status413PayloadTooLarge);

    internal static ProblemHttpResult Unreadable(IntakeFormatException e) => Problems.BadRequest(
        "Unreadable file",
        e.Message + " Nothing was written.",
        e.Rejections.Count > 0 ? new Dictionary<string, object?> { ["rejections"] = e.Rejections } : null);

    /// <summary>422 with every rejection (<see cref="Rejection"/>s, or per-file rejections of a boundary import) and the result.</summary>
    internal static ProblemHttpResult Rejected(object rejections, int rejectedRows, string detail, object result) =>
        TypedResults.Problem(
            title: "Rows rejected",
            detail: detail,
            statusCode: StatusCodes.Status422UnprocessableEntity,
            extensions: new Dictionary<string, object?>
            {
                ["rejected_rows"] = rejectedRows,
                ["rejections"] = rejections,
                ["result"] = result,
            });

    /// <summary>One JSON signal: whitelisted properties only, scalars only.</summary>
    private static RawSignalRow ReadSignalObject(JsonElement obj)
    {
        var raw = new RawSignalRow(1);
        var position = 0;
        foreach (var p in obj.EnumerateObject())
        {
            position++;
            if (!SignalFields.TryParse(IntakeStreams.Name(p), out var field))
            {
                raw.AddProblem(new Rejection(1, IntakeStreams.SafeName(p.Name, position), RejectionReasons.UnknownField,
                    $"property {position} is not a signal property; allowed: {string.Join(", ", SignalFields.AllNames)}"));
                continue;
            }
            if (!IntakeStreams.TryScalar(p.Value, out var text))
            {
                raw.AddProblem(new Rejection(1, field.Name(), RejectionReasons.InvalidValue, $"{field.Name()} must be a string or number"));
                continue;
            }
            raw[field] = string.IsNullOrEmpty(text) ? null : text;
        }
        return raw;
    }

    // Counts only: values may be personal data and never reach the log.
    [LoggerMessage(Level = LogLevel.Information, Message = "import {What} ({Mode}): {Rows} rows, {Inserted} inserted, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected")]
    private static partial void LogImport(ILogger logger, string what, string mode, int rows, int inserted, int updated, int unchanged, int rejected);
}
