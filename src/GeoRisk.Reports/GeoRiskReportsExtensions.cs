using GeoRisk.Reports.Factsheets;
using GeoRisk.Reports.Signaallijst;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GeoRisk.Reports;

public static class GeoRiskReportsExtensions
{
    /// <summary>Signal lists, factsheets and wijkscan reports; needs <c>AddGeoRiskData</c>.</summary>
    public static IHostApplicationBuilder AddGeoRiskReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SignaallijstStore>();
        builder.Services.AddSingleton<FactsheetStore>();
        builder.Services.AddSingleton<Scans.ScanReportRenderer>();
        builder.Services.AddSingleton<GeoRisk.Data.Interventions.InterventionStore>();
        builder.Services.AddSingleton<Effects.EffectReport>();
        builder.Services.AddSingleton<Effects.InterventionSectionCache>();
        return builder;
    }
}
