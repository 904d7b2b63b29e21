using System.Net;
using GeoRisk.IntegrationTests.Casustafels;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// The real API on a real loopback port (Kestrel, port chosen by the OS) over a database, and
/// Debian's chromium driven by Playwright: never a downloaded browser.
/// </summary>
#pragma warning disable CA1001 // disposed in DisposeAsync, as xunit fixtures are
public abstract class BrowserServerFixture : IAsyncLifetime
#pragma warning restore CA1001
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private GeoRiskApiFactory? _factory;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    protected abstract Task<string> ConnectionStringAsync();

    /// <summary>Configuration for the API on top of appsettings.json.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: scripts/test.sh installs Debian's chromium");
        _factory = new GeoRiskApiFactory(await ConnectionStringAsync()) { Settings = Settings };
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
    }

    /// <summary>A new API key of a member of <paramref name="casustafel"/> (the key store).</summary>
    public async Task<string> MemberKeyAsync(string casustafel) =>
        (await _factory!.CreateKeyAsync(GeoRisk.Core.Access.Role.Member, casustafel)).Key.Token;

    /// <summary>A new member key of <paramref name="casustafel"/> that belongs to an organisation.</summary>
    public async Task<string> PartnerMemberKeyAsync(string casustafel, string partner) =>
        (await _factory!.CreateKeyOfPartnerAsync(GeoRisk.Core.Access.Role.Member, partner, casustafel)).Key.Token;

    /// <summary>A new API key of any role, bound to <paramref name="casustafels"/>.</summary>
    public async Task<string> KeyAsync(GeoRisk.Core.Access.Role role, params string[] casustafels) =>
        (await _factory!.CreateKeyAsync(role, casustafels)).Key.Token;

    /// <summary>The checkout's root (where GeoRisk.sln is).</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GeoRisk.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("GeoRisk.sln not found above the test binaries");
    }

    /// <summary>.data/test-results of the checkout (scripts/test.sh keeps it for the record).</summary>
    public static string ResultsDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GeoRisk.sln"))) dir = dir.Parent;
        var results = Path.Combine(dir?.FullName ?? Path.GetTempPath(), ".data", "test-results");
        Directory.CreateDirectory(results);
        return results;
    }
}

/// <summary>The seeded demo database (read-only for tests).</summary>
public sealed class WebMapServerFixture : BrowserServerFixture
{
    protected override Task<string> ConnectionStringAsync() => Task.FromResult(DemoDatabase.ConnectionString);
}

/// <summary>The hand-built world of <see cref="CasustafelWorldFixture"/> in a database of its own, which the test may change.</summary>
public sealed class WorldBrowserFixture : BrowserServerFixture
{
    public CasustafelWorldFixture World { get; } = new();

    protected override async Task<string> ConnectionStringAsync()
    {
        await World.InitializeAsync();
        return World.Database.ConnectionString;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await World.DisposeAsync();
    }
}
