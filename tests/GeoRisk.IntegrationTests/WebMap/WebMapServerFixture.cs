using System.Net;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GeoRisk.IntegrationTests.WebMap;

/// <summary>
/// The real API on a real loopback port (Kestrel, port chosen by the OS) over the seeded demo
/// database, and Debian's chromium driven by Playwright: never a downloaded browser.
/// </summary>
#pragma warning disable CA1001 // disposed in DisposeAsync, as xunit fixtures are
public sealed class WebMapServerFixture : IAsyncLifetime
#pragma warning restore CA1001
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private GeoRiskApiFactory? _factory;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: scripts/test.sh installs Debian's chromium");
        _factory = new GeoRiskApiFactory(DemoDatabase.ConnectionString);
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

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
    }

    /// <summary>
    /// SEAM for issue 6: the key of a member of casustafel 1012. Until access control is on main
    /// every caller is unrestricted and no key is checked, so any text signs in. With issue 6:
    /// make this an instance method returning <c>(await _factory!.CreateKeyAsync(Role.Member, "1012")).Key.Token</c>.
    /// </summary>
    public static Task<string> MemberKeyOf1012Async() => Task.FromResult("georisk-browser-test-member-1012");

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
