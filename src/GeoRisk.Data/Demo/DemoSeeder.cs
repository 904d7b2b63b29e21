using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Demo;

public sealed record DemoSeedResult(int Areas, int Signals, int Cameras, int Incidents, int Casustafels)
{
    public bool NothingNew => Areas + Signals + Cameras + Incidents + Casustafels == 0;
}

/// <summary>
/// Seeds the Amsterdam-Amstelland demo: areas authored in RD New at their true locations,
/// Amstelveen's buurten (CC0), about 60,000 signals over three years with planted hotspots,
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

        progress?.Report("areas");
        var areas = DemoAreas.Load();
        var areaCount = await InsertAreasAsync(connection, areas, cancellationToken);

        progress?.Report("signals");
        var signals = DemoSignals.Generate(areas);
        var signalCount = await InsertSignalsAsync(connection, signals, cancellationToken);

        progress?.Report("cameras and port incidents");
        var cameraCount = await InsertCamerasAsync(connection, DemoOverlays.Cameras(areas), cancellationToken);
        var incidentCount = await InsertIncidentsAsync(connection, DemoOverlays.Incidents(areas), cancellationToken);

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

    private static async Task<int> InsertAreasAsync(NpgsqlConnection connection, IReadOnlyList<DemoArea> areas, CancellationToken cancellationToken)
    {
        var inserted = 0;
        foreach (var area in areas.Where(a => a.Wkt is not null))
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO area (code, name, kind, parent_code, exposure, exposure_unit, geom)
                VALUES (@code, @name, @kind, @parent, @exposure, @unit, ST_Multi(ST_GeomFromText(@wkt, 28992)))
                ON CONFLICT (code) WHERE valid_to IS NULL DO NOTHING
                """, connection);
            command.Parameters.AddWithValue("code", area.Code);
            command.Parameters.AddWithValue("name", area.Name);
            command.Parameters.AddWithValue("kind", area.Kind);
            command.Parameters.AddWithValue("parent", (object?)area.ParentCode ?? DBNull.Value);
            command.Parameters.AddWithValue("exposure", (object?)area.Exposure ?? DBNull.Value);
            command.Parameters.AddWithValue("unit", (object?)area.ExposureUnit ?? DBNull.Value);
            command.Parameters.AddWithValue("wkt", area.Wkt!);
            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        // Wijken and the municipality are the union of their buurten, so the three levels nest exactly.
        foreach (var area in areas.Where(a => a.Wkt is null))
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO area (code, name, kind, parent_code, geom)
                SELECT @code, @name, @kind, @parent,
                       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(child.geom)), 3))
                FROM area child
                WHERE child.valid_to IS NULL AND child.code = ANY (@children)
                ON CONFLICT (code) WHERE valid_to IS NULL DO NOTHING
                """, connection);
            command.Parameters.AddWithValue("code", area.Code);
            command.Parameters.AddWithValue("name", area.Name);
            command.Parameters.AddWithValue("kind", area.Kind);
            command.Parameters.AddWithValue("parent", (object?)area.ParentCode ?? DBNull.Value);
            command.Parameters.AddWithValue("children", areas.Where(a => a.ParentCode == area.Code).Select(a => a.Code).ToArray());
            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return inserted;
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
