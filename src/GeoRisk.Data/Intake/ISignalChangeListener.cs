namespace GeoRisk.Data.Intake;

/// <summary>
/// Told after an import changed signals (inserted, updated or moved), with the changed signals'
/// positions in EPSG:3857: old and new positions of moved signals. The tile cache and
/// the hexbin refresh implement it to invalidate exactly what changed. Points only: no
/// identifiers, no attributes. Register implementations with
/// <c>services.AddSingleton&lt;ISignalChangeListener, MyListener&gt;()</c>; they run after the
/// import committed, and a failing listener does not undo the import.
/// </summary>
public interface ISignalChangeListener
{
    Task OnSignalsChangedAsync(IReadOnlyList<(double X3857, double Y3857)> points, CancellationToken cancellationToken);
}

/// <summary>
/// Derived data that must be exactly as current as the signals (the hexagon grids): updated
/// inside the import's transaction, on its connection, under its lock. Either both commit or
/// neither does, two imports cannot race on the derived rows (imports are serialised by an
/// advisory lock), and nothing that can fail runs after the commit.
/// </summary>
public interface ISignalChangeParticipant
{
    Task OnSignalsChangingAsync(IReadOnlyList<(double X3857, double Y3857)> points, Npgsql.NpgsqlConnection connection, CancellationToken cancellationToken);
}

/// <summary>The default: nobody listens. The importer skips collecting points when only this is registered.</summary>
public sealed class NoOpSignalChangeListener : ISignalChangeListener
{
    public Task OnSignalsChangedAsync(IReadOnlyList<(double X3857, double Y3857)> points, CancellationToken cancellationToken) => Task.CompletedTask;
}
