using System.Net;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;

namespace GeoRisk.IntegrationTests.Effects;

/// <summary>
/// The factsheet's signal counts of the period and the previous period (printed beside the trend
/// when the area has no relative-risk score) against the planted world, for an unrestricted
/// caller and for a member whose reach holds the whole area: both read the area's signal-area
/// pairs, and must count what a point-in-polygon count gives.
/// </summary>
public sealed class FactsheetPeriodCountTests(EffectWorldFixture world) : IClassFixture<EffectWorldFixture>
{
    [Fact]
    public async Task The_period_and_previous_period_counts_are_the_planted_signals_of_the_area()
    {
        var inPeriod = EffectWorldFixture.Sum(EffectWorldFixture.Target, new DateOnly(2025, 1, 1), new DateOnly(2026, 1, 1));
        // The previous period has the same length (366 days: 'to' is inclusive) and ends where the period starts.
        var previous = EffectWorldFixture.Sum(EffectWorldFixture.Target, new DateOnly(2023, 12, 31), new DateOnly(2025, 1, 1));
        var counted = await world.Database.ScalarAsync<long>("""
            SELECT count(*) FROM signal s JOIN area a ON ST_Intersects(a.geom, s.geom)
            WHERE a.code = 'TGT' AND s.observed_at >= '2025-01-01Z' AND s.observed_at < '2026-01-02Z'
            """);
        Assert.Equal(inPeriod, counted);
        using var admin = world.Factory.CreateClient();
        using var member = await world.Factory.CreateClientAsync(Role.Member, "ct-a");
        foreach (var client in new[] { admin, member })
        {
            var response = await client.GetAsync(new Uri("/api/casustafels/ct-a/factsheet.pdf?area=TGT&from=2025-01-01&to=2026-01-01", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var path = Path.Combine(Path.GetTempPath(), $"factsheet-period-{Guid.NewGuid():N}.pdf");
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
            try
            {
                var page1 = ExternalTool.Run("pdftotext", "-f", "1", "-l", "1", path, "-");
                Assert.Contains($"{inPeriod} signalen (vorige periode {previous}", page1, StringComparison.Ordinal);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
