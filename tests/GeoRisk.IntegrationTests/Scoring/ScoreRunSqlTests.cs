using GeoRisk.IntegrationTests.Infrastructure;
using Npgsql;

namespace GeoRisk.IntegrationTests.Scoring;

/// <summary>
/// score_run in SQL computes version-1 (percentile) profiles; a relative-risk profile is refused
/// with a hint naming the entry points that score it, instead of storing percentile scores under its name.
/// </summary>
public sealed class ScoreRunSqlTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    [Fact]
    public async Task A_relative_risk_profile_is_refused_and_version_1_still_runs()
    {
        await fixture.Database.ScalarAsync<int>("""
            INSERT INTO area (code, name, kind, geom)
            VALUES ('SR-1', 'Run', 'postcode', ST_Multi(ST_MakeEnvelope(121000, 487000, 121400, 487400, 28992)));
            SELECT 1
            """);
        var e = await Assert.ThrowsAsync<PostgresException>(() =>
            fixture.Database.ScalarAsync<int>("SELECT score_run('riec-standaard', 2, DATE '2026-11-15', NULL)"));
        Assert.Equal(PostgresErrorCodes.FeatureNotSupported, e.SqlState);
        Assert.Contains("relative-risk", e.MessageText, StringComparison.Ordinal);
        Assert.Contains("georisk score run --profile riec-standaard --version 2 --date 2026-11-15", e.Hint, StringComparison.Ordinal);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM score WHERE profile_version = 2"));

        Assert.Equal(1, await fixture.Database.ScalarAsync<int>("SELECT score_run('riec-standaard', 1, DATE '2026-11-15', NULL)"));
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM score WHERE profile_version = 1"));
    }
}
