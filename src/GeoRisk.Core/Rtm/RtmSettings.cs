using System.Globalization;

namespace GeoRisk.Core.Rtm;

/// <summary>How a factor's spatial influence is tested: near a feature, or where features are dense.</summary>
public enum InfluenceKind { Proximity, Density }

/// <summary>
/// One operationalisation of a factor: <see cref="InfluenceKind.Proximity"/> = the cell centre lies
/// within <see cref="Metres"/> of a feature; <see cref="InfluenceKind.Density"/> = the number of
/// features within <see cref="Metres"/> (a uniform kernel of that bandwidth) is at or above the
/// mean plus <see cref="RtmSettings.DensitySds"/> standard deviations over the study area's cells
/// (at least one feature), as RTMDx marks dense places.
/// </summary>
public sealed record Operationalisation(InfluenceKind Kind, int Metres)
{
    public string Code => (Kind == InfluenceKind.Proximity ? "proximity-" : "density-") + Metres.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string? code, out Operationalisation? value)
    {
        value = null;
        if (code is null) return false;
        var dash = code.LastIndexOf('-');
        if (dash < 0 || !int.TryParse(code.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var metres)) return false;
        InfluenceKind? kind = code[..dash] switch { "proximity" => InfluenceKind.Proximity, "density" => InfluenceKind.Density, _ => null };
        if (kind is null) return false;
        value = new Operationalisation(kind.Value, metres);
        return true;
    }
}

/// <summary>The choices a model is fitted with; every one is stored with the model.</summary>
public sealed record RtmSettings
{
    public const int MaxMetres = 5000;

    /// <summary>Proximity distances tried for every factor (metres).</summary>
    public IReadOnlyList<int> Distances { get; init; } = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];

    /// <summary>Density bandwidths tried for every factor (metres).</summary>
    public IReadOnlyList<int> Bandwidths { get; init; } = [250, 500, 1000];

    /// <summary>A cell is dense when its feature count is at least mean + this many standard deviations.</summary>
    public double DensitySds { get; init; } = 2.0;

    /// <summary>Confidence of the RRV intervals.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>How far the database must look for features: the largest distance or bandwidth.</summary>
    public int ReachMetres => Math.Max(Distances.Count == 0 ? 0 : Distances.Max(), Bandwidths.Count == 0 ? 0 : Bandwidths.Max());

    public IEnumerable<Operationalisation> Operationalisations() =>
        Distances.Order().Select(d => new Operationalisation(InfluenceKind.Proximity, d))
            .Concat(Bandwidths.Order().Select(b => new Operationalisation(InfluenceKind.Density, b)));

    /// <summary>What is wrong with these settings, or null.</summary>
    public string? Problem()
    {
        if (Distances.Count + Bandwidths.Count == 0) return "at least one proximity distance or density bandwidth is needed";
        if (Distances.Concat(Bandwidths).Any(m => m <= 0 || m > MaxMetres)) return $"distances and bandwidths must be between 1 and {MaxMetres} metres";
        if (Distances.Distinct().Count() != Distances.Count || Bandwidths.Distinct().Count() != Bandwidths.Count) return "distances and bandwidths must not repeat";
        if (Distances.Count + Bandwidths.Count > 30) return "at most 30 operationalisations per factor";
        if (!(DensitySds >= 0 && DensitySds <= 5)) return "the density threshold must be between 0 and 5 standard deviations";
        if (!(Confidence > 0.5 && Confidence < 1)) return "the confidence must lie between 0.5 and 1";
        return null;
    }
}
