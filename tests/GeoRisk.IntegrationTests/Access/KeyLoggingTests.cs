using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace GeoRisk.IntegrationTests.Access;

/// <summary>Keys never reach the log, whatever happens to the request.</summary>
public sealed class KeyLoggingTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);
        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }

    [Fact]
    public async Task Neither_good_nor_bad_nor_revoked_keys_appear_in_any_log_line()
    {
        using var logs = new CapturingLoggerProvider();
        await using var factory = new GeoRiskApiFactory(fixture.Database.ConnectionString) { LoggerProvider = logs, PermitsPerWindow = 4 };
        var good = await factory.CreateKeyAsync(Role.Viewer);
        var revoked = await factory.CreateKeyAsync(Role.Viewer);
        var unknown = ApiKey.Generate().Token;
        var secret = good.Key.Token[17..];
        var wrongSecret = $"grk_{good.Info.Id}_{(secret[0] == 'A' ? 'B' : 'A')}{secret[1..]}";
        using var client = factory.CreateAnonymousClient();

        async Task<HttpStatusCode> Get(string token, string path = "/api/areas")
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Get(revoked.Key.Token));
        await new GeoRisk.Data.Access.ApiKeyStore(fixture.Database.DataSource).RevokeAsync(revoked.Info.Id, CancellationToken.None);
        // Revoked in the database: this node hears it by NOTIFY within a second (polling here
        // would spend the anonymous rate-limit budget the rest of the test counts on).
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(revoked.Key.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(unknown));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(wrongSecret));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(unknown[..^2]));
        Assert.Equal(HttpStatusCode.OK, await Get(good.Key.Token));
        Assert.Equal(HttpStatusCode.NotFound, await Get(good.Key.Token, "/api/areas/NOWHERE"));
        for (var i = 0; i < 4; i++) await Get(good.Key.Token); // into the rate limit
        Assert.Equal(HttpStatusCode.TooManyRequests, await Get(good.Key.Token));

        var all = string.Join("\n", logs.Lines);
        Assert.NotEmpty(logs.Lines);
        Assert.Contains("ApiKey", all, StringComparison.Ordinal); // the authentication handler did log
        foreach (var token in new[] { good.Key.Token, revoked.Key.Token, unknown, wrongSecret })
            Assert.DoesNotContain(token[17..], all, StringComparison.Ordinal);
    }
}
