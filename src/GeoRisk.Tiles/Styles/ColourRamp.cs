using GeoRisk.Rendering;

namespace GeoRisk.Tiles.Styles;

/// <summary>One stop of a ramp: from <see cref="Value"/> on, <see cref="Colour"/>.</summary>
public sealed record RampStop(double Value, Rgba Colour, string? Label);

/// <summary>
/// Maps a value to a colour: stepped classes (legend-able) or linear interpolation between
/// stops. Values below the first stop take the first colour, above the last the last.
/// </summary>
public sealed class ColourRamp
{
    private readonly RampStop[] _stops;
    private readonly Rgba[]? _lookup; // 256 precomputed colours over [first, last] for hot loops

    public ColourRamp(IEnumerable<RampStop> stops, bool interpolate)
    {
        _stops = stops.ToArray();
        if (_stops.Length == 0) throw new ArgumentException("a colour ramp needs at least one stop", nameof(stops));
        for (var i = 1; i < _stops.Length; i++)
        {
            if (_stops[i].Value <= _stops[i - 1].Value)
                throw new ArgumentException($"ramp stops must increase: {_stops[i].Value} follows {_stops[i - 1].Value}", nameof(stops));
        }
        Interpolate = interpolate;
        if (interpolate)
        {
            _lookup = new Rgba[256];
            for (var i = 0; i < 256; i++) _lookup[i] = Compute(Min + (Max - Min) * i / 255.0);
        }
    }

    public bool Interpolate { get; }
    public IReadOnlyList<RampStop> Stops => _stops;
    public double Min => _stops[0].Value;
    public double Max => _stops[^1].Value;

    public Rgba ColourFor(double value) => Compute(value);

    /// <summary>Fast lookup for a value already normalised to [0, 1] of the ramp's range.</summary>
    public Rgba ColourForFraction(double fraction)
    {
        if (_lookup is null) return Compute(Min + (Max - Min) * fraction);
        var i = (int)(Math.Clamp(fraction, 0, 1) * 255 + 0.5);
        return _lookup[i];
    }

    private Rgba Compute(double value)
    {
        if (double.IsNaN(value) || value <= _stops[0].Value) return _stops[0].Colour;
        if (value >= _stops[^1].Value) return _stops[^1].Colour;
        var i = 1;
        while (_stops[i].Value <= value) i++;
        var (lo, hi) = (_stops[i - 1], _stops[i]);
        return Interpolate ? Rgba.Lerp(lo.Colour, hi.Colour, (value - lo.Value) / (hi.Value - lo.Value)) : lo.Colour;
    }
}
