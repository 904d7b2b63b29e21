using GeoRisk.Core.Access;
using GeoRisk.Data.Ogc;

namespace GeoRisk.Api.Ogc;

/// <summary>
/// The collections a caller can see: the fixed ones their role admits, then one per area kind.
/// Area kinds are re-read every 30 s (they change only with reference data).
/// </summary>
public sealed class OgcCatalogue(OgcFeatureStore store, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private (IReadOnlyList<OgcCollection> Kinds, DateTimeOffset Until)? _kinds;

    public async Task<IReadOnlyList<OgcCollection>> ForAsync(CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (_kinds is not { } k || k.Until <= _time.GetUtcNow())
        {
            var kinds = (await store.AreaKindsAsync(cancellationToken))
                .Select(x => OgcCollections.ForKind(x.Code, $"Gebieden: {x.LabelNl} / Areas: {x.LabelEn}"))
                .ToList();
            _kinds = k = (kinds, _time.GetUtcNow().AddSeconds(30));
        }
        return [.. OgcCollections.Fixed.Where(c => c.VisibleTo(scope)), .. k.Kinds];
    }

    /// <summary>The collection with this id if the caller can see it; "not visible" and "does not exist" look the same.</summary>
    public async Task<OgcCollection?> FindAsync(string id, CallerScope scope, CancellationToken cancellationToken) =>
        (await ForAsync(scope, cancellationToken)).FirstOrDefault(c => c.Id == id);
}
