using System.Collections.Concurrent;
using GeoRisk.Data.Intake;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GeoRisk.IntegrationTests.Intake;

/// <summary>A migrated, empty database of the test class's own, and the real API over it.</summary>
public sealed class IntakeFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private WebApplicationFactory<Program>? _factory;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("fixture not initialised");
    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("fixture not initialised");

    /// <summary>Points the API reported as changed (a listener registered next to the default no-op).</summary>
    public ConcurrentQueue<(double X, double Y)> ChangedPoints { get; } = new();

    /// <summary>Everything the API logged, to prove that no value reaches the log.</summary>
    public ConcurrentQueue<string> LogLines { get; } = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new GeoRiskApiFactory(_database.ConnectionString).WithWebHostBuilder(builder =>
        {
            builder.ConfigureServices(services => services.AddSingleton<ISignalChangeListener>(new RecordingListener(ChangedPoints)));
            builder.ConfigureLogging(logging => logging.AddProvider(new CollectingLoggerProvider(LogLines)));
        });
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private sealed class RecordingListener(ConcurrentQueue<(double, double)> sink) : ISignalChangeListener
    {
        public Task OnSignalsChangedAsync(IReadOnlyList<(double X3857, double Y3857)> points, CancellationToken cancellationToken)
        {
            foreach (var p in points)
            {
                sink.Enqueue(p);
            }
            return Task.CompletedTask;
        }
    }

    private sealed class CollectingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collecting(sink);

        public void Dispose()
        {
        }

        private sealed class Collecting(ConcurrentQueue<string> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
