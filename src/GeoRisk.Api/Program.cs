using GeoRisk.Api;
using GeoRisk.Api.Endpoints;
using GeoRisk.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddGeoRiskData();
builder.AddGeoRiskApi();

var app = builder.Build();
app.UseGeoRiskApi();
app.MapHealthEndpoints();
app.MapReferenceEndpoints();
app.MapAreaEndpoints();
app.Run();

/// <summary>Entry point; public so the integration tests can host it.</summary>
public partial class Program;
