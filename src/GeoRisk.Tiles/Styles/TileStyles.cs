using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoRisk.Rendering;

namespace GeoRisk.Tiles.Styles;

public sealed record AreasStyle(ColourRamp Ramp, double FillOpacity, Rgba NoScoreColour,
    Rgba OutlineColour, double OutlineWidth, Rgba FlaggedOutlineColour, double FlaggedOutlineWidth)
{
    /// <summary>The fill of an area with this score (null: not scored), opacity applied.</summary>
    public Rgba FillFor(double? score) => score is { } s
        ? Ramp.ColourFor(s) is var c ? c.WithAlpha((byte)Math.Round(c.A * FillOpacity)) : default
        : NoScoreColour;
}

public sealed record HeatmapStyle(double RadiusPx, IReadOnlyDictionary<int, double> SaturationByZoom, ColourRamp Ramp)
{
    /// <summary>
    /// Kernel sum at which the ramp saturates at zoom <paramref name="z"/>: the listed value, or
    /// geometric interpolation between the listed zooms around it (nearest outside them).
    /// Fixed per zoom so that every tile of a zoom shares one normalisation (no seams).
    /// </summary>
    public double SaturationAt(int z)
    {
        if (SaturationByZoom.TryGetValue(z, out var exact)) return exact;
        var zooms = SaturationByZoom.Keys.Order().ToArray();
        if (z <= zooms[0]) return SaturationByZoom[zooms[0]];
        if (z >= zooms[^1]) return SaturationByZoom[zooms[^1]];
        var hi = zooms.First(k => k > z);
        var lo = zooms.Last(k => k < z);
        var t = (double)(z - lo) / (hi - lo);
        return Math.Exp(Math.Log(SaturationByZoom[lo]) * (1 - t) + Math.Log(SaturationByZoom[hi]) * t);
    }
}

public sealed record CamerasStyle(Rgba ViewshedFill, Rgba ViewshedOutline, double ViewshedOutlineWidth,
    Rgba PointColour, Rgba PointOutline, double PointRadius);

public sealed record HexbinsStyle(IReadOnlyDictionary<int, int> CellSizeByZoom, IReadOnlyDictionary<int, Rgba> GiClassColours,
    Rgba OutlineColour, double OutlineWidth)
{
    /// <summary>Hexagon size (m) shown at zoom <paramref name="z"/>: the entry of the highest listed zoom ≤ z.</summary>
    public int CellSizeAt(int z) => CellSizeByZoom.Where(kv => kv.Key <= z).MaxBy(kv => kv.Key).Value;

    public Rgba ColourForClass(int giClass) => GiClassColours.TryGetValue(Math.Clamp(giClass, -3, 3), out var c) ? c : default;
}

public sealed record IncidentsStyle(Rgba PointColour, Rgba PointOutline, double PointRadius,
    Rgba PolygonFill, Rgba PolygonOutline, double OutlineWidth);

