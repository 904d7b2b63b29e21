using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace GeoRisk.Data.Intake;

public static class IntakeExtensions
{
    /// <summary>
    /// Registers the signal and area importers and the no-op <see cref="ISignalChangeListener"/>.
    /// Tile cache and hexbin refresh add their own listener with AddSingleton&lt;ISignalChangeListener, T&gt;().
    /// </summary>
    public static IHostApplicationBuilder AddGeoRiskIntake(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ISignalChangeListener, NoOpSignalChangeListener>());
        // Hexagon grids follow every import: only the touched cells are recomputed.
        builder.Services.TryAddSingleton<Hexbins.HexbinStore>();
        builder.Services.AddSingleton<ISignalChangeListener, Hexbins.HexbinRefreshListener>();
        builder.Services.TryAddSingleton<SignalImporter>();
        builder.Services.TryAddSingleton<AreaImporter>();
        builder.Services.TryAddSingleton<BoundaryImporter>();
        return builder;
    }
}
