using GeoRisk.Data.Intake;
using NetTopologySuite.Geometries;

namespace GeoRisk.Data.Hexbins;

/// <summary>
/// Keeps the hexagon grids current on ingest: the cells around every changed signal (old and
/// new positions) are recomputed, nothing else — or, for a batch that changed a large part of
/// the table, the grids are rebuilt (<see cref="HexbinStore.RefreshBatchAsync"/>). It runs inside the import's transaction
/// (<see cref="ISignalChangeParticipant"/>): an import that committed has current hexbins, and
/// its answer cannot be turned into an error by a refresh that ran after the commit.
/// </summary>
public sealed class HexbinRefreshListener(HexbinStore hexbins) : ISignalChangeListener, ISignalChangeParticipant
{
    public Task OnSignalsChangingAsync(IReadOnlyList<(double X3857, double Y3857)> points, Npgsql.NpgsqlConnection connection, CancellationToken cancellationToken) =>
        hexbins.RefreshBatchAsync(ToPoints(points), connection, cancellationToken);

    /// <summary>Outside an import (no transaction to join): refresh on a connection of its own.</summary>
    public Task OnSignalsChangedAsync(IReadOnlyList<(double X3857, double Y3857)> points, CancellationToken cancellationToken) =>
        Task.CompletedTask; // the importer calls OnSignalsChangingAsync inside its transaction instead

    private static List<Point> ToPoints(IReadOnlyList<(double X3857, double Y3857)> points) =>
        points.Distinct().Select(p => new Point(p.X3857, p.Y3857) { SRID = 3857 }).ToList();
}
