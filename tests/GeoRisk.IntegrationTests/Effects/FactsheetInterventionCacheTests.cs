using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using GeoRisk.Core.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using GeoRisk.Reports.Effects;
using Microsoft.Extensions.DependencyInjection;

namespace GeoRisk.IntegrationTests.Effects;

/// <summary>
/// The factsheet's intervention section from the in-process cache, over HTTP against the planted
/// world: served again while nothing changed, computed anew after a signal, an intervention or an
/// area changed (also when the change went through another API node or straight into the
/// database), and never shared between callers of different role or scope.
/// </summary>
public sealed partial class FactsheetInterventionCacheTests(EffectWorldFixture world) : IClassFixture<EffectWorldFixture>
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private const string Factsheet = "/api/casustafels/ct-a/factsheet.pdf?area=TGT&from=2025-01-01&to=2026-01-01";

    private static async Task EnsureInterventionAsync(HttpClient admin, string code, string name, string start)
    {
        var existing = await admin.GetAsync(U($"/api/interventions/{code}"));
        if (existing.StatusCode == HttpStatusCode.OK) return;
        var created = await admin.PostAsJsonAsync(U("/api/interventions"), new
        {
            code, name, kind = "sluiting", casustafel = "ct-a", area = "TGT", start_date = start, description = "Panden gesloten.",
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    private sealed record Sheet(string Cache, string Page2);

    private static async Task<Sheet> FactsheetAsync(HttpClient client, string path = Factsheet)
    {
        var response = await client.GetAsync(U(path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var timing = string.Join(", ", response.Headers.GetValues("Server-Timing"));
        var cache = CacheNote().Match(timing);
        Assert.True(cache.Success, $"no interventions_cache in Server-Timing: {timing}");
        var pdf = Path.Combine(Path.GetTempPath(), $"factsheet-cache-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(pdf, await response.Content.ReadAsByteArrayAsync());
        try
        {
            return new Sheet(cache.Groups[1].Value, ExternalTool.Run("pdftotext", "-f", "2", "-l", "2", "-layout", pdf, "-"));
        }
        finally
        {
            File.Delete(pdf);
        }
    }

    /// <summary>The target's before and after counts of the named intervention as printed on page 2.</summary>
    private static (int Before, int After) TargetCounts(string page2, string name)
    {
        var at = page2.IndexOf(name, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{name}' not on page 2:\n{page2}");
        var m = TargetLine().Match(page2, at);
        Assert.True(m.Success, page2);
        return (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_second_factsheet_takes_the_section_from_the_cache_with_the_same_figures()
    {
        using var admin = world.Factory.CreateClient();
        await EnsureInterventionAsync(admin, "cache-tgt", "Sluiting cachepanden", "2025-06-01");
        using var member = await world.Factory.CreateClientAsync(Role.Member, "ct-a");
        var cache = world.Factory.Services.GetRequiredService<InterventionSectionCache>();
        var first = await FactsheetAsync(member);
        var hits = cache.Hits;
        var second = await FactsheetAsync(member);
        Assert.Equal("hit", second.Cache);
        Assert.Equal(hits + 1, cache.Hits);
        Assert.Equal(first.Page2, second.Page2);
        // The planted world's counts, as computed without the cache.
        var before = EffectWorldFixture.Sum(EffectWorldFixture.Target, new DateOnly(2024, 12, 1), new DateOnly(2025, 6, 1));
        var after = EffectWorldFixture.Sum(EffectWorldFixture.Target, new DateOnly(2025, 6, 1), new DateOnly(2025, 11, 30));
        Assert.Equal((before, after), TargetCounts(second.Page2, "Sluiting cachepanden"));
    }

    [Fact]
    public async Task New_signals_in_the_area_are_counted_in_the_next_factsheet()
    {
        using var admin = world.Factory.CreateClient();
        await EnsureInterventionAsync(admin, "cache-tgt", "Sluiting cachepanden", "2025-06-01");
        using var member = await world.Factory.CreateClientAsync(Role.Member, "ct-a");
        await FactsheetAsync(member);
        var cached = await FactsheetAsync(member);
        Assert.Equal("hit", cached.Cache);
        var (before, after) = TargetCounts(cached.Page2, "Sluiting cachepanden");

        // Straight into the database, as a script or another process would: the trigger bumps the version.
        await using (var insert = world.Database.DataSource.CreateCommand("""
            INSERT INTO signal (source, external_id, category, observed_at, reliability, geom)
            SELECT 'politie', 'cache-extra-' || g, 'drugshandel', timestamptz '2025-07-20 12:00 Europe/Amsterdam', 0.8,
                   ST_SetSRID(ST_MakePoint(120100 + g, 487100 + g), 28992)
            FROM generate_series(1, 7) g
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }
        var fresh = await FactsheetAsync(member);
        Assert.Equal("miss", fresh.Cache);
        Assert.Equal((before, after + 7), TargetCounts(fresh.Page2, "Sluiting cachepanden"));

        // And removed again: the count goes back.
        await using (var delete = world.Database.DataSource.CreateCommand("DELETE FROM signal WHERE external_id LIKE 'cache-extra-%'"))
        {
            await delete.ExecuteNonQueryAsync();
        }
        var back = await FactsheetAsync(member);
        Assert.Equal("miss", back.Cache);
        Assert.Equal((before, after), TargetCounts(back.Page2, "Sluiting cachepanden"));
    }

    [Fact]
    public async Task An_intervention_created_through_another_api_node_appears_in_the_next_factsheet()
    {
        using var admin = world.Factory.CreateClient();
        await EnsureInterventionAsync(admin, "cache-tgt", "Sluiting cachepanden", "2025-06-01");
        using var member = await world.Factory.CreateClientAsync(Role.Member, "ct-a");
        await FactsheetAsync(member);
        Assert.Equal("hit", (await FactsheetAsync(member)).Cache);

        // A second API process on the same database, with a cache of its own.
        using var nodeB = new GeoRiskApiFactory(world.Database.ConnectionString);
        using var adminB = nodeB.CreateClient();
        var name = $"Cameratoezicht {Guid.NewGuid():N}"[..24];
        var code = $"cache-cam-{Guid.NewGuid():N}"[..20];
        var created = await adminB.PostAsJsonAsync(U("/api/interventions"), new
        {
            code, name, kind = "cameratoezicht", casustafel = "ct-a", area = "TGT", start_date = "2025-06-01", description = "",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var fresh = await FactsheetAsync(member);
        Assert.Equal("miss", fresh.Cache);
        Assert.Contains(name, fresh.Page2, StringComparison.Ordinal);

        // An edit (a new version with another name) through node B: the old name goes.
        var renamed = name.Replace("Cameratoezicht", "Camerabewaking", StringComparison.Ordinal);
        var edited = await adminB.PutAsJsonAsync(U($"/api/interventions/{code}"), new
        {
            name = renamed, kind = "cameratoezicht", casustafel = "ct-a", area = "TGT", start_date = "2025-06-01", description = "",
        });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var after = await FactsheetAsync(member);
        Assert.Equal("miss", after.Cache);
        Assert.Contains(renamed, after.Page2, StringComparison.Ordinal);
        Assert.DoesNotContain(name, after.Page2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callers_of_another_role_or_scope_never_share_an_entry()
    {
        using var admin = world.Factory.CreateClient();
        await EnsureInterventionAsync(admin, "cache-tgt", "Sluiting cachepanden", "2025-06-01");
        // A change first, so that every caller below starts from an empty cache.
        await using (var touch = world.Database.DataSource.CreateCommand("UPDATE intervention_kind SET sort_order = sort_order WHERE code = 'overig'"))
        {
            await touch.ExecuteNonQueryAsync();
        }
        using var member = await world.Factory.CreateClientAsync(Role.Member, "ct-a");
        using var memberOfBoth = await world.Factory.CreateClientAsync(Role.Member, "ct-a", "ct-b");
        using var analyst = await world.Factory.CreateClientAsync(Role.Analyst);
        Assert.Equal("miss", (await FactsheetAsync(admin)).Cache);
        Assert.Equal("hit", (await FactsheetAsync(admin)).Cache);
        foreach (var client in new[] { member, memberOfBoth, analyst })
        {
            Assert.Equal("miss", (await FactsheetAsync(client)).Cache);
            Assert.Equal("hit", (await FactsheetAsync(client)).Cache);
        }
        // The language is part of the key as well.
        Assert.Equal("miss", (await FactsheetAsync(member, Factsheet + "&lang=en")).Cache);

        // Suppressed callers (viewers) get no factsheet at all, cached or not.
        using var viewer = await world.Factory.CreateClientAsync(Role.Viewer, "ct-a");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync(U(Factsheet))).StatusCode);
    }

    [GeneratedRegex("interventions_cache;desc=\"(hit|miss)\"")]
    private static partial Regex CacheNote();

    [GeneratedRegex(@"doelgebied (\d+) → (\d+)")]
    private static partial Regex TargetLine();
}
