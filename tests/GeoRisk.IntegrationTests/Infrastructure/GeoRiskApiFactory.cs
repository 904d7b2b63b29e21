using System.Globalization;
using System.Net.Http.Headers;
using GeoRisk.Core.Access;
using GeoRisk.Data;
using GeoRisk.Data.Access;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GeoRisk.IntegrationTests.Infrastructure;

/// <summary>
/// The real API (Program.cs) over a real database, through ASP.NET Core's test host.
/// Every endpoint needs an API key: <see cref="WebApplicationFactory{T}.CreateClient()"/>
/// sends an admin key that this factory creates in its database on first use, so tests that
/// are not about access keep working unchanged. <see cref="CreateClientAsync(Role, string[])"/>
/// gives a client with a fresh key of a role and casustafels; <see cref="CreateAnonymousClient"/>
/// one without a key.
/// </summary>
public class GeoRiskApiFactory(string connectionString) : WebApplicationFactory<Program>
{
    /// <summary>
    /// Test keys use few PBKDF2 iterations: the verification path is the same, only cheaper
    /// (the iteration count is stored per key).
    /// </summary>
    public const int TestKeyIterations = 1_000;

    private readonly Lazy<string> _adminKey = new(() => CreateAdminKey(connectionString), LazyThreadSafetyMode.ExecutionAndPublication);

    public string ConnectionString { get; } = connectionString;

    /// <summary>Requests per key per window; tests hammer the API, so the default is effectively unlimited.</summary>
    public int PermitsPerWindow { get; init; } = 1_000_000;

    public int RateLimitWindowSeconds { get; init; } = 60;

    /// <summary>Further configuration settings ("GeoRisk:Access:TrustedProxies:0" = "127.0.0.1").</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra services (e.g. a tile layer definition) on top of Program's.</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    /// <summary>An extra logger (all levels) for tests that inspect what the API logs.</summary>
    public ILoggerProvider? LoggerProvider { get; init; }

    /// <summary>The admin key that <c>CreateClient()</c> sends.</summary>
    public string AdminKey => _adminKey.Value;

    /// <summary>The public id of <see cref="AdminKey"/>.</summary>
    public string AdminKeyId => AdminKey.Substring(ApiKey.Prefix.Length, ApiKey.IdLength);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // The API logs in as the unprivileged application role, as scripts/run.sh and production do;
        // tests arrange their data through ConnectionString (the owner).
        builder.UseSetting("ConnectionStrings:GeoRisk", TestEnvironment.AppConnectionString(ConnectionString));
        builder.UseSetting("GeoRisk:Access:PermitsPerWindow", PermitsPerWindow.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("GeoRisk:Access:WindowSeconds", RateLimitWindowSeconds.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (ExtraServices is { } services) builder.ConfigureServices(services);
        if (LoggerProvider is { } provider)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        }
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    /// <summary>A client with a new key of <paramref name="role"/> bound to <paramref name="casustafels"/>.</summary>
    public async Task<HttpClient> CreateClientAsync(Role role, params string[] casustafels)
    {
        var key = await CreateKeyAsync(role, casustafels);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key.Token);
        return client;
    }

    /// <summary>
    /// A client whose key has the role and casustafels of <paramref name="scope"/> (for tests
    /// written against a <see cref="CallerScope"/>). Suppression follows the role (viewers are
    /// suppressed) and k comes from the database's default scoring profile, as in production;
    /// a scope whose Suppressed or SuppressionK disagree with that is refused.
    /// </summary>
    public async Task<HttpClient> CreateClientAsync(CallerScope scope)
    {
        var role = Roles.Parse(scope.Role);
        var expected = role.ScopeFor(scope.Casustafels ?? [], scope.SuppressionK);
        if (expected.Suppressed != scope.Suppressed)
            throw new ArgumentException($"a {scope.Role} key is {(expected.Suppressed ? "" : "not ")}suppressed", nameof(scope));
        return await CreateClientAsync(role, [.. scope.Casustafels ?? []]);
    }

    /// <summary>Same, with the role by name ("admin", "analyst", "member", "viewer").</summary>
    public Task<HttpClient> CreateClientAsync(string role, params string[] casustafels) =>
        CreateClientAsync(Roles.Parse(role), casustafels);

    /// <summary>Creates a key in the factory's database (for tests that need its id or token).</summary>
    public async Task<CreatedApiKey> CreateKeyAsync(Role role, params string[] casustafels)
    {
        await using var db = GeoRiskDatabase.CreateDataSource(ConnectionString);
        return await new ApiKeyStore(db).CreateAsync(role, casustafels, "integration test", CancellationToken.None, TestKeyIterations);
    }

    /// <summary>Creates a key that belongs to an organisation (source partner code).</summary>
    public async Task<CreatedApiKey> CreateKeyOfPartnerAsync(Role role, string partner, params string[] casustafels)
    {
        await using var db = GeoRiskDatabase.CreateDataSource(ConnectionString);
        return await new ApiKeyStore(db).CreateAsync(role, casustafels, "integration test", CancellationToken.None, TestKeyIterations, partner);
    }

    /// <summary>A client that sends no key.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    // ConfigureClient is synchronous, so this uses Npgsql's synchronous API (no sync-over-async).
    private static string CreateAdminKey(string connectionString)
    {
        var key = ApiKey.Generate();
        var hash = ApiKeyHash.Create(key, TestKeyIterations);
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var insert = new NpgsqlCommand(
            "INSERT INTO api_key (id, role, label, hash, salt, iterations) VALUES ($1, 'admin', 'integration test (factory)', $2, $3, $4)",
            connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = key.Id });
        insert.Parameters.Add(new NpgsqlParameter { Value = hash.Hash });
        insert.Parameters.Add(new NpgsqlParameter { Value = hash.Salt });
        insert.Parameters.Add(new NpgsqlParameter { Value = hash.Iterations });
        insert.ExecuteNonQuery();
        return key.Token;
    }
}
