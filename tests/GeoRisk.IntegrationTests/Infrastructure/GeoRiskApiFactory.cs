using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GeoRisk.IntegrationTests.Infrastructure;

/// <summary>The real API (Program.cs) over a real database, through ASP.NET Core's test host.</summary>
public class GeoRiskApiFactory(string connectionString) : WebApplicationFactory<Program>
{
    public string ConnectionString { get; } = connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:GeoRisk", ConnectionString);
    }
}
