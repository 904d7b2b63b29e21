using System.Diagnostics;
using System.Globalization;
using GeoRisk.Core.Scans;
using GeoRisk.Data.Ogc;
using GeoRisk.Data.Scans;
using Npgsql;
using NpgsqlTypes;
using GeoRisk.IntegrationTests.Infrastructure;
using static GeoRisk.IntegrationTests.Scans.ScanWorld;

namespace GeoRisk.IntegrationTests.Scans;

/// <summary>Scan run, freezing, verify and comparison on a hand-built gemeente of four buurten (real PostGIS).</summary>
public sealed class WijkscanTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private ScanStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _store = new ScanStore(_db.DataSource);
        await CreateAsync(_db);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_scan_of_four_buurten_matches_the_hand_computation()
    {
        // BU1: 10 signals from two partners; BU2, BU3: 5; BU4: none in the window; BU5 (outside): 10.
        await AddSignalsAsync(_db, "BU1", 6, WindowTo);
        await AddSignalsAsync(_db, "BU1", 4, WindowTo, source: "gemeente", category: "witwassen");
        await AddSignalsAsync(_db, "BU2", 5, WindowTo);
        await AddSignalsAsync(_db, "BU2", 3, WindowTo, category: "burgermelding"); // weight 0: not counted
        await AddSignalsAsync(_db, "BU3", 5, WindowTo);
        await AddSignalsAsync(_db, "BU4", 7, PreviousWindowTo); // before the window
        await AddSignalsAsync(_db, "BU5", 10, WindowTo);

        var outcome = await _store.RunAsync(Request("hand", WindowTo), CancellationToken.None);
        Assert.Equal(ScanRunStatus.Stored, outcome.Status);
        Assert.Equal(4, outcome.Scan!.SubAreas);
        Assert.Equal(new DateOnly(2025, 7, 1), outcome.Scan.WindowFrom);
        var rows = (await _store.GetAsync("hand", null, CancellationToken.None))!.Rows.ToDictionary(r => r.Code);
        Assert.Equal(["BU1", "BU2", "BU3", "BU4"], rows.Keys.Order());

        // Parent: 20 signals over 4 km² → 5 expected per buurt; region: 30 over 5 km² → 6.
        (string Code, int N, double Rr, double RrRegion, int Rank)[] expected =
            [("BU1", 10, 2.0, 10 / 6.0, 1), ("BU2", 5, 1.0, 5 / 6.0, 2), ("BU3", 5, 1.0, 5 / 6.0, 3), ("BU4", 0, 0.0, 0.0, 4)];
        foreach (var (code, n, rr, rrRegion, rank) in expected)
        {
            var r = rows[code];
            Assert.Equal(n, r.SignalCount);
            Assert.Equal(1.0, r.Denominator, 9);
            Assert.Equal("per km2", r.DenominatorUnit);
            Assert.Equal(5.0, r.ExpectedParent!.Value, 9);
            Assert.Equal(6.0, r.ExpectedRegion!.Value, 9);
            Assert.Equal(rr, r.RrParent!.Value, 9);
            Assert.Equal(rrRegion, r.RrRegion!.Value, 9);
            Assert.Equal(rank, r.Rank);
            var (low, high) = RateStatistics.ByarInterval(n);
            Assert.Equal(low / 5, r.RrParentLow!.Value, 9);
            Assert.Equal(high / 5, r.RrParentHigh!.Value, 9);
            Assert.False(r.NoData);
        }
        Assert.Equal(new Dictionary<string, int> { ["drugshandel"] = 6, ["witwassen"] = 4 }, rows["BU1"].Counts);
        Assert.Equal(2, rows["BU1"].SourceCount);
        // Byar by hand for n = 10, z = 1.645: 10 (1 − 1/90 − 1.645 / (3 √10))³ = 5.42 → 1.08 > 1: kandidaat.
        Assert.InRange(rows["BU1"].RrParentLow!.Value, 1.08, 1.09);
        Assert.True(rows["BU1"].Kandidaat);
        Assert.False(rows["BU2"].Kandidaat); // one source, interval covers 1
        Assert.All(new[] { "BU2", "BU3", "BU4" }, c => Assert.False(rows[c].Kandidaat));
    }

    [Fact]
    public async Task A_Poisson_Gamma_scan_shrinks_towards_the_parent_as_computed_by_hand_and_verifies()
    {
        // The counts of the hand-computed scan above: 10, 5, 5, 0 against 5 expected (parent) and 6 (region).
        await AddSignalsAsync(_db, "BU1", 6, WindowTo);
        await AddSignalsAsync(_db, "BU1", 4, WindowTo, source: "gemeente", category: "witwassen");
        await AddSignalsAsync(_db, "BU2", 5, WindowTo);
        await AddSignalsAsync(_db, "BU3", 5, WindowTo);
        await AddSignalsAsync(_db, "BU5", 10, WindowTo);
        var outcome = await _store.RunAsync(Request("posterior", WindowTo) with { Model = ScanModel.PoissonGammaV2 }, CancellationToken.None);
        Assert.Equal(ScanRunStatus.Stored, outcome.Status);
        Assert.Equal("rr-poisson-gamma-2", outcome.Scan!.Model);
        var rows = (await _store.GetAsync("posterior", null, CancellationToken.None))!.Rows.ToDictionary(r => r.Code);

        // α by the method of moments, by hand. Parent: Σ E (O/E − 1)² / Σ E − 1/Ē = (5·1 + 0 + 0 + 5·1) / 20 − 1/5 = 0.3, α = 10/3.
        // Region: (6·(2/3)² + 2·6·(1/6)² + 6·1) / 24 − 1/6 = 0.375 − 1/6, α = 4.8.
        const double alphaParent = 10.0 / 3, alphaRegion = 4.8;
        (string Code, int N, double Mean)[] expected = [("BU1", 10, 1.6), ("BU2", 5, 1.0), ("BU3", 5, 1.0), ("BU4", 0, 0.4)];
        // The interval: SciPy's Gamma quantiles of the posterior Gamma(α + O, α + E).
        var quantiles = RunPython("from scipy.stats import gamma\n" + string.Join("\n", expected.Select(e => string.Create(CultureInfo.InvariantCulture,
            $"print(repr(gamma.ppf(0.05, {alphaParent + e.N:R}, scale=1/{alphaParent + 5:R})), repr(gamma.ppf(0.95, {alphaParent + e.N:R}, scale=1/{alphaParent + 5:R})))"))))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            var (code, n, mean) = expected[i];
            var r = rows[code];
            Assert.Equal(n, r.SignalCount);
            Assert.Equal(5.0, r.ExpectedParent!.Value, 9);
            Assert.Equal(mean, r.RrParent!.Value, 9);
            Assert.Equal((alphaRegion + n) / (alphaRegion + 6), r.RrRegion!.Value, 9);
            Assert.Equal(quantiles[i][0], r.RrParentLow!.Value, 1e-7);
            Assert.Equal(quantiles[i][1], r.RrParentHigh!.Value, 1e-7);
            Assert.Equal(i + 1, r.Rank);
        }
        // Shrinkage: ten signals where five are expected are no longer a clear excess (the count model's Byar bound was 1.08).
        Assert.InRange(rows["BU1"].RrParentLow!.Value, 0.8, 1.0);
        Assert.All(rows.Values, r => Assert.False(r.Kandidaat));

        // Verify recomputes the counting and the posterior from the frozen inputs; a signal imported later changes nothing.
        await AddSignalsAsync(_db, "BU4", 5, WindowTo);
        var verification = await _store.VerifyAsync(outcome.Scan, CancellationToken.None);
        Assert.Equal((4, 4), (verification.Compared, verification.Identical));
        await ExecAsync(_db, "DELETE FROM signal WHERE id = (SELECT min(s.id) FROM signal s JOIN area a ON a.code = 'BU2' AND ST_Intersects(a.geom, s.geom))");
        Assert.Contains("BU2", (await _store.VerifyAsync(outcome.Scan, CancellationToken.None)).Differing);
    }

    [Fact]
    public async Task Hot_spot_cells_bin_every_counted_signal_as_hex_q_and_hex_r_do_even_across_the_groups_counted_apart()
    {
        // A cluster straddling the BU1/BU2 border (alternate buurten are counted in different groups,
        // so its hexagon gets signals from both) and a few signals spread over the four buurten.
        await AddSignalsAsync(_db, "BU1", 15, WindowTo, dx: 990, dy: 500);
        await AddSignalsAsync(_db, "BU2", 15, WindowTo, dx: 10, dy: 500);
        await AddSignalsAsync(_db, "BU1", 15, WindowTo, dx: 800, dy: 650);
        await AddSignalsAsync(_db, "BU2", 15, WindowTo, dx: 200, dy: 350);
        foreach (var code in new[] { "BU1", "BU2", "BU3", "BU4" })
            for (var k = 0; k < 4; k++) await AddSignalsAsync(_db, code, 1, WindowTo, dx: 120 + 230 * k, dy: 150 + 170 * k);
        await AddSignalsAsync(_db, "BU3", 3, WindowTo, category: "burgermelding", dx: 500, dy: 500); // weight 0: not binned

        await _store.RunAsync(Request("hot", WindowTo), CancellationToken.None);
        var rows = (await _store.GetAsync("hot", null, CancellationToken.None))!.Rows.ToDictionary(r => r.Code);
        Assert.True(rows["BU1"].HotspotCells + rows["BU2"].HotspotCells > 0, "the border cluster is a hot spot");

        // The hexagon counts the scan bins (per group, summed) against hex_q/hex_r of each counted
        // signal's own point: same cells, same counts.
        var differing = await _db.ScalarAsync<long>("""
            WITH s AS (SELECT * FROM scan WHERE name = 'hot'),
            subs AS (SELECT sa.area_id FROM scan_area sa JOIN s ON sa.scan_id = s.id),
            args AS (SELECT s.window_from::timestamp AT TIME ZONE 'Europe/Amsterdam' AS ws,
                            (s.window_to + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam' AS we, s.cutoff
                     FROM s),
            binned AS (
                SELECT g.q, g.r, sum(g.cell_n) AS n
                FROM subs CROSS JOIN args
                CROSS JOIN LATERAL scan_pair_groups(ARRAY[subs.area_id], ARRAY['drugshandel', 'witwassen'], args.ws, args.we, args.cutoff, 250) g
                WHERE g.id IS NULL GROUP BY g.q, g.r),
            direct AS (
                SELECT hex_q(250, ST_X(sg.geom), ST_Y(sg.geom)) AS q, hex_r(250, ST_X(sg.geom), ST_Y(sg.geom)) AS r, count(*)::numeric AS n
                FROM signal sg JOIN area a ON a.id IN (SELECT area_id FROM subs) AND ST_Intersects(a.geom, sg.geom)
                CROSS JOIN args
                WHERE sg.category IN ('drugshandel', 'witwassen') AND sg.observed_at >= args.ws AND sg.observed_at < args.we
                GROUP BY 1, 2)
            SELECT (SELECT count(*) FROM (SELECT * FROM binned EXCEPT SELECT * FROM direct) x)
                 + (SELECT count(*) FROM (SELECT * FROM direct EXCEPT SELECT * FROM binned) x)
                 + CASE WHEN (SELECT count(*) FROM direct) > 10 THEN 0 ELSE 1000 END
            """);
        Assert.Equal(0, differing);
    }

    [Fact]
    public async Task A_signal_imported_after_the_cut_off_does_not_change_verify_but_a_changed_one_does()
    {
        await AddSignalsAsync(_db, "BU1", 12, WindowTo);
        await AddSignalsAsync(_db, "BU2", 6, WindowTo);
        await _store.RunAsync(Request("frozen", WindowTo), CancellationToken.None);
        var header = (await _store.HeaderAsync("frozen", null, CancellationToken.None))!;

        // Observed inside the window, imported after the cut-off.
        await AddSignalsAsync(_db, "BU1", 3, WindowTo);
        var verification = await _store.VerifyAsync(header, CancellationToken.None);
        Assert.Equal(4, verification.Compared);
        Assert.Equal(4, verification.Identical);
        Assert.Empty(verification.Differing);

        // A new scan does see it.
        await _store.RunAsync(Request("later-cutoff", WindowTo), CancellationToken.None);
        var later = (await _store.GetAsync("later-cutoff", null, CancellationToken.None))!;
        Assert.Equal(15, later.Rows.Single(r => r.Code == "BU1").SignalCount);

        // Verify is not blind: deleting a frozen signal shows up as a difference.
        await ExecAsync(_db, "DELETE FROM signal WHERE id = (SELECT min(s.id) FROM signal s JOIN area a ON a.code = 'BU2' AND ST_Intersects(a.geom, s.geom))");
        verification = await _store.VerifyAsync(header, CancellationToken.None);
        Assert.Contains("BU2", verification.Differing);
        Assert.True(verification.Identical < 4);
    }

    [Fact]
    public async Task A_doubled_buurt_is_significant_up_with_p_values_as_SciPy_computes_them()
    {
        foreach (var b in new[] { "BU1", "BU2", "BU3", "BU4" }) await AddSignalsAsync(_db, b, 100, PreviousWindowTo);
        await AddSignalsAsync(_db, "BU1", 200, WindowTo);
        foreach (var b in new[] { "BU2", "BU3", "BU4" }) await AddSignalsAsync(_db, b, 100, WindowTo);
        await _store.RunAsync(Request("nulmeting", PreviousWindowTo), CancellationToken.None);
        Assert.True(await _store.SetBaselineAsync("nulmeting", CancellationToken.None));
        await _store.RunAsync(Request("herhaling", WindowTo), CancellationToken.None);

        var later = (await _store.GetAsync("herhaling", null, CancellationToken.None))!;
        Assert.Equal("nulmeting", await _store.BaselineOfAsync(later.Header, CancellationToken.None));
        var baseline = (await _store.GetAsync("nulmeting", null, CancellationToken.None))!;
        var changes = (await _store.CompareAsync(baseline, later, CancellationToken.None)).ToDictionary(c => c.LaterCodes.Single());

        Assert.Equal(ChangeClass.SignificantUp, changes["BU1"].Class);
        Assert.Equal(1.6, changes["BU1"].RrRatio!.Value, 9); // RR 1.0 → 200 / 125
        foreach (var b in new[] { "BU2", "BU3", "BU4" })
        {
            Assert.Equal(ChangeClass.NoChange, changes[b].Class); // RR 1.0 → 0.8 on 100 + 100 signals: within chance after BH
            Assert.Equal(0.8, changes[b].RrRatio!.Value, 9);
            Assert.Equal(BoundaryMatch.Same, changes[b].Match);
        }

        // Reference: SciPy's exact binomial test (as R's poisson.test) and Benjamini-Hochberg by its definition.
        var order = new[] { "BU1", "BU2", "BU3", "BU4" };
        var args = string.Join(",", order.Select(b => string.Create(CultureInfo.InvariantCulture,
            $"({changes[b].LaterCount},{changes[b].LaterCount + changes[b].BaselineCount},{changes[b].LaterExpected!.Value / (changes[b].LaterExpected!.Value + changes[b].BaselineExpected!.Value):R})")));
        var reference = RunPython($$"""
            from scipy.stats import binomtest
            cases = [{{args}}]
            p = [binomtest(k, n, q).pvalue for k, n, q in cases]
            m = len(p); order = sorted(range(m), key=lambda i: p[i]); adj = [0.0] * m; run = 1.0
            for rank in range(m, 0, -1):
                i = order[rank - 1]; run = min(run, p[i] * m / rank); adj[i] = min(1.0, run)
            print(" ".join(repr(x) for x in p)); print(" ".join(repr(x) for x in adj))
            """);
        var lines = reference.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var p = lines[0].Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var adj = lines[1].Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            Assert.Equal(p[i], changes[order[i]].P!.Value, 1e-10);
            Assert.Equal(adj[i], changes[order[i]].PAdjusted!.Value, 1e-10);
        }
        Assert.True(p[0] < 0.01);
    }

    [Fact]
    public async Task A_buurt_split_between_two_scans_is_compared_on_its_union()
    {
        foreach (var b in new[] { "BU1", "BU2", "BU3", "BU4" }) await AddSignalsAsync(_db, b, 20, PreviousWindowTo);
        await _store.RunAsync(Request("voor", PreviousWindowTo), CancellationToken.None);
        // BU2 is split into a west and an east half from 2025-07-01; its signals lie in the west half.
        await ExecAsync(_db, "UPDATE area SET valid_to = DATE '2025-07-01' WHERE code = 'BU2'");
        var (x, y) = Corner["BU2"];
        await AddAreaAsync(_db, "BU2A", "buurt", x, y, 500, 1000, "2025-07-01");
        await AddAreaAsync(_db, "BU2B", "buurt", x + 500, y, 500, 1000, "2025-07-01");
        foreach (var b in new[] { "BU1", "BU2", "BU3", "BU4" }) await AddSignalsAsync(_db, b, 20, WindowTo);
        await AddSignalsAsync(_db, "BU2", 10, WindowTo, dx: 700); // east half

        await _store.RunAsync(Request("na", WindowTo), CancellationToken.None);
        var before = (await _store.GetAsync("voor", null, CancellationToken.None))!;
        var after = (await _store.GetAsync("na", null, CancellationToken.None))!;
        Assert.Equal(["BU1", "BU2A", "BU2B", "BU3", "BU4"], after.Rows.Select(r => r.Code).Order());
        var changes = await _store.CompareAsync(before, after, CancellationToken.None);
        Assert.Equal(4, changes.Count);
        var split = changes.Single(c => c.BaselineCodes.SequenceEqual(["BU2"]));
        Assert.Equal(["BU2A", "BU2B"], split.LaterCodes);
        Assert.Equal(BoundaryMatch.Split, split.Match);
        Assert.Equal(20, split.BaselineCount);
        Assert.Equal(30, split.LaterCount);
        Assert.Equal(after.Rows.Where(r => r.Code.StartsWith("BU2", StringComparison.Ordinal)).Sum(r => r.ExpectedParent!.Value), split.LaterExpected!.Value, 9);
        Assert.NotNull(split.P);
        Assert.DoesNotContain(changes, c => c.Class is ChangeClass.New or ChangeClass.Gone);

        // The old scan is still readable and reproducible with the old boundary.
        var verification = await _store.VerifyAsync(before.Header, CancellationToken.None);
        Assert.Equal(4, verification.Identical);
    }

    [Fact]
    public async Task Stored_comparisons_equal_the_computed_ones_follow_the_nulmeting_and_go_with_a_deleted_scan()
    {
        foreach (var b in new[] { "BU1", "BU2", "BU3", "BU4" }) await AddSignalsAsync(_db, b, 100, PreviousWindowTo);
        await AddSignalsAsync(_db, "BU1", 200, WindowTo);
        foreach (var b in new[] { "BU2", "BU3", "BU4" }) await AddSignalsAsync(_db, b, 100, WindowTo);
        await _store.RunAsync(Request("eerste", PreviousWindowTo), CancellationToken.None);
        await _store.RunAsync(Request("tweede", WindowTo), CancellationToken.None);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM scan_comparison"));

        // Marking the nulmeting stores the other scan's comparison with it; a scan stored later is compared when stored.
        Assert.True(await _store.SetBaselineAsync("eerste", CancellationToken.None));
        await AssertServedAsync(("tweede", "eerste"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM scan_comparison WHERE class = 'significant-up' AND code = 'BU1'"));
        await _store.RunAsync(Request("derde", WindowTo), CancellationToken.None);
        await AssertServedAsync(("derde", "eerste"), ("tweede", "eerste"));

        // Another nulmeting: nothing against the old one is served (or kept).
        Assert.True(await _store.SetBaselineAsync("tweede", CancellationToken.None));
        await AssertServedAsync(("derde", "tweede"), ("eerste", "tweede"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM scan_comparison c JOIN scan b ON b.id = c.baseline_scan_id WHERE b.name = 'eerste'"));

        // A deleted scan takes its comparisons with it; deleting the nulmeting leaves none.
        await ExecAsync(_db, "DELETE FROM scan WHERE name = 'derde'");
        await AssertServedAsync(("eerste", "tweede"));
        await ExecAsync(_db, "DELETE FROM scan WHERE name = 'tweede'");
        await AssertServedAsync();
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM scan_comparison"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = _db.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>What the OGC collection's source serves (unrestricted) is exactly the comparisons of these pairs, as CompareAsync computes them.</summary>
    private async Task AssertServedAsync(params (string Later, string Baseline)[] pairs)
    {
        var served = new List<(string Later, string Baseline, string Code, string Class, double? Ratio, double? P, double? Q, long? N)>();
        await using (var command = _db.DataSource.CreateCommand(
            $"SELECT s.scan, s.baseline, s.code, s.class, s.rr_ratio, s.p, s.p_adjusted, s.later_signals FROM ({OgcFeatureStore.Source(OgcCollections.ScanComparisons)}) s ORDER BY 1, 3"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                served.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetDouble(5),
                    reader.IsDBNull(6) ? null : reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetInt64(7)));
        }
        var expected = new List<(string, string, string, string, double?, double?, double?, long?)>();
        foreach (var (later, baseline) in pairs.OrderBy(p => p.Later, StringComparer.Ordinal))
        {
            var changes = await _store.CompareAsync((await _store.GetAsync(baseline, null, CancellationToken.None))!,
                (await _store.GetAsync(later, null, CancellationToken.None))!, CancellationToken.None);
            expected.AddRange(changes.Select(c => (later, baseline, (c.LaterCodes.Count > 0 ? c.LaterCodes : c.BaselineCodes)[0], c.Class, c.RrRatio, c.P, c.PAdjusted, c.LaterCount)));
        }
        Assert.Equal(expected, served);
    }

    private static string RunPython(string script)
    {
        // Debian's python3 carries python3-scipy (scripts/test.sh installs it).
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "python3 failed: " + error);
        return output;
    }
}
