using System.Globalization;

namespace GeoRisk.Rendering;

/// <summary>A straight (not premultiplied) 8-bit colour.</summary>
public readonly record struct Rgba(byte R, byte G, byte B, byte A = 255)
{
    /// <summary>Parses <c>#rrggbb</c> or <c>#rrggbbaa</c>.</summary>
    public static Rgba Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!TryParse(hex, out var c))
        {
            throw new FormatException($"'{hex}' is not a colour of the form #rrggbb or #rrggbbaa");
        }
        return c;
    }

    public static bool TryParse(string? hex, out Rgba colour)
    {
        colour = default;
        if (hex is null || hex.Length is not (7 or 9) || hex[0] != '#'
            || !uint.TryParse(hex.AsSpan(1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
        {
            return false;
        }
        colour = hex.Length == 7
            ? new Rgba((byte)(v >> 16), (byte)(v >> 8), (byte)v)
            : new Rgba((byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v);
        return true;
    }

    public Rgba WithAlpha(byte a) => this with { A = a };

    /// <summary>Linear interpolation in sRGB space, <paramref name="t"/> in [0, 1].</summary>
    public static Rgba Lerp(Rgba from, Rgba to, double t)
    {
        t = Math.Clamp(t, 0, 1);
        return new Rgba(Mix(from.R, to.R, t), Mix(from.G, to.G, t), Mix(from.B, to.B, t), Mix(from.A, to.A, t));

        static byte Mix(byte a, byte b, double t) => (byte)Math.Round(a + (b - a) * t);
    }

    internal static Rgba FromPremultipliedBgra(byte b, byte g, byte r, byte a) => a switch
    {
        0 => new Rgba(0, 0, 0, 0),
        255 => new Rgba(r, g, b, 255),
        _ => new Rgba(Unpremultiply(r, a), Unpremultiply(g, a), Unpremultiply(b, a), a),
    };

    internal static byte Unpremultiply(byte c, byte a) => (byte)Math.Min(255, (c * 255 + a / 2) / a);

    public override string ToString() => A == 255 ? $"#{R:x2}{G:x2}{B:x2}" : $"#{R:x2}{G:x2}{B:x2}{A:x2}";
}
