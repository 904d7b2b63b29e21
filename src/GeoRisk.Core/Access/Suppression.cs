namespace GeoRisk.Core.Access;

/// <summary>A count as a suppressed caller may see it: <c>Value</c> null when <c>Suppressed</c>.</summary>
public readonly record struct SuppressedCount(long? Value, bool Suppressed)
{
    /// <summary>Text for tables and PDFs: the value, or "&lt;k" when suppressed.</summary>
    public string Display(int k) => Suppressed ? $"<{k}" : Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Statistical disclosure control for viewers and for anything shared beyond a casustafel
/// (docs/access.md). The rules, in the order they are applied to a count n of
/// signals with threshold k (the scoring profile's <c>suppression_k</c>, default 5):
/// <list type="number">
/// <item>n &lt; k — including 0 — is suppressed: value null, <c>suppressed: true</c>, shown as
/// "&lt;k". Zero is suppressed too, so "nothing here" cannot be told apart from "a few".</item>
/// <item>n ≥ k is rounded to the nearest multiple of 5 (CBS habit, "afronden op vijftallen");
/// n ≡ 2.5 (mod 5) cannot occur for integers, so there are no ties. If rounding would give a
/// value below k (only possible when k is not a multiple of 5), the value is rounded up to the
/// first multiple of 5 that is ≥ k, so a shown value is never smaller than k.</item>
/// <item>Hexbin (grid) cells with n &lt; k are dropped from the output altogether; kept cells
/// carry the rounded count.</item>
/// <item>Suppressed callers never get signal points, ids or remarks: only these counts.</item>
/// </list>
/// Unsuppressed callers (admins, analysts, members within their scope) get exact counts.
/// What suppressed callers get is <see cref="Publish"/>: the cell-key method adds noise chosen by
/// the key sum of exactly the counted records before rules 1-3, so that two overlapping counts
/// cannot be subtracted (docs/access.md). <see cref="Apply"/> is those rules without noise.
/// The same rules exist in SQL as <c>publish_count(n, key_sum, k)</c> and <c>suppress_count(n, k)</c>
/// (sql/functions) for aggregates computed in the database; tests hold them equal.
/// </summary>
public static class Suppression
{
    public const int DefaultK = 5;

    /// <summary>Counts are rounded to multiples of this base (CBS).</summary>
    public const int RoundingBase = 5;

    public const int MinK = 1;
    public const int MaxK = 1000;

    /// <summary>Applies the rules for <paramref name="scope"/>: exact for unsuppressed callers.</summary>
    public static SuppressedCount Count(long n, CallerScope scope) =>
        scope.Suppressed ? Apply(n, scope.SuppressionK) : new SuppressedCount(n, false);

    /// <summary>Applies suppression with threshold <paramref name="k"/> (see the class summary).</summary>
    public static SuppressedCount Apply(long n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ValidateK(k);
        return n < k ? new SuppressedCount(null, true) : new SuppressedCount(Round(n, k), false);
    }

    /// <summary>Rounds a count n ≥ k to the nearest multiple of 5, never below k.</summary>
    public static long Round(long n, int k)
    {
        var rounded = (n + RoundingBase / 2) / RoundingBase * RoundingBase;
        if (rounded < k)
        {
            rounded = (k + RoundingBase - 1L) / RoundingBase * RoundingBase;
        }
        return rounded;
    }

    /// <summary>Record keys are uniform on 0 .. M-1; a cell key is a key sum mod M (SQL: signal.record_key).</summary>
    public const int CellKeyModulus = 1000;

    /// <summary>Largest |noise| of <see cref="PerturbationTable"/>.</summary>
    public const int MaxNoise = 4;

    /// <summary>
    /// The perturbation table of the cell-key method (docs/access.md): cell keys below
    /// <c>UpperCellKey</c> (and at or above the previous row's) get <c>Noise</c>. Widths are per
    /// mille of the M = 1000 cell keys: 20, 50, 100, 180, 300, 180, 100, 50, 20 — symmetric, so
    /// the noise has mean 0 (variance 2.7). SQL <c>cell_key_noise</c> holds the same table.
    /// </summary>
    public static readonly IReadOnlyList<(int UpperCellKey, int Noise)> PerturbationTable =
    [
        (20, -4), (70, -3), (170, -2), (350, -1), (650, 0), (830, 1), (930, 2), (980, 3), (1000, 4),
    ];

    /// <summary>The cell key of a set of signals whose record keys sum to <paramref name="keySum"/>.</summary>
    public static int CellKey(long keySum) => (int)(((keySum % CellKeyModulus) + CellKeyModulus) % CellKeyModulus);

    /// <summary>The noise the perturbation table gives a set with this key sum.</summary>
    public static int CellKeyNoise(long keySum)
    {
        var cellKey = CellKey(keySum);
        foreach (var (upper, noise) in PerturbationTable)
        {
            if (cellKey < upper)
            {
                return noise;
            }
        }
        throw new InvalidOperationException("the perturbation table does not cover every cell key");
    }

    /// <summary>
    /// The published count of a set of <paramref name="n"/> signals whose record keys sum to
    /// <paramref name="keySum"/> (cell-key method; SQL <c>publish_count(n, key_sum, k)</c>):
    /// n &lt; k is withheld; otherwise n + noise goes through <see cref="Apply"/>. The same set
    /// always gets the same answer; another set gets independent noise.
    /// </summary>
    public static SuppressedCount Publish(long n, long keySum, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ValidateK(k);
        if (n < k)
        {
            return new SuppressedCount(null, true);
        }
        return Apply(Math.Max(n + CellKeyNoise(keySum), 0), k);
    }

    /// <summary><see cref="Publish"/> for suppressed callers, the exact count for everyone else.</summary>
    public static SuppressedCount Count(long n, long keySum, CallerScope scope) =>
        scope.Suppressed ? Publish(n, keySum, scope.SuppressionK) : new SuppressedCount(n, false);

    /// <summary>The largest distance between a published count and the truth for threshold k.</summary>
    public static int Bound(int k) => MaxNoise + RoundingBase / 2 + (k % RoundingBase == 0 ? 0 : 2);

    /// <summary>Whether a grid cell with <paramref name="n"/> signals may be shown to a suppressed caller.</summary>
    public static bool KeepCell(long n, int k) => n >= k;

    public static void ValidateK(int k)
    {
        if (k is < MinK or > MaxK)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"suppression k must be between {MinK} and {MaxK}");
        }
    }
}
