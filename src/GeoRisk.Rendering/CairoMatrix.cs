using System.Runtime.InteropServices;

namespace GeoRisk.Rendering;

/// <summary>
/// An affine transformation as cairo stores it (cairo_matrix_t): x' = Xx·x + Xy·y + X0,
/// y' = Yx·x + Yy·y + Y0.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct CairoMatrix(double Xx, double Yx, double Xy, double Yy, double X0, double Y0)
{
    public (double X, double Y) Apply(double x, double y) => (Xx * x + Xy * y + X0, Yx * x + Yy * y + Y0);

    /// <summary>The inverse; throws for a degenerate matrix.</summary>
    public CairoMatrix Invert()
    {
        var det = Xx * Yy - Xy * Yx;
        if (Math.Abs(det) < 1e-15) throw new InvalidOperationException("the matrix cannot be inverted");
        var xx = Yy / det;
        var xy = -Xy / det;
        var yx = -Yx / det;
        var yy = Xx / det;
        return new CairoMatrix(xx, yx, xy, yy, -(xx * X0 + xy * Y0), -(yx * X0 + yy * Y0));
    }
}
