using GeoRisk.Api;
using GeoRisk.Api.Access;
using GeoRisk.Api.Endpoints;
using GeoRisk.Api.Ogc;
using GeoRisk.Data;
using GeoRisk.Tiles;

var builder = WebApplication.CreateBuilder(args);
builder.AddGeoRiskData();
builder.AddGeoRiskApi();
builder.AddGeoRiskTiles();
builder.AddGeoRiskWebMap();
builder.AddGeoRiskIntakeApi();
builder.AddGeoRiskAuth();
builder.AddGeoRiskOgc();

var app = builder.Build();
app.UseGeoRiskApi();
app.UseGeoRiskAuth();
app.MapHealthEndpoints();
app.MapReferenceEndpoints();
app.MapAreaEndpoints();
app.MapTileEndpoints();
app.MapWebMap();
app.MapCasustafelEndpoints();
app.MapRiskEndpoints();
app.MapScanEndpoints();
app.MapProfileEndpoints();
app.MapPortEndpoints();
app.MapIntakeEndpoints();
app.MapBoundaryEndpoints();
app.MapKeyEndpoints();
app.MapAuditEndpoints();
app.MapOgcEndpoints();
app.MapInterventionEndpoints();
app.MapRtmEndpoints();
app.Run();

/// <summary>Entry point; public so the integration tests can host it.</summary>
public partial class Program;