/// <summary>
/// The raster styles, read once at start-up from <c>tiles/styles/*.json</c> (copied next to the
/// binaries; <c>Tiles:StyleDirectory</c> points elsewhere). A bad file stops start-up with a
/// message naming the file and the field.
/// </summary>
public sealed record TileStyles(AreasStyle Areas, HeatmapStyle Heatmap, CamerasStyle Cameras, HexbinsStyle Hexbins, IncidentsStyle Incidents)
{
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "tiles", "styles");

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static TileStyles Load(string? directory = null)
    {
        directory ??= DefaultDirectory;
        if (!Directory.Exists(directory))
            throw new InvalidOperationException($"tile style directory '{directory}' does not exist");

        var areas = Read<AreasFile>(directory, "areas.json");
        var heat = Read<HeatmapFile>(directory, "heatmap.json");
        var cams = Read<CamerasFile>(directory, "cameras.json");
        var hex = Read<HexbinsFile>(directory, "hexbins.json");
        var inc = Read<IncidentsFile>(directory, "incidents.json");

        return new TileStyles(
            new AreasStyle(Ramp(areas.Ramp, "areas.json"), Fraction(areas.FillOpacity, "areas.json", "fill_opacity"),
                Colour(areas.NoScoreColour, "areas.json", "no_score_colour"),
                Colour(areas.OutlineColour, "areas.json", "outline_colour"), Width(areas.OutlineWidth, "areas.json", "outline_width"),
                Colour(areas.FlaggedOutlineColour, "areas.json", "flagged_outline_colour"),
                Width(areas.FlaggedOutlineWidth, "areas.json", "flagged_outline_width")),
            new HeatmapStyle(Positive(heat.RadiusPx, "heatmap.json", "radius_px"), Saturations(heat.SaturationByZoom), Ramp(heat.Ramp, "heatmap.json")),
            new CamerasStyle(Colour(cams.ViewshedFill, "cameras.json", "viewshed_fill"), Colour(cams.ViewshedOutline, "cameras.json", "viewshed_outline"),
                Width(cams.ViewshedOutlineWidth, "cameras.json", "viewshed_outline_width"), Colour(cams.PointColour, "cameras.json", "point_colour"),
                Colour(cams.PointOutline, "cameras.json", "point_outline"), Positive(cams.PointRadius, "cameras.json", "point_radius")),
            new HexbinsStyle(CellSizes(hex.CellSizeByZoom), GiColours(hex.GiClassColours),
                Colour(hex.OutlineColour, "hexbins.json", "outline_colour"), Width(hex.OutlineWidth, "hexbins.json", "outline_width")),
            new IncidentsStyle(Colour(inc.PointColour, "incidents.json", "point_colour"), Colour(inc.PointOutline, "incidents.json", "point_outline"),
                Positive(inc.PointRadius, "incidents.json", "point_radius"), Colour(inc.PolygonFill, "incidents.json", "polygon_fill"),
                Colour(inc.PolygonOutline, "incidents.json", "polygon_outline"), Width(inc.OutlineWidth, "incidents.json", "outline_width")));
    }

    private static T Read<T>(string directory, string file)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path)) throw new InvalidOperationException($"tile style file '{path}' is missing");
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)
                ?? throw new InvalidOperationException($"tile style file '{file}' is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"tile style file '{file}' is not valid: {e.Message}", e);
        }
    }

    private static InvalidOperationException Bad(string file, string field, string what) =>
        new InvalidOperationException($"tile style file '{file}': {field} {what}");

    private static Rgba Colour(string? hex, string file, string field) =>
        Rgba.TryParse(hex, out var c) ? c : throw Bad(file, field, $"must be #rrggbb or #rrggbbaa, got '{hex}'");

    private static double Width(double? v, string file, string field) =>
        v is >= 0 and <= 50 ? v.Value : throw Bad(file, field, "must be between 0 and 50");

    private static double Positive(double? v, string file, string field) =>
        v is > 0 and <= 200 ? v.Value : throw Bad(file, field, "must be above 0 and at most 200");

    private static double Fraction(double? v, string file, string field) =>
        v is >= 0 and <= 1 ? v.Value : throw Bad(file, field, "must be between 0 and 1");

    private static ColourRamp Ramp(RampFile? ramp, string file)
    {
        if (ramp?.Stops is not { Count: > 0 } stops) throw Bad(file, "ramp.stops", "must list at least one stop");
        try
        {
            return new ColourRamp(stops.Select((s, i) => new RampStop(
                s.Value ?? throw Bad(file, $"ramp.stops[{i}].value", "is missing"),
                Colour(s.Colour, file, $"ramp.stops[{i}].colour"), s.Label)), ramp.Interpolate);
        }
        catch (ArgumentException e)
        {
            throw Bad(file, "ramp.stops", e.Message);
        }
    }

    private static Dictionary<int, double> Saturations(Dictionary<string, double>? raw)
    {
        if (raw is not { Count: > 0 }) throw Bad("heatmap.json", "saturation_by_zoom", "must list at least one zoom");
        return raw.ToDictionary(
            kv => ZoomKey(kv.Key, "heatmap.json", "saturation_by_zoom"),
            kv => kv.Value > 0 ? kv.Value : throw Bad("heatmap.json", $"saturation_by_zoom.{kv.Key}", "must be above 0"));
    }

    private static Dictionary<int, int> CellSizes(Dictionary<string, int>? raw)
    {
        if (raw is null || !raw.ContainsKey("0")) throw Bad("hexbins.json", "cell_size_by_zoom", "must have an entry for zoom 0");
        return raw.ToDictionary(kv => ZoomKey(kv.Key, "hexbins.json", "cell_size_by_zoom"),
            kv => kv.Value > 0 ? kv.Value : throw Bad("hexbins.json", $"cell_size_by_zoom.{kv.Key}", "must be above 0"));
    }

    private static Dictionary<int, Rgba> GiColours(Dictionary<string, string>? raw)
    {
        if (raw is null) throw Bad("hexbins.json", "gi_class_colours", "is missing");
        var result = new Dictionary<int, Rgba>();
        for (var c = -3; c <= 3; c++)
        {
            var key = c.ToString(CultureInfo.InvariantCulture);
            result[c] = raw.TryGetValue(key, out var hex) ? Colour(hex, "hexbins.json", $"gi_class_colours.{key}")
                : throw Bad("hexbins.json", "gi_class_colours", $"needs class {key}");
        }
        return result;
    }

    private static int ZoomKey(string key, string file, string field) =>
        int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var z) && z <= 24
            ? z : throw Bad(file, field, $"keys must be zooms 0-24, got '{key}'");

    private sealed record RampFile(bool Interpolate, List<StopFile>? Stops);
    private sealed record StopFile(double? Value, string? Colour, string? Label);
    private sealed record AreasFile(RampFile? Ramp, double? FillOpacity, string? NoScoreColour, string? OutlineColour,
        double? OutlineWidth, string? FlaggedOutlineColour, double? FlaggedOutlineWidth);
    private sealed record HeatmapFile(double? RadiusPx, Dictionary<string, double>? SaturationByZoom, RampFile? Ramp);
    private sealed record CamerasFile(string? ViewshedFill, string? ViewshedOutline, double? ViewshedOutlineWidth,
        string? PointColour, string? PointOutline, double? PointRadius);
    private sealed record HexbinsFile(Dictionary<string, int>? CellSizeByZoom, Dictionary<string, string>? GiClassColours,
        string? OutlineColour, double? OutlineWidth);
    private sealed record IncidentsFile(string? PointColour, string? PointOutline, double? PointRadius,
        string? PolygonFill, string? PolygonOutline, double? OutlineWidth);
}
