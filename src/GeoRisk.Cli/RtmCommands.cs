using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.Core.Rtm;
using GeoRisk.Data.Rtm;
using GeoRisk.Reports.Rtm;
using Spectre.Console;

namespace GeoRisk.Cli;

/// <summary>
/// <c>georisk rtm kinds|kind-add|fit|show|cells|blind-spots</c>: gelegenheidskaarten (docs/rtm.md).
/// Factor layers come in through <c>georisk import factors</c>.
/// </summary>
internal static class RtmCommands
{
    private static readonly JsonSerializerOptions Indented = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static Command Create()
    {
        var rtm = new Command("rtm", "Gelegenheidskaarten (Risk Terrain Modeling): factor kinds, fit and store a model, cells, blind spots");
        rtm.Subcommands.Add(Kinds());
        rtm.Subcommands.Add(KindAdd());
        rtm.Subcommands.Add(Fit());
        rtm.Subcommands.Add(Show());
        rtm.Subcommands.Add(Cells());
        rtm.Subcommands.Add(BlindSpots());
        rtm.Subcommands.Add(Bench());
        return rtm;
    }

    private static Command Kinds()
    {
        var command = new Command("kinds", "The kinds of risk factor, with their layers and features");
        command.SetAction((_, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var db = CliDatabase.Open();
            var table = new Table().AddColumns("code", "nl", "en", "layers", "features");
            foreach (var k in await new RtmStore(db).FactorKindsAsync(ct))
                table.AddRow(k.Code, Markup.Escape(k.LabelNl), Markup.Escape(k.LabelEn), k.Layers.ToString(CultureInfo.InvariantCulture), k.Features.ToString(CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command KindAdd()
    {
        var code = new Argument<string>("CODE") { Description = "Code of the new kind (lower-case letters, digits, '-', '_')" };
        var nl = new Option<string>("--nl") { Description = "Dutch label", Required = true };
        var en = new Option<string>("--en") { Description = "English label", Required = true };
        var description = new Option<string>("--description") { Description = "What counts as this kind", DefaultValueFactory = _ => "" };
        var command = new Command("kind-add", "Add a kind of risk factor") { code, nl, en, description };
        command.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            var c = p.GetValue(code)!;
            if (!System.Text.RegularExpressions.Regex.IsMatch(c, "^[a-z][a-z0-9_-]{0,63}$"))
                throw new InvalidOperationException("CODE: 1-64 lower-case letters, digits, '_' or '-', starting with a letter");
            await using var db = CliDatabase.Open();
            if (!await new RtmStore(db).AddFactorKindAsync(c, p.GetValue(nl)!, p.GetValue(en)!, p.GetValue(description)!, ct))
                throw new InvalidOperationException($"there is already a factor kind '{c}'");
            Console.WriteLine($"added factor kind {c}");
            return 0;
        }));
        return command;
    }

    private static Command Fit()
    {
        var area = new Option<string>("--area") { Description = "Code of the study area (a gemeente, the buitengebied, a bedrijventerrein)", Required = true };
        var name = new Option<string?>("--name") { Description = "Name of the model" };
        var fitFrom = new Option<string>("--fit-from") { Description = "First day of the fit period (yyyy-MM-dd)", Required = true };
        var fitTo = new Option<string>("--fit-to") { Description = "Day after the fit period = first day of the test period", Required = true };
        var testTo = new Option<string>("--test-to") { Description = "Day after the test period", Required = true };
        var factors = new Option<string?>("--factors") { Description = "Comma-separated factor kinds (default: every kind with features)" };
        var categories = new Option<string?>("--categories") { Description = "Comma-separated signal categories (default: all)" };
        var command = new Command("fit", "Fit and store a model: screening, stepwise Poisson by BIC, validation on the test period")
            { area, name, fitFrom, fitTo, testTo, factors, categories };
        command.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            DateOnly Date(Option<string> o) => DateOnly.TryParseExact(p.GetValue(o), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d : throw new InvalidOperationException($"{o.Name} must be a date as yyyy-MM-dd");
            var (from, to, end) = (Date(fitFrom), Date(fitTo), Date(testTo));
            if (from >= to || to >= end) throw new InvalidOperationException("the dates must follow each other: --fit-from < --fit-to < --test-to");
            static List<string>? List(string? text) => text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            await using var db = CliDatabase.Open();
            var store = new RtmStore(db);
            if (!await store.StudyAreaExistsAsync(p.GetValue(area)!, CallerScope.Unrestricted, ct))
                throw new InvalidOperationException($"no current area '{p.GetValue(area)}'");
            RtmModelCard card;
            try
            {
                card = await store.BuildAsync(new RtmRequest(p.GetValue(area)!, p.GetValue(name) ?? $"gelegenheidskaart {p.GetValue(area)}", from, to, to, end,
                    List(p.GetValue(categories)), List(p.GetValue(factors)), new RtmSettings()), ct);
            }
            catch (Exception e) when (e is RtmException or RtmInputException)
            {
                throw new InvalidOperationException(e.Message);
            }
            Print(card);
            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<long>("ID") { Description = "Model id" };
        var json = new Option<bool>("--json") { Description = "Print the whole model card as JSON" };
        var command = new Command("show", "The model card: kept factors with RRV and interval, validation") { id, json };
        command.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var db = CliDatabase.Open();
            var card = await new RtmStore(db).ModelAsync(p.GetValue(id), CallerScope.Unrestricted, ct)
                ?? throw new InvalidOperationException($"no model {p.GetValue(id)}");
            if (p.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(card, Indented));
            else Print(card);
            return 0;
        }));
        return command;
    }

