using NetTopologySuite.Geometries;
using GeoRisk.Data.Intake;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Demo;

public sealed record DemoSeedResult(int Areas, int Signals, int Cameras, int Incidents, int Casustafels)
{
    public bool NothingNew => Areas + Signals + Cameras + Incidents + Casustafels == 0;
}

/// <summary>
/// Seeds the Amsterdam-Amstelland demo: the real buurten of Amsterdam and Amstelveen with their
/// derived wijken, stadsdelen and gemeenten and the neighbouring CBS gemeenten (data/boundaries),
/// the project's own areas (authored, or built from those buurten), about 70,000 signals over three years with planted hotspots,
/// cameras, port incidents, four casustafels and a gelegenheidskaart of the buitengebied
/// (<see cref="DemoRtm"/>). Deterministic (fixed seed and dates, so
/// every run produces the same rows) and idempotent (natural keys with ON CONFLICT DO
/// NOTHING, so a second run adds nothing). Everything but the gelegenheidskaart (whose model
/// reads the committed signals) happens in one transaction.
/// </summary>
public static class DemoSeeder
{
    /// <summary>The demo's three years end here, not "today": a seed must give the same rows every run.</summary>
    public static readonly DateTimeOffset PeriodEnd = new(2026, 11, 15, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset PeriodStart = PeriodEnd.AddYears(-3);

    public static async Task<DemoSeedResult> SeedAsync(NpgsqlDataSource dataSource, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        progress?.Report("areas: real boundary files");
        var boundaries = await ImportBoundariesAsync(connection, progress, cancellationToken);
        progress?.Report("areas: the demo's own");
        var areaCount = boundaries + await InsertAreasAsync(connection, DemoAreas.Load(), cancellationToken);
        // Signals, cameras and incidents are placed in the shapes as stored (RD New).
        var shapes = await ShapesAsync(connection, cancellationToken);

        progress?.Report("signals");
        var signals = DemoSignals.Generate(shapes);
        var signalCount = await InsertSignalsAsync(connection, signals, cancellationToken);

        progress?.Report("cameras and port incidents");
        var cameraCount = await InsertCamerasAsync(connection, DemoOverlays.Cameras(shapes), cancellationToken);
        var incidentCount = await InsertIncidentsAsync(connection, DemoOverlays.Incidents(shapes), cancellationToken);

        progress?.Report("casustafels");
        var casustafelCount = await InsertCasustafelsAsync(connection, cancellationToken);

        progress?.Report("interventions");
        await InsertInterventionsAsync(connection, cancellationToken);

        await transaction.CommitAsync(cancellationToken);

        // The model reads the committed signals through its own connections.
        progress?.Report("gelegenheidskaart (factor layers and a model of the buitengebied)");
        await DemoRtm.SeedAsync(dataSource, cancellationToken);
        return new DemoSeedResult(areaCount, signalCount, cameraCount, incidentCount, casustafelCount);
    }

    /// <summary>
    /// Amsterdam's and Amstelveen's buurten with their wijken, stadsdelen and gemeenten derived,
    /// and the neighbouring CBS gemeenten, through the same importer a municipality uses.
    /// </summary>
    private static async Task<int> ImportBoundariesAsync(NpgsqlConnection connection, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var files = DemoAreas.BoundaryFiles();
        try
        {
            var result = await BoundaryImporter.ImportAsync(connection, files, new BoundaryImportOptions(),
                DateOnly.FromDateTime(PeriodEnd.UtcDateTime), progress,
                cancellationToken);
            if (!result.Written)
                throw new InvalidOperationException("demo boundary files rejected: " + string.Join("; ", result.Rejections.Take(5).Select(r => $"{r.File} row {r.Row}: {r.Message}")));
            return result.Inserted + result.NewVersions;
        }
        finally
        {
            foreach (var file in files) await file.Stream.DisposeAsync();
        }
    }

    private static async Task<int> InsertAreasAsync(NpgsqlConnection connection, IReadOnlyList<DemoArea> areas, CancellationToken cancellationToken)
    {
        var inserted = 0;
        foreach (var area in areas)
        {
            // An authored shape, or the union of real buurten (imported just before) so it follows their boundaries.
            await using var command = new NpgsqlCommand(area.Wkt is not null ? """
                INSERT INTO area (code, name, kind, parent_code, exposure, exposure_unit, geom)
                VALUES (@code, @name, @kind, @parent, @exposure, @unit, ST_Multi(ST_GeomFromText(@wkt, 28992)))
                ON CONFLICT (code) WHERE valid_to IS NULL DO NOTHING
                """ : """
                INSERT INTO area (code, name, kind, parent_code, exposure, exposure_unit, geom)
                SELECT @code, @name, @kind, @parent, @exposure, @unit,
                       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(b.geom)), 3))
                FROM area b
                WHERE b.valid_to IS NULL AND b.code = ANY (@buurten)
                HAVING count(*) = cardinality(@buurten)
                ON CONFLICT (code) WHERE valid_to IS NULL DO NOTHING
                """, connection);
            command.Parameters.AddWithValue("code", area.Code);
            command.Parameters.AddWithValue("name", area.Name);
            command.Parameters.AddWithValue("kind", area.Kind);
            command.Parameters.AddWithValue("parent", (object?)area.ParentCode ?? DBNull.Value);
            command.Parameters.AddWithValue("exposure", (object?)area.Exposure ?? DBNull.Value);
            command.Parameters.AddWithValue("unit", (object?)area.ExposureUnit ?? DBNull.Value);
            if (area.Wkt is not null) command.Parameters.AddWithValue("wkt", area.Wkt);
            else command.Parameters.AddWithValue("buurten", area.Buurten.ToArray());
            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var missing = await MissingAsync(connection, areas.Select(a => a.Code).ToArray(), cancellationToken);
        if (missing.Length > 0)
            throw new InvalidOperationException($"demo areas without a shape (a buurt they are built from is missing): {string.Join(", ", missing)}");
        return inserted;
    }

    private static async Task<string[]> MissingAsync(NpgsqlConnection connection, string[] codes, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT coalesce(array_agg(c ORDER BY c), '{}') FROM unnest(@codes) c
            WHERE NOT EXISTS (SELECT 1 FROM area a WHERE a.code = c AND a.valid_to IS NULL)
            """, connection);
        command.Parameters.AddWithValue("codes", codes);
        return (string[])(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The current shapes of the areas the generators place things in.</summary>
    private static async Task<Dictionary<string, Geometry>> ShapesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var codes = DemoSignals.AreaCodes.Concat(DemoOverlays.AreaCodes).Distinct().ToArray();
        await using var command = new NpgsqlCommand(
            "SELECT code, ST_AsBinary(geom) FROM area WHERE valid_to IS NULL AND code = ANY (@codes)", connection);
        command.Parameters.AddWithValue("codes", codes);
        var reader = new WKBReader();
        var shapes = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        await using (var rows = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await rows.ReadAsync(cancellationToken))
                shapes[rows.GetString(0)] = reader.Read((byte[])rows.GetValue(1));
        }
        var missing = codes.Where(c => !shapes.ContainsKey(c)).ToArray();
        if (missing.Length > 0) throw new InvalidOperationException($"demo areas missing: {string.Join(", ", missing)}");
        return shapes;
    }

    private static async Task<int> InsertSignalsAsync(NpgsqlConnection connection, IReadOnlyList<DemoSignal> signals, CancellationToken cancellationToken)
    {
        // The seed commits in one transaction, so its first and last signal present means all are:
        // skip the 60k-row upsert that would change nothing.
        await using (var present = new NpgsqlCommand(
            "SELECT count(*) FROM signal WHERE external_id = ANY (@ids)", connection))
        {
            present.Parameters.AddWithValue("ids", new[] { signals[0].ExternalId, signals[^1].ExternalId });
            if ((long)(await present.ExecuteScalarAsync(cancellationToken))! == 2) return 0;
        }
        await using (var create = new NpgsqlCommand("""
            CREATE TEMP TABLE demo_signal_stage (
                source text, external_id text, category text, observed_at timestamptz, reliability real,
                precision text, geom geometry(Point, 28992), object_ref text, remark text
            ) ON COMMIT DROP
            """, connection))
            await create.ExecuteNonQueryAsync(cancellationToken);

        var writer = new WKBWriter(ByteOrder.LittleEndian, handleSRID: true);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY demo_signal_stage (source, external_id, category, observed_at, reliability, precision, geom, object_ref, remark) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            foreach (var s in signals)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(s.Source, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(s.ExternalId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(s.Category, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(s.ObservedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(s.Reliability, NpgsqlDbType.Real, cancellationToken);
                await copy.WriteAsync(s.Precision, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(writer.Write(s.Location), NpgsqlDbType.Bytea, cancellationToken);
                if (s.ObjectRef is null) await copy.WriteNullAsync(cancellationToken);
                else await copy.WriteAsync(s.ObjectRef, NpgsqlDbType.Text, cancellationToken);
                if (s.Remark is null) await copy.WriteNullAsync(cancellationToken);
                else await copy.WriteAsync(s.Remark, NpgsqlDbType.Text, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using var insert = new NpgsqlCommand("""
            INSERT INTO signal (source, external_id, category, observed_at, reliability, precision, geom, object_ref, remark)
            SELECT source, external_id, category, observed_at, reliability, precision, geom, object_ref, remark
            FROM demo_signal_stage
            ORDER BY external_id
            ON CONFLICT (source, external_id) DO NOTHING
            """, connection);
        insert.CommandTimeout = 0;
        var inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
        if (inserted > 0)
        {
            await using var bump = new NpgsqlCommand(
                "UPDATE data_version SET version = version + 1, changed_at = now() WHERE name = 'signal'", connection);
            await bump.ExecuteNonQueryAsync(cancellationToken);
        }
        return inserted;
    }

    private static async Task<int> InsertCamerasAsync(NpgsqlConnection connection, IReadOnlyList<DemoCamera> cameras, CancellationToken cancellationToken)
    {
        var inserted = 0;
        foreach (var camera in cameras)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO camera (programme, external_id, owner, description, geom, heading_deg, fov_deg, range_m, status, active_from)
                VALUES (@programme, @id, @owner, @description, ST_SetSRID(ST_MakePoint(@x, @y), 28992), @heading, @fov, @range, @status, @from)
                ON CONFLICT (programme, external_id) DO NOTHING
                """, connection);
            command.Parameters.AddWithValue("id", camera.ExternalId);
            command.Parameters.AddWithValue("owner", camera.Owner);
            command.Parameters.AddWithValue("description", camera.Description);
            command.Parameters.AddWithValue("x", camera.X);
            command.Parameters.AddWithValue("y", camera.Y);
            command.Parameters.AddWithValue("heading", camera.HeadingDeg);
            command.Parameters.AddWithValue("fov", camera.FovDeg);
            command.Parameters.AddWithValue("range", camera.RangeM);
            command.Parameters.AddWithValue("programme", camera.Programme);
            command.Parameters.AddWithValue("status", camera.Status);
            command.Parameters.Add(new NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.Date) { Value = (object?)camera.ActiveFrom ?? DBNull.Value });
            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return inserted;
    }

