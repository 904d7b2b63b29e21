using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using GeoRisk.Core.Intake;
using GeoRisk.Core.Privacy;
using GeoRisk.Data.Hexbins;
using GeoRisk.Data.Intake;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Cli;

/// <summary>
/// <c>georisk bench intake</c>: the intake benchmark behind scripts/bench-intake.sh.
/// Measures, in one run on one database: raw binary COPY of prepared rows straight into
/// <c>signal</c> (the floor), the privacy gate alone, and the end-to-end import of the CSV file.
/// It empties the signal table: run it only on a benchmark database.
/// </summary>
internal static class BenchCommands
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks (development; they empty tables of the database they run on)");
        var rows = new Option<int>("--rows") { Description = "Number of synthetic signals", DefaultValueFactory = _ => 1_000_000 };
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Where to write the synthetic CSV", DefaultValueFactory = _ => new DirectoryInfo(Path.GetTempPath()) };
        var iKnow = new Option<bool>("--i-know") { Description = "Confirm that the signal table of the benchmark database may be emptied" };
        var intake = new Command("intake", "Raw COPY vs privacy gate vs end-to-end signal import (empties the signal table)") { rows, dir, iKnow };
        intake.SetAction((parse, cancellationToken) => CliDatabase.RunAsync(async () =>
        {
            try
            {
                if (await RefusalAsync(parse.GetValue(iKnow), cancellationToken) is { } refusal)
                {
                    await Console.Error.WriteLineAsync($"fout / error: {refusal}");
                    return 2;
                }
                return await RunIntakeAsync(parse.GetValue(rows), parse.GetValue(dir)!, cancellationToken);
            }
            catch (NpgsqlException e)
            {
                // Synthetic data only: the full error helps to tell a timeout from a lost connection.
                await Console.Error.WriteLineAsync(e.ToString());
                throw;
            }
        }));
        bench.Subcommands.Add(intake);
        bench.Subcommands.Add(PortBenchCommand.Create());
        return bench;
    }

    /// <summary>
    /// The benchmark truncates signals (and their follow-up history): it ships in the production
    /// command, so it runs only when asked explicitly and only on a database named for benchmarks.
    /// </summary>
    internal static Task<string?> RefusalAsync(bool iKnow, CancellationToken cancellationToken) =>
        RefusalAsync("bench intake", "the signal table", "scripts/bench-intake.sh", iKnow, cancellationToken);

    internal static async Task<string?> RefusalAsync(string what, string empties, string script, bool iKnow, CancellationToken cancellationToken)
    {
        if (!iKnow) return $"{what} empties {empties}; pass --i-know to run it on a benchmark database";
        await using var dataSource = CliDatabase.Open();
        await using var command = dataSource.CreateCommand("SELECT current_database()");
        var name = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        return name.Contains("bench", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{what} runs only on a database whose name contains 'bench' ({script} creates one)";
    }

    private static async Task<int> RunIntakeAsync(int rowCount, DirectoryInfo dir, CancellationToken cancellationToken)
    {
        dir.Create();
        var file = Path.Combine(dir.FullName, $"georisk-bench-signals-{rowCount}.csv");
        var sw = Stopwatch.StartNew();
        WriteSyntheticCsv(file, rowCount);
        var megabytes = new FileInfo(file).Length / 1e6;
        Console.WriteLine($"synthetic file: {file} ({rowCount:N0} rows, {megabytes:F0} MB, written in {sw.Elapsed.TotalSeconds:F1} s)");

        // Prepare in memory (not timed): the rows as the importer would stage them, and every text value the gate sees.
        var options = new SignalIntakeOptions();
        var validator = new SignalRowValidator(options);
        var records = new List<SignalRecord>(rowCount);
        var gated = new List<string>(rowCount * 6);
        var rejections = new List<Rejection>();
        sw.Restart();
        await using (var stream = File.OpenRead(file))
        {
            foreach (var raw in SignalFileReader.Open(stream, options).Rows)
            {
                for (var f = 0; f < SignalFields.Count; f++)
                {
                    if (raw.Values[f] is { } v && SignalFields.IsStoredText((SignalField)f))
                    {
                        gated.Add(v);
                    }
                }
                if (validator.Validate(raw, rejections, out var record))
                {
                    records.Add(record);
                }
            }
        }
        var parseValidateSeconds = sw.Elapsed.TotalSeconds;
        if (rejections.Count > 0)
        {
            Console.Error.WriteLine($"synthetic data was rejected ({rejections[0].Field}: {rejections[0].Reason}): the benchmark data must be honest");
            return 1;
        }

        // 1. Privacy gate alone, over all gated text values of every row.
        sw.Restart();
        var hits = 0;
        foreach (var value in gated)
        {
            if (PrivacyGate.Scan(value) != PersonalDataKind.None)
            {
                hits++;
            }
        }
        var gateSeconds = sw.Elapsed.TotalSeconds;
        if (hits > 0)
        {
            Console.Error.WriteLine($"the privacy gate flagged {hits} honest synthetic values");
            return 1;
        }

        await using var dataSource = CliDatabase.Open();
        var areas = await EnsureBenchAreasAsync(dataSource, cancellationToken);
        await TruncateAsync(dataSource, cancellationToken);
        var database = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database ?? "";

        // 2a. Raw COPY into a temporary table without indexes: the pure transfer cost, for reference.
        sw.Restart();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using (var create = new NpgsqlCommand(
                "CREATE TEMP TABLE bench_copy (source text, external_id text, category text, observed_at timestamptz, reliability real, precision text, geom geometry, object_ref text, remark text)",
                connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            await CopyRecordsAsync(connection, "bench_copy", records, cancellationToken);
        }
        var tempCopySeconds = sw.Elapsed.TotalSeconds;

        // 2b. Raw COPY (the baseline): the prepared rows straight into signal (constraints, indexes,
        // generated 3857 column, and the statement triggers: signal_area, tile change, reference rule).
        var copyCpu = ServerCpu.Start(database);
        sw.Restart();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await CopyRecordsAsync(connection, "signal", records, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var copySeconds = sw.Elapsed.TotalSeconds;
        var copyServerCpu = copyCpu.Seconds();
        await TruncateAsync(dataSource, cancellationToken);

        // 3. End-to-end: the file through the importer as `georisk import signals` runs it (parse,
        // gate, validate, stage, check codes, upsert, signal_area, tile change, hexbin refresh).
        var importer = new SignalImporter(dataSource, [new HexbinRefreshListener(new HexbinStore(dataSource))]);
        var e2eCpu = ServerCpu.Start(database);
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        sw.Restart();
        SignalImportResult result;
        await using (var stream = File.OpenRead(file))
        {
            result = await importer.ImportAsync(stream, options, null, cancellationToken);
        }
        var endToEndSeconds = sw.Elapsed.TotalSeconds;
        var e2eServerCpu = e2eCpu.Seconds();
        var e2eClientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalSeconds;
        if (result.Inserted != rowCount)
        {
            Console.Error.WriteLine($"end-to-end import inserted {result.Inserted} of {rowCount} rows");
            return 1;
        }
        // The rows must really have landed, with everything derived from them.
        var landed = await LandedAsync(dataSource, cancellationToken);
        if (landed.Signals != rowCount || landed.Pairs != landed.FreshPairs || landed.HexCounted != rowCount * landed.HexSizes)
        {
            Console.Error.WriteLine($"after the import: {landed.Signals} signals of {rowCount}, {landed.Pairs} signal_area pairs " +
                $"(a fresh join finds {landed.FreshPairs}), hex_count sums to {landed.HexCounted} (expected {rowCount} x {landed.HexSizes} sizes)");
            return 1;
        }

        // 4. The same file again: everything unchanged (idempotent re-import).
        sw.Restart();
        await using (var stream = File.OpenRead(file))
        {
            result = await importer.ImportAsync(stream, options, null, cancellationToken);
        }
        var reimportSeconds = sw.Elapsed.TotalSeconds;
        if (result.Unchanged != rowCount)
        {
            Console.Error.WriteLine($"re-import left {result.Unchanged} of {rowCount} rows unchanged");
            return 1;
        }

        double Rate(double seconds) => rowCount / seconds;
        var copyRate = Rate(copySeconds);
        var e2eRate = Rate(endToEndSeconds);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"{"measurement",-40} {"seconds",9} {"rows/s",12} {"x raw COPY",11}"));
        void Line(string name, double seconds) =>
            Console.WriteLine(string.Create(inv, $"{name,-40} {seconds,9:F2} {Rate(seconds),12:N0} {Rate(seconds) / copyRate,11:F2}"));
        Line("raw COPY into signal (baseline)", copySeconds);
        Line("raw COPY into a temp table, no indexes", tempCopySeconds);
        Line("privacy gate alone (6 text fields/row)", gateSeconds);
        Line("parse + gate + validate (in memory)", parseValidateSeconds);
        Line("end-to-end import (file -> signal)", endToEndSeconds);
        Line("re-import, all unchanged", reimportSeconds);
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"landed: {landed.Signals:N0} signals, {landed.Pairs:N0} signal_area pairs over {areas} areas (= a fresh join), hex_count sums to {landed.HexSizes} x {rowCount:N0}"));
        Console.WriteLine(string.Create(inv, $"server CPU (the benchmark's backends): raw COPY {Cpu(copyServerCpu)}, end-to-end {Cpu(e2eServerCpu)} " +
            $"({(e2eServerCpu > 0 ? rowCount / e2eServerCpu : double.NaN):N0} rows per server CPU second); client CPU end-to-end {e2eClientCpu:F1} s"));
        Console.WriteLine(string.Create(inv, $"end-to-end / raw COPY = {e2eRate / copyRate:F2} (target >= 0.40: {Met(e2eRate / copyRate >= 0.4)})"));
        Console.WriteLine(string.Create(inv, $"end-to-end {e2eRate:N0} rows/s (target >= 100,000 rows/s: {Met(e2eRate >= 100_000)})"));
        File.Delete(file);
        return 0;
    }

    private static string Met(bool met) => met ? "met" : "NOT met";

    private static string Cpu(double seconds) => double.IsNaN(seconds) ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s");

    /// <summary>
    /// A grid of 3 km squares over the synthetic extent (100 areas), so that the signal_area upkeep
    /// of the import does its real work: every signal lies in one or two of them.
    /// </summary>
    private static async Task<long> EnsureBenchAreasAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO area (code, name, kind, geom)
            SELECT format('BENCH-%s-%s', i, j), format('Bench %s-%s', i, j), 'custom',
                   ST_Multi(ST_MakeEnvelope(110000 + i * 3000, 470000 + j * 3000, 113000 + i * 3000, 473000 + j * 3000, 28992))
            FROM generate_series(0, 9) i CROSS JOIN generate_series(0, 9) j
            WHERE NOT EXISTS (SELECT 1 FROM area WHERE code LIKE 'BENCH-%');
            SELECT count(*) FROM area;
            """);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<(long Signals, long Pairs, long FreshPairs, long HexCounted, int HexSizes)> LandedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM signal),
                   (SELECT count(*) FROM signal_area),
                   (SELECT count(*) FROM area a JOIN signal s ON ST_Intersects(a.geom, s.geom)),
                   (SELECT coalesce(sum(n), 0) FROM hex_count),
                   (SELECT count(*)::int FROM hex_size)
            """);
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt32(4));
    }

    /// <summary>
    /// CPU time of the database server processes serving one database (user + system, from
    /// /proc), so that a figure measured on a shared machine can be read next to what the server
    /// really spent. Needs the server on this machine; elsewhere it reports NaN.
    /// </summary>
    private readonly struct ServerCpu(string database, double start)
    {
        public static ServerCpu Start(string database) => new(database, Total(database));

        public double Seconds() => Total(database) - start;

        private static double Total(string database)
        {
            if (!Directory.Exists("/proc")) return double.NaN;
            var ticks = 0L;
            var found = false;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!char.IsAsciiDigit(Path.GetFileName(dir)[0])) continue;
                try
                {
                    // A backend's command line reads "postgres: user database host(port) state".
                    var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                    if (!cmdline.StartsWith("postgres: ", StringComparison.Ordinal) || !cmdline.Contains($" {database} ", StringComparison.Ordinal)) continue;
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    found = true;
                }
                catch (IOException)
                {
                    // the process ended while it was read
                }
                catch (UnauthorizedAccessException)
                {
                    // another user's process
                }
            }
            return found ? ticks / 100.0 : double.NaN; // USER_HZ is 100 on Linux
        }
    }

    private static async Task CopyRecordsAsync(NpgsqlConnection connection, string table, List<SignalRecord> records, CancellationToken cancellationToken)
    {
        // The table name is one of two constants of this file, never input.
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY {table} (source, external_id, category, observed_at, reliability, precision, geom, object_ref, remark) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        copy.Timeout = TimeSpan.FromHours(1);
        var ewkb = new byte[25];
        foreach (var r in records)
        {
            copy.StartRow();
            copy.Write(r.Source, NpgsqlDbType.Text);
            copy.Write(r.ExternalId, NpgsqlDbType.Text);
            copy.Write(r.Category, NpgsqlDbType.Text);
            copy.Write(r.ObservedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            copy.Write(r.Reliability, NpgsqlDbType.Real);
            copy.Write(r.Precision, NpgsqlDbType.Text);
            copy.Write(PointEwkb(ewkb, r.X, r.Y), NpgsqlDbType.Bytea);
            WriteNullable(copy, r.ObjectRef);
            WriteNullable(copy, r.Remark);
        }
        await copy.CompleteAsync(cancellationToken);
    }

    private static async Task TruncateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // CASCADE: the follow-up history refers to signals; the bench database has none to keep.
        await using var command = dataSource.CreateCommand("TRUNCATE signal CASCADE; TRUNCATE hex_count, hex_cell");
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
        await using var vacuum = dataSource.CreateCommand("VACUUM ANALYZE signal");
        vacuum.CommandTimeout = 0;
        await vacuum.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void WriteNullable(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, NpgsqlDbType.Text);
        }
    }

    /// <summary>EWKB of POINT(x y) with SRID 28992, little endian.</summary>
    private static byte[] PointEwkb(byte[] buffer, double x, double y)
    {
        buffer[0] = 1;
        BitConverter.TryWriteBytes(buffer.AsSpan(1), 0x20000001u);
        BitConverter.TryWriteBytes(buffer.AsSpan(5), 28992u);
        BitConverter.TryWriteBytes(buffer.AsSpan(9), x);
        BitConverter.TryWriteBytes(buffer.AsSpan(17), y);
        return buffer;
    }

    /// <summary>
    /// Honest synthetic signals around Amsterdam: RD coordinates, ISO dates, BAG ids, and remarks
    /// full of numbers that look like personal data but are not (postcodes, amounts, KvK numbers,
    /// observation dates), so that the gate does its full work.
    /// </summary>
    private static void WriteSyntheticCsv(string path, int rows)
    {
        string[] categories = ["drugshandel", "drugsproductie", "hennepteelt", "drugsafval", "witwassen", "ondergronds_bankieren", "vastgoed",
            "luxegoederen", "misbruik_panden", "misbruik_ondernemingen", "illegale_bewoning", "mensenhandel", "omg", "explosies",
            "havenincident", "handelsregister_mutatie", "burgermelding", "toezichtsbevinding"];
        string[] sources = ["gemeente", "politie", "om", "belastingdienst", "fiod", "douane", "nla", "kmar", "havenbedrijf", "private_partner", "kvk"];
        string[] precisions = ["object", "pc6", "street", "area"];
        string[] remarks =
        [
            "veel verkeer 's nachts bij loods",
            "pand {0} AB {1}, rolluik steeds dicht",
            "controle {2}-{3}-2025 14:30, geen bijzonderheden",
            "contante betaling € {4}.500 voor horloge",
            "KvK {5}, drie inschrijvingen op één adres",
            "stankoverlast, stroomverbruik {4}.000 kWh",
            "container gezien om 03:{1}, hal {1}-B",
            "",
            "",
            "",
        ];
        var random = new Random(42);
        var start = new DateTime(2023, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var inv = CultureInfo.InvariantCulture;
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("external_id,category,source,observed_at,x,y,reliability,precision,object_ref,remark\n");
        var sb = new StringBuilder(256);
        for (var i = 1; i <= rows; i++)
        {
            sb.Clear();
            var observed = start.AddMinutes(random.Next(0, 3 * 365 * 24 * 60 - 60 * 24 * 30));
            var remark = string.Format(inv, remarks[random.Next(remarks.Length)], random.Next(1011, 1109), random.Next(1, 99),
                random.Next(10, 28), random.Next(10, 12), random.Next(1, 99), random.Next(30_000_000, 79_999_999));
            sb.Append(inv, $"B-{i:D8},{categories[random.Next(categories.Length)]},{sources[random.Next(sources.Length)]},");
            sb.Append(inv, $"{observed:yyyy-MM-ddTHH:mm:ss}Z,{110_000 + random.NextDouble() * 30_000:F2},{470_000 + random.NextDouble() * 30_000:F2},");
            sb.Append(inv, $"{random.Next(1, 11) / 10.0:F1},{precisions[random.Next(precisions.Length)]},");
            if (random.Next(2) == 0)
            {
                sb.Append(inv, $"0363{random.NextInt64(100_000_000_000, 999_999_999_999)}");
            }
            sb.Append(',');
            if (remark.Length > 0)
            {
                sb.Append('"').Append(remark).Append('"');
            }
            sb.Append('\n');
            writer.Write(sb);
        }
    }
}
