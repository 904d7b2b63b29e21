using System.Net;
using System.Net.Http.Headers;
using GeoRisk.Core.Access;
using GeoRisk.Data.Access;
using GeoRisk.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GeoRisk.IntegrationTests.Access;

/// <summary>
/// The local audit journal (GeoRisk:Audit:JournalDirectory): an answer is sent once its row is in
/// the journal, the journal reaches audit_log on shutdown, a journal found at start-up is shipped
/// (replay), and shipping the same rows again adds none. The kill test is in <see cref="AuditBatchTests"/>.
/// </summary>
public sealed class AuditJournalTests(TestDatabaseFixture fixture) : IClassFixture<TestDatabaseFixture>
{
    private const int Requests = 20;

    private GeoRiskApiFactory Factory(string journal) => new(fixture.Database.ConnectionString)
    {
        Settings = new Dictionary<string, string?>
        {
            ["GeoRisk:Audit:JournalDirectory"] = journal,
            // Only the start-up round and the shutdown ship: what the table holds in between is
            // what those two did.
            ["GeoRisk:Audit:ShipInterval"] = "01:00:00",
            ["Tiles:Cache:Enabled"] = "false",
        },
    };

    private async Task<long> AuditRowsAsync(string keyId)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(
            "SELECT count(*) FROM audit_log WHERE key_id = $1 AND layer = 'areas' AND z = 11");
        command.Parameters.Add(new NpgsqlParameter { Value = keyId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static List<string> Segments(string journal) =>
        Directory.EnumerateFiles(journal, "audit-*.jnl").Order(StringComparer.Ordinal).ToList();

    /// <summary>Journal lines of the key, read while the writer still has the segment open.</summary>
    private static int JournaledRows(string journal, string keyId) =>
        Segments(journal).Sum(path =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Count(line => line.Contains($"\"key\":\"{keyId}\"", StringComparison.Ordinal));
        });

    private static async Task ReadTilesAsync(GeoRiskApiFactory factory, CreatedApiKey key)
    {
        using var client = factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key.Token);
        var statuses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
            (await client.GetAsync(new Uri($"/tiles/areas/11/{i}/9.mvt", UriKind.Relative))).StatusCode));
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.NoContent, $"status {s}"));
    }

    [Fact]
    public async Task Answers_wait_for_the_journal_and_a_graceful_shutdown_ships_every_row()
    {
        var journal = Directory.CreateTempSubdirectory("georisk-journal-");
        try
        {
            CreatedApiKey key;
            await using (var factory = Factory(journal.FullName))
            {
                key = await factory.CreateKeyAsync(Role.Admin);
                await ReadTilesAsync(factory, key);
                // Every answered read is in the journal; none has reached the table yet.
                Assert.Equal(Requests, JournaledRows(journal.FullName, key.Info.Id));
                Assert.Equal(0, await AuditRowsAsync(key.Info.Id));
            }
            Assert.Equal(Requests, await AuditRowsAsync(key.Info.Id));
            Assert.Empty(Segments(journal.FullName));
        }
        finally
        {
            journal.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_journal_found_at_start_up_is_shipped_and_rows_already_shipped_are_not_doubled()
    {
        var journal = Directory.CreateTempSubdirectory("georisk-journal-");
        var saved = Directory.CreateTempSubdirectory("georisk-journal-copy-");
        try
        {
            CreatedApiKey key;
            await using (var factory = Factory(journal.FullName))
            {
                key = await factory.CreateKeyAsync(Role.Admin);
                await ReadTilesAsync(factory, key);
                // What a crash between shipping and deleting the segment would leave behind.
                foreach (var segment in Segments(journal.FullName))
                {
                    await using var from = new FileStream(segment, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                    await using var to = File.Create(Path.Combine(saved.FullName, Path.GetFileName(segment)));
                    await from.CopyToAsync(to);
                }
            }
            Assert.Equal(Requests, await AuditRowsAsync(key.Info.Id));
            foreach (var copy in Directory.EnumerateFiles(saved.FullName))
                File.Copy(copy, Path.Combine(journal.FullName, Path.GetFileName(copy)));
            Assert.NotEmpty(Segments(journal.FullName));

            await using (var factory = Factory(journal.FullName))
            {
                var writer = factory.Services.GetRequiredService<AuditWriter>();
                var replay = System.Diagnostics.Stopwatch.StartNew();
                while (writer.Shipped < Requests && replay.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
                Assert.Equal(Requests, writer.Shipped);
            }
            Assert.Equal(Requests, await AuditRowsAsync(key.Info.Id));
            Assert.Empty(Segments(journal.FullName));
        }
        finally
        {
            journal.Delete(recursive: true);
            saved.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_torn_last_line_is_left_out_and_every_whole_line_is_read_back()
    {
        var journal = Directory.CreateTempSubdirectory("georisk-journal-");
        try
        {
            var rows = new[]
            {
                new JournalRow(Guid.CreateVersion7(), DateTime.UtcNow, new AuditEntry("abc123def456", "member", ["ct-a", "ct-b"], "GET /tiles/{layer}/{z}/{x}/{y}.mvt", 7) { Layer = "areas", Z = 11, X = 3, Y = 9 }),
                new JournalRow(Guid.CreateVersion7(), DateTime.UtcNow, new AuditEntry(null, "admin", null, "cli export", null) { Area = "PC4-1012" }),
            };
            using (var open = AuditJournal.Open(journal.FullName, fsync: true)) open.Append(rows);
            var segment = Segments(journal.FullName).Single();
            // The write a killed process died in: no newline, so none of its requests was answered.
            File.AppendAllText(segment, "{\"id\":\"0190");

            var read = AuditJournal.Read(segment);
            Assert.Equal(rows.Select(r => r.RequestId), read.Select(r => r.RequestId));
            Assert.Equal(["ct-a", "ct-b"], read[0].Entry.Casustafels!);
            Assert.Equal((rows[0].Entry.Layer, rows[0].Entry.Z, rows[0].Entry.X, rows[0].Entry.Y, rows[0].Entry.Rows), (read[0].Entry.Layer, read[0].Entry.Z, read[0].Entry.X, read[0].Entry.Y, read[0].Entry.Rows));
            Assert.Equal((null, "admin", "PC4-1012", (long?)null), (read[1].Entry.KeyId, read[1].Entry.Role, read[1].Entry.Area, read[1].Entry.Rows));
            Assert.Equal(rows[1].At, read[1].At);
        }
        finally
        {
            journal.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_second_process_cannot_open_the_same_journal()
    {
        var journal = Directory.CreateTempSubdirectory("georisk-journal-");
        try
        {
            using (AuditJournal.Open(journal.FullName, fsync: true))
            {
                var e = Assert.Throws<InvalidOperationException>(() => AuditJournal.Open(journal.FullName, fsync: true));
                Assert.Contains("JournalDirectory", e.Message, StringComparison.Ordinal);
            }
            // Released with the first: the next process opens it.
            using (AuditJournal.Open(journal.FullName, fsync: true)) { }
        }
        finally
        {
            journal.Delete(recursive: true);
        }
    }
}
