using GeoRisk.Api;
using GeoRisk.Api.Endpoints;
using GeoRisk.Data;
using GeoRisk.Tiles;

var builder = WebApplication.CreateBuilder(args);
builder.AddGeoRiskData();
builder.AddGeoRiskApi();
builder.AddGeoRiskTiles();

var app = builder.Build();
app.UseGeoRiskApi();
app.MapHealthEndpoints();
app.MapReferenceEndpoints();
app.MapAreaEndpoints();
app.MapTileEndpoints();
app.Run();

/// <summary>Entry point; public so the integration tests can host it.</summary>
public partial class Program;