    private static Command Cells()
    {
        var id = new Argument<long>("ID") { Description = "Model id" };
        var csv = new Option<FileInfo>("--csv") { Description = "Write the cells to this CSV file", Required = true };
        var command = new Command("cells", "Write the cells of a model as CSV (RRS, expected and observed counts, factors present)") { id, csv };
        command.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var db = CliDatabase.Open();
            var store = new RtmStore(db);
            _ = await store.ModelAsync(p.GetValue(id), CallerScope.Unrestricted, ct) ?? throw new InvalidOperationException($"no model {p.GetValue(id)}");
            var cells = await store.CellsAsync(p.GetValue(id), null, CallerScope.Unrestricted, ct);
            await File.WriteAllTextAsync(p.GetValue(csv)!.FullName, RtmCsv.Cells(cells), ct);
            Console.WriteLine($"{cells.Count} cells written to {p.GetValue(csv)!.FullName}");
            return 0;
        }));
        return command;
    }

    private static Command BlindSpots()
    {
        var id = new Argument<long>("ID") { Description = "Model id" };
        var area = new Option<string?>("--area") { Description = "Only cells in this area (e.g. a buurt)" };
        var maxSignals = new Option<int>("--max-signals") { Description = "At most this many signals over both periods", DefaultValueFactory = _ => 0 };
        var csv = new Option<FileInfo?>("--csv") { Description = "Write the list to this CSV file" };
        var command = new Command("blind-spots", "Cells with high terrain risk (top 5 % RRS) and few signals, ranked") { id, area, maxSignals, csv };
        command.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var db = CliDatabase.Open();
            var store = new RtmStore(db);
            _ = await store.ModelAsync(p.GetValue(id), CallerScope.Unrestricted, ct) ?? throw new InvalidOperationException($"no model {p.GetValue(id)}");
            if (p.GetValue(area) is { } a && !await store.AreaExistsAsync(a, ct)) throw new InvalidOperationException($"no current area '{a}'");
            var spots = await store.BlindSpotsAsync(p.GetValue(id), p.GetValue(area), RtmValidationMeasures.DefaultShare, p.GetValue(maxSignals), ct);
            if (p.GetValue(csv) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, RtmCsv.BlindSpots(spots), ct);
                Console.WriteLine($"{spots.Count} blind spots written to {file.FullName}");
                return 0;
            }
            var table = new Table().AddColumns("rank", "q", "r", "lon", "lat", "RRS", "factors");
            foreach (var s in spots.Take(50))
                table.AddRow(I(s.Rank), I(s.Q), I(s.R), s.Lon.ToString("F5", CultureInfo.InvariantCulture), s.Lat.ToString("F5", CultureInfo.InvariantCulture),
                    s.Rrs.ToString("F2", CultureInfo.InvariantCulture), string.Join(' ', s.Factors));
            AnsiConsole.Write(table);
            Console.WriteLine($"{spots.Count} blind spots");
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// scripts/bench-rtm.sh: loads the inputs of a study area once, then per run times the raw
    /// design-matrix SQL, the fit alone, the whole model (SQL + fit + store) and the z12 tile at the
    /// area's centre, cold (the layer's SQL, no tile cache) and as a raw ST_AsMVT. Prints
    /// key=value figures (best run) and a check line on the size of every answer.
    /// </summary>
    private static Command Bench()
    {
        var area = new Option<string>("--area") { Description = "Study area", Required = true };
        var runs = new Option<int>("--runs") { Description = "Runs (the best counts)", DefaultValueFactory = _ => 3 };
        var command = new Command("bench", "Time fitting and the gelegenheidskaart tile against raw SQL (scripts/bench-rtm.sh)") { area, runs };
        command.SetAction((p, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var db = CliDatabase.Open();
            var store = new RtmStore(db);
            var code = p.GetValue(area)!;
            var request = new RtmRequest(code, "bench", new DateOnly(2023, 11, 15), new DateOnly(2025, 11, 15), new DateOnly(2025, 11, 15),
                new DateOnly(2026, 11, 15), null, null, new RtmSettings());
            var inputs = await store.LoadInputsAsync(request, ct);
            var problems = new List<string>();
            if (inputs.Kinds.Count != 10) problems.Add($"expected 10 factor kinds, got {inputs.Kinds.Count}");
            if (inputs.Cells.Count < 90_000) problems.Add($"expected about 100,000 cells, got {inputs.Cells.Count}");
            double best(double current, double value) => Math.Min(current, value);
            double design = double.MaxValue, fit = double.MaxValue, build = double.MaxValue, tile = double.MaxValue, raw = double.MaxValue;
            long designRows = 0, tileBytes = 0, rawBytes = 0;
            RtmFit? fitted = null;
            RtmModelCard? card = null;
            for (int run = 0; run < p.GetValue(runs); run++)
            {
                var sw = System.Diagnostics.Stopwatch.StartNew();
                designRows = 0;
                await using (var command = db.CreateCommand("SELECT q, r, kind, distances FROM rtm_design($1, 100, $2, $3)"))
                {
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = code });
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = inputs.Kinds.ToArray() });
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (double)request.Settings.ReachMetres });
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct)) { _ = reader.GetFieldValue<double[]>(3); designRows++; }
                }
                design = best(design, sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                fitted = RiskTerrainModel.Fit(inputs.FitCounts, inputs.Factors, request.Settings);
                fit = best(fit, sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                card = await store.BuildAsync(request, ct);
                build = best(build, sw.Elapsed.TotalMilliseconds);
                // The z12 tile at the centre of the study area's cells.
                var centre = GeoRisk.Core.Hexagons.HexGrid.Centre(inputs.Cells[inputs.Cells.Count / 2]);
                var tileId = await TileAtAsync(db, centre.X, centre.Y, 12, ct);
                sw.Restart();
                // The layer's SQL function as the tile endpoint calls it (no cache), unrestricted scope.
                await using (var command = db.CreateCommand("SELECT tile_gelegenheidskaart($1, $2, $3, '{}'::jsonb, NULL, 5)"))
                {
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tileId.Z });
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tileId.X });
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tileId.Y });
                    tileBytes = ((byte[])(await command.ExecuteScalarAsync(ct))!).Length;
                }
                tile = best(tile, sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                await using (var command = db.CreateCommand("""
                    SELECT coalesce(ST_AsMVT(t, 'gelegenheidskaart', 4096, 'geom'), ''::bytea) FROM (
                      SELECT c.rrs, ST_AsMVTGeom(c.geom_3857, ST_TileEnvelope($2, $3, $4), 4096, 16, true) AS geom
                      FROM rtm_cell c WHERE c.model_id = $1 AND c.rrs > 1 AND c.geom_3857 && ST_TileEnvelope($2, $3, $4)) t
                    """))
                {
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = card.Id });
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tileId.Z });
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tileId.X });
                    command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tileId.Y });
                    rawBytes = ((byte[])(await command.ExecuteScalarAsync(ct))!).Length;
                }
                raw = best(raw, sw.Elapsed.TotalMilliseconds);
            }
            if (designRows == 0) problems.Add("the design-matrix SQL returned no rows");
            if (fitted is null || fitted.Factors.Count == 0) problems.Add("the model kept no factor (the planted effects should be found)");
            if (card is null || card.CellCount != inputs.Cells.Count) problems.Add("the stored model has another number of cells than its inputs");
            if (tileBytes == 0 || rawBytes == 0) problems.Add($"an empty tile (layer {tileBytes} bytes, raw {rawBytes} bytes)");
            Console.WriteLine(problems.Count == 0 ? "check ok" : "check failed: " + string.Join("; ", problems));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cells={inputs.Cells.Count} design_rows={designRows} kept={fitted?.Factors.Count} design_ms={design:F1} fit_ms={fit:F1} build_ms={build:F1} tile_ms={tile:F2} tile_raw_ms={raw:F2} tile_bytes={tileBytes} tile_raw_bytes={rawBytes}"));
            return problems.Count == 0 ? 0 : 1;
        }));
        return command;
    }

    private static async Task<GeoRisk.Core.Tiles.TileId> TileAtAsync(Npgsql.NpgsqlDataSource db, double x, double y, int z, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 28992), 4326) p");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = x });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = y });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (mx, my) = GeoRisk.Core.Tiles.WebMercator.FromLonLat(reader.GetDouble(0), reader.GetDouble(1));
        return GeoRisk.Core.Tiles.TileId.ContainingPoint(mx, my, z);
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static void Print(RtmModelCard card)
    {
        Console.WriteLine($"model {card.Id}: {card.Name} — {card.StudyArea} v{card.Version}, {card.CellCount} cells of {card.CellSizeM} m");
        var table = new Table().AddColumns("factor", "operationalisation", "RRV", "interval", "cells");
        foreach (var f in card.Fit.GetProperty("factors").EnumerateArray())
            table.AddRow(f.GetProperty("factor").GetString()!, f.GetProperty("operationalisation").GetString()!,
                F(f.GetProperty("rrv")), $"{F(f.GetProperty("rrv_low"))}–{F(f.GetProperty("rrv_high"))}", f.GetProperty("cells").GetInt32().ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        foreach (var (label, key) in new[] { ("model", "model"), ("hot spots", "hotspot") })
        {
            var v = card.Validation.GetProperty(key);
            Console.WriteLine($"{label,-10} top 5 %: hit rate {F(v.GetProperty("hit_rate"))}, PAI {F(v.GetProperty("pai"))}");
        }
    }

    private static string F(JsonElement v) => v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("F2", CultureInfo.InvariantCulture) : "—";
}
