using System.Globalization;
using System.Text.Json;
using GeoRisk.Core.Access;
using GeoRisk.Data.Rtm;

namespace GeoRisk.Reports.Rtm;

/// <summary>One kept factor as the factsheet prints it.</summary>
public sealed record RtmFactsheetFactor(string Factor, string Influence, int Metres, double Rrv, double RrvLow, double RrvHigh);

/// <summary>The model card of the newest gelegenheidskaart of an area, for the factsheet's page on it.</summary>
public sealed record RtmFactsheetSection(string Name, int Version, string FitFrom, string FitTo, string TestFrom, string TestTo,
    IReadOnlyList<RtmFactsheetFactor> Factors, double? ModelPai, double? ModelHitRate, double? HotspotPai, double? HotspotHitRate, int BlindSpots)
{
    /// <summary>The newest model of <paramref name="areaCode"/> as a study area in the caller's reach, or null.</summary>
    public static async Task<RtmFactsheetSection?> LoadAsync(RtmStore store, string areaCode, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var card = (await store.ModelsAsync(areaCode, scope, cancellationToken)).FirstOrDefault();
        if (card is null) return null;
        var spots = await store.BlindSpotsAsync(card.Id, null, GeoRisk.Core.Rtm.RtmValidationMeasures.DefaultShare, 0, cancellationToken);
        return From(card, spots.Count);
    }

    public static RtmFactsheetSection From(RtmModelCard card, int blindSpots)
    {
        ArgumentNullException.ThrowIfNull(card);
        static double? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        var factors = card.Fit.GetProperty("factors").EnumerateArray().Select(f => new RtmFactsheetFactor(
            f.GetProperty("factor").GetString()!, f.GetProperty("influence").GetString()!, f.GetProperty("metres").GetInt32(),
            f.GetProperty("rrv").GetDouble(), f.GetProperty("rrv_low").GetDouble(), f.GetProperty("rrv_high").GetDouble())).ToList();
        var model = card.Validation.GetProperty("model");
        var hotspot = card.Validation.GetProperty("hotspot");
        string Date(string period, string end) => card.Inputs.GetProperty(period).GetProperty(end).GetString() ?? "";
        return new RtmFactsheetSection(card.Name, card.Version, Date("fit_period", "from"), Date("fit_period", "to"),
            Date("test_period", "from"), Date("test_period", "to"), factors,
            Number(model, "pai"), Number(model, "hit_rate"), Number(hotspot, "pai"), Number(hotspot, "hit_rate"), blindSpots);
    }

    /// <summary>"binnen 200 m" / "within 200 m", "dicht opeen binnen 500 m" / "dense within 500 m".</summary>
    public static string InfluenceText(RtmFactsheetFactor f, bool en) =>
        (f.Influence == "density" ? (en ? "dense within " : "dicht opeen binnen ") : (en ? "within " : "binnen "))
        + f.Metres.ToString(CultureInfo.InvariantCulture) + " m";
}