    private static async Task<int> InsertIncidentsAsync(NpgsqlConnection connection, IReadOnlyList<DemoIncident> incidents, CancellationToken cancellationToken)
    {
        // One dataset per programme: incidents belong to the programme that registered them.
        await using (var dataset = new NpgsqlCommand("""
            INSERT INTO overlay_dataset (code, name, programme, layer)
            VALUES ('incidenten-westelijk-havengebied', 'Incidenten Westelijk Havengebied (demo)', 'westelijk-havengebied', 'incidents'),
                   ('incidenten-bloemenveiling', 'Incidenten Bloemenveiling (demo)', 'bloemenveiling', 'incidents')
            ON CONFLICT (code) DO NOTHING
            """, connection))
            await dataset.ExecuteNonQueryAsync(cancellationToken);

        var inserted = 0;
        foreach (var incident in incidents)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO overlay_feature (dataset_id, external_id, kind, observed_at, properties, geom)
                SELECT id, @id, @kind, @observed, jsonb_build_object('area', @area), ST_SetSRID(ST_MakePoint(@x, @y), 28992)
                FROM overlay_dataset WHERE code = 'incidenten-' || @programme
                ON CONFLICT (dataset_id, external_id) DO NOTHING
                """, connection);
            command.Parameters.AddWithValue("id", incident.ExternalId);
            command.Parameters.AddWithValue("kind", incident.Kind);
            command.Parameters.AddWithValue("observed", incident.ObservedAt);
            command.Parameters.AddWithValue("area", incident.AreaCode);
            command.Parameters.AddWithValue("programme", incident.Programme);
            command.Parameters.AddWithValue("x", incident.X);
            command.Parameters.AddWithValue("y", incident.Y);
            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return inserted;
    }

    private static async Task<int> InsertCasustafelsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var inserted = 0;
        foreach (var table in DemoCasustafels.All)
        {
            await using (var command = new NpgsqlCommand(
                "INSERT INTO casustafel (id, name, description) VALUES (@id, @name, @description) ON CONFLICT (id) DO NOTHING", connection))
            {
                command.Parameters.AddWithValue("id", table.Id);
                command.Parameters.AddWithValue("name", table.Name);
                command.Parameters.AddWithValue("description", table.Description);
                inserted += await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var command = new NpgsqlCommand("""
                INSERT INTO casustafel_area (casustafel_id, area_code) SELECT @id, unnest(@areas) ON CONFLICT DO NOTHING;
                INSERT INTO casustafel_member (casustafel_id, partner) SELECT @id, unnest(@partners) ON CONFLICT DO NOTHING;
                """, connection))
            {
                command.Parameters.AddWithValue("id", table.Id);
                command.Parameters.AddWithValue("areas", table.AreaCodes);
                command.Parameters.AddWithValue("partners", table.Partners);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        return inserted;
    }

    /// <summary>Two interventions to try effect monitoring on; their target is the area's boundary at seed time.</summary>
    private static async Task InsertInterventionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO intervention (code, version, name, kind, casustafel_id, area_code, start_date, end_date, description, geom, created_by)
            SELECT v.code, 1, v.name, v.kind, v.casustafel, v.area, v.start_date, v.end_date, v.description, a.geom, 'demo'
            FROM (VALUES
                ('sluiting-wallen-2026', 'Sluiting panden Wallen', 'sluiting', '1012', 'PC4-1012', DATE '2026-03-01', NULL::date,
                 'Sluiting van panden na BIBOB-toets en signalen van misbruik.'),
                ('controleweek-westhaven-2025', 'Controleweek Westelijk Havengebied', 'controleweek', 'westelijk-havengebied', 'MP-WESTHAVEN',
                 DATE '2025-09-01', DATE '2025-09-07', 'Gezamenlijke controleweek op containeroverslag en toegang.')
            ) AS v(code, name, kind, casustafel, area, start_date, end_date, description)
            JOIN area a ON a.code = v.area AND a.valid_to IS NULL
            ON CONFLICT (code) WHERE superseded_at IS NULL DO NOTHING
            """, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
