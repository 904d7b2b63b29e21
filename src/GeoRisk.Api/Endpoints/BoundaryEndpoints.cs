using GeoRisk.Api.Access;
using GeoRisk.Api.Infrastructure;
using GeoRisk.Core.Intake;
using GeoRisk.Data.Intake;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace GeoRisk.Api.Endpoints;

/// <summary>
/// Published boundary files (CBS wijk- en buurtkaart, Amsterdam's buurten) in one upload: the raw
/// body as one file, or every file of a multipart form. Formats are recognised, exposure taken
/// from the files, wijk/stadsdeel/gemeente derived (docs/intake.md).
/// </summary>
public static partial class BoundaryEndpoints
{
    public static IEndpointRouteBuilder MapBoundaryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/areas/import-boundaries", Import).WithTags("Intake").RequireAuthorization(AccessPolicies.Analyst)
            .WithSummary("Import published boundary files (raw body, or several files in a multipart form): ?exposure=auto|inwoners|adressen|bedrijven|none&gemeente=&derive=&mode=&valid_from=")
            .DisableAntiforgery();
        return app;
    }

    internal static async Task<IResult> Import(HttpContext httpContext, BoundaryImporter importer, IOptions<IntakeOptions> limits,
        ILogger<BoundaryImporter> logger, string? exposure, [FromQuery(Name = "gemeente")] string[]? gemeente, string? derive,
        [FromQuery(Name = "valid_from")] string? validFrom, string? mode, CancellationToken cancellationToken)
    {
        var unit = string.IsNullOrWhiteSpace(exposure) ? "auto" : exposure.Trim();
        if (unit is not ("auto" or "none") && !BoundaryFileReader.ExposureUnits.Contains(unit))
        {
            return Problems.BadRequest("Invalid exposure", $"Parameter 'exposure' must be auto, none or one of: {string.Join(", ", BoundaryFileReader.ExposureUnits)}.");
        }
        if (!ImportModes.TryParse(mode, out var importMode))
        {
            return Problems.BadRequest("Invalid mode", "Parameter 'mode' must be atomic (default) or partial.");
        }
        var deriveLevels = true;
        if (!string.IsNullOrWhiteSpace(derive) && !bool.TryParse(derive, out deriveLevels))
        {
            return Problems.BadRequest("Invalid derive", "Parameter 'derive' must be true (default) or false.");
        }
        var codes = (gemeente ?? []).SelectMany(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal);
        if (codes.FirstOrDefault(c => !GemeenteCode().IsMatch(c)) is not null)
        {
            return Problems.BadRequest("Invalid gemeente", "Parameter 'gemeente' must be CBS gemeente codes: GM followed by four digits (GM0362).");
        }
        if (!IntakeEndpoints.TryParseValidFrom(validFrom, out var from))
        {
            return IntakeEndpoints.InvalidValidFrom();
        }
        var (files, problem) = await ReadFilesAsync(httpContext, limits.Value.MaxUploadBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        BoundaryImportResult result;
        try
        {
            result = await importer.ImportAsync(files!, new BoundaryImportOptions(importMode, from, unit, codes.Count > 0 ? codes : null, deriveLevels),
                null, cancellationToken);
        }
        catch (IntakeFormatException e)
        {
            return IntakeEndpoints.Unreadable(e);
        }
        LogImport(logger, result.Mode, files!.Count, result.Inserted + result.NewVersions, result.Updated, result.Unchanged, result.RejectedRows);
        return result.Written
            ? TypedResults.Ok(result)
            : IntakeEndpoints.Rejected(result.Rejections, result.RejectedRows,
                $"{result.RejectedRows} features were rejected; in atomic mode nothing was written (mode=partial writes the valid ones).", result);
    }

    /// <summary>The raw body as one file, or every file of a multipart form; at most <paramref name="limit"/> bytes in all.</summary>
    private static async Task<(List<BoundarySource>? Files, IResult? Problem)> ReadFilesAsync(HttpContext httpContext, long limit, CancellationToken cancellationToken)
    {
        if (!httpContext.Request.HasFormContentType)
        {
            var (body, problem) = await IntakeEndpoints.ReadBodyAsync(httpContext, limit, cancellationToken);
            return problem is not null ? (null, problem) : ([new BoundarySource("upload", body!)], null);
        }
        var sizeFeature = httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit + 1024 * 1024; // multipart framing on top of the files
        }
        IFormCollection form;
        try
        {
            form = await httpContext.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return (null, Problems.BadRequest("Unreadable upload", "The request body could not be read (broken multipart form, or larger than the upload limit)."));
        }
        if (form.Files.Count == 0)
        {
            return (null, Problems.BadRequest("No file", "The multipart form has no file: send each boundary file as a form field of type file."));
        }
        if (form.Files.Sum(f => f.Length) > limit)
        {
            return (null, TypedResults.Problem(title: "Files too large", statusCode: StatusCodes.Status413PayloadTooLarge,
                detail: $"The files are larger than {limit / (1024 * 1024)} MB in all; import big files with the CLI: georisk import boundaries FILE..."));
        }
        var files = new List<BoundarySource>();
        var position = 0;
        foreach (var file in form.Files)
        {
            position++;
            var buffer = new MemoryStream();
            await using (var stream = file.OpenReadStream()) await stream.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            // A file name is echoed in rejections only when it carries nothing personal.
            files.Add(new BoundarySource(IntakeStreams.SafeName(Path.GetFileName(file.FileName), position), buffer));
        }
        return (files, null);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^GM[0-9]{4}$")]
    private static partial System.Text.RegularExpressions.Regex GemeenteCode();

    // Counts only: file contents never reach the log.
    [LoggerMessage(Level = LogLevel.Information, Message = "import boundaries ({Mode}): {Files} files, {Inserted} inserted, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected")]
    private static partial void LogImport(ILogger logger, string mode, int files, int inserted, int updated, int unchanged, int rejected);
}
