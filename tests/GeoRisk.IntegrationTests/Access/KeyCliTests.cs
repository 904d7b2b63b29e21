using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using GeoRisk.Core.Access;
using GeoRisk.Data.Access;

namespace GeoRisk.IntegrationTests.Access;

/// <summary>The <c>georisk keys</c> commands, run as the real CLI process against a test database.</summary>
public sealed class KeyCliTests(AccessDatabaseFixture fixture) : IClassFixture<AccessDatabaseFixture>
{
    private sealed record CliResult(int ExitCode, string Stdout, string Stderr);

    private async Task<CliResult> RunCliAsync(IDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "georisk.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["GEORISK_DB"] = fixture.Database.ConnectionString;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private Task<CliResult> RunCliAsync(params string[] args) => RunCliAsync(null, args);

    private async Task<HttpStatusCode> StatusWithAsync(string token, string path = "/api/areas")
    {
        using var client = fixture.Factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode;
    }

    [Fact]
    public async Task Create_prints_the_key_once_list_never_shows_it_and_revoke_stops_it()
    {
        var created = await RunCliAsync("keys", "create", "--role", "member", "--casustafel", AccessDatabaseFixture.Casustafel, "--label", "cli test");
        Assert.Equal(0, created.ExitCode);
        var token = created.Stdout.Trim();
        Assert.True(ApiKey.TryParse(token, out var key), "stdout is exactly one key");
        Assert.DoesNotContain(token, created.Stderr, StringComparison.Ordinal);
        Assert.Contains(key.Id, created.Stderr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(token, "/api/areas/T-INSIDE"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusWithAsync(token, "/api/areas/T-OUTSIDE"));

        var listed = await RunCliAsync("keys", "list");
        Assert.Equal(0, listed.ExitCode);
        var line = listed.Stdout.Split('\n').Single(l => l.StartsWith(key.Id, StringComparison.Ordinal));
        Assert.Contains("member", line, StringComparison.Ordinal);
        Assert.Contains(AccessDatabaseFixture.Casustafel, line, StringComparison.Ordinal);
        Assert.DoesNotContain(token[17..], listed.Stdout, StringComparison.Ordinal);

        var revoked = await RunCliAsync("keys", "revoke", key.Id);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(token));
        Assert.DoesNotContain(key.Id, (await RunCliAsync("keys", "list")).Stdout, StringComparison.Ordinal);
        Assert.Contains(key.Id, (await RunCliAsync("keys", "list", "--all")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_requests_fail_with_a_message_and_never_echo_a_key()
    {
        var member = await RunCliAsync("keys", "create", "--role", "member");
        Assert.NotEqual(0, member.ExitCode);
        Assert.Contains("casustafel", member.Stderr, StringComparison.Ordinal);

        var unknown = await RunCliAsync("keys", "create", "--role", "member", "--casustafel", "atlantis");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("atlantis", unknown.Stderr, StringComparison.Ordinal);

        var badRole = await RunCliAsync("keys", "create", "--role", "root");
        Assert.NotEqual(0, badRole.ExitCode);

        // Someone pastes the whole key instead of its id.
        var pasted = ApiKey.Generate().Token;
        var revoke = await RunCliAsync("keys", "revoke", pasted);
        Assert.NotEqual(0, revoke.ExitCode);
        Assert.DoesNotContain(pasted[17..], revoke.Stdout + revoke.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_demo_refuses_to_run_in_production()
    {
        var keysFile = Path.Combine(Path.GetTempPath(), $"georisk-keys-{Guid.NewGuid():N}.json");
        var result = await RunCliAsync(new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production" },
            "seed-demo", "--keys-file", keysFile);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Production", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(keysFile));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM signal"));
    }

    [Fact]
    public async Task Demo_keys_are_one_per_role_and_one_member_per_casustafel_and_they_work()
    {
        var keys = await DemoKeys.CreateAsync(fixture.Database.DataSource, CancellationToken.None);

        Assert.Equal(["admin", "analyst", "viewer", $"member-{AccessDatabaseFixture.Casustafel}"], keys.Select(k => k.Name));
        foreach (var key in keys) Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(key.Key));
        var member = keys.Single(k => k.Role == "member");
        Assert.Equal(HttpStatusCode.NotFound, await StatusWithAsync(member.Key, "/api/areas/T-OUTSIDE"));

        // A second run replaces them: the old keys stop, the new ones work.
        var again = await DemoKeys.CreateAsync(fixture.Database.DataSource, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(keys[0].Key));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(again[0].Key));
    }
}
