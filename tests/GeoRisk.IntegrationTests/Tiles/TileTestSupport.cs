using System.Net.Http.Headers;
using GeoRisk.Core.Tiles;
using GeoRisk.IntegrationTests.Infrastructure;
using GeoRisk.IntegrationTests.VectorTile;
using Microsoft.AspNetCore.Hosting;

namespace GeoRisk.IntegrationTests.Tiles;

/// <summary>
/// The API with a tile cache of its own (a temporary directory); data changes reach it by
/// NOTIFY only (the safety-net poll is ten minutes). <c>CreateClient()</c> sends an admin key.
/// </summary>
public sealed class TileApiFactory(string connectionString) : GeoRiskApiFactory(connectionString)
{
    public string CacheDirectory { get; } = Directory.CreateTempSubdirectory("georisk-tiles-test-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Tiles:Cache:Directory", CacheDirectory);
        // No polling to speak of: invalidation must arrive by NOTIFY.
        builder.UseSetting("Tiles:Cache:PollInterval", "00:10:00");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(CacheDirectory)) Directory.Delete(CacheDirectory, recursive: true);
    }
}

/// <summary>Known data in a database of its own: two adjacent areas with scores, signals, a camera.</summary>
public sealed class TileDataFixture : IAsyncLifetime
{
    // RD New: two 400 m squares side by side near the Dam, Amsterdam.
    public const string HighArea = "T-HIGH";
    public const string LowArea = "T-LOW";
    public const int HighSignals = 40;

    private TestDatabase? _database;
    public TestDatabase Database => _database ?? throw new InvalidOperationException("not initialised");
    public TileApiFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await Database.ScalarAsync<int>("""
            WITH a AS (
                INSERT INTO area (code, name, kind, geom) VALUES
                  ('T-HIGH', 'Testgebied hoog', 'postcode', ST_Multi(ST_MakeEnvelope(121000, 487000, 121400, 487400, 28992))),
                  ('T-LOW',  'Testgebied laag', 'postcode', ST_Multi(ST_MakeEnvelope(121400, 487000, 121800, 487400, 28992)))
                RETURNING id, code)
            INSERT INTO score (area_id, profile_name, profile_version, reference_date, score, raw, signal_count, source_count, components, flags)
            SELECT id, p.name, p.version, DATE '2026-10-31', CASE code WHEN 'T-HIGH' THEN 95 ELSE 10 END, 1, 1, 1, '{}',
                   CASE code WHEN 'T-HIGH' THEN '{"kandidaat": true}'::jsonb ELSE '{}'::jsonb END
            FROM a, (SELECT name, version FROM scoring_profile ORDER BY name, version LIMIT 1) p;
            SELECT 1
            """);
        // 40 signals spread over T-HIGH, two categories.
        await Database.ScalarAsync<int>("""
            INSERT INTO signal (source, external_id, category, observed_at, reliability, geom, remark)
            SELECT 'politie', 'T-' || i, CASE WHEN i % 2 = 0 THEN 'drugshandel' ELSE 'witwassen' END,
                   TIMESTAMPTZ '2026-06-01' + i * interval '1 day', 0.8,
                   ST_SetSRID(ST_MakePoint(121010 + (i * 37) % 380, 487010 + (i * 53) % 380), 28992), 'geheime opmerking'
            FROM generate_series(1, 40) AS i;
            SELECT 1
            """);
        await Database.ScalarAsync<int>("""
            INSERT INTO camera (external_id, owner, geom, heading_deg, fov_deg, range_m)
            VALUES ('CAM-1', 'gemeente', ST_SetSRID(ST_MakePoint(121200, 487200), 28992), 90, 60, 150);
            SELECT 1
            """);
        await Database.ScalarAsync<object>("SELECT hex_rebuild()");
        Factory = new TileApiFactory(Database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    /// <summary>The tile at <paramref name="z"/> containing an RD New point.</summary>
    public async Task<TileId> TileAtRdAsync(double x, double y, int z)
    {
        var p = await Rd3857Async(x, y);
        return TileId.ContainingPoint(p.X, p.Y, z);
    }

    public async Task<(double X, double Y)> Rd3857Async(double x, double y)
    {
        var text = await Database.ScalarAsync<string>(
            "SELECT ST_X(g)::text || ' ' || ST_Y(g)::text FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 28992), 3857) g", x, y);
        var parts = text.Split(' ');
        return (double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}

public static class Mvt
{
    public static Tile Decode(byte[] bytes) => Tile.Parser.ParseFrom(bytes);

    /// <summary>A feature's attributes by name.</summary>
    public static Dictionary<string, object> Attributes(Tile.Types.Layer layer, Tile.Types.Feature feature)
    {
        var result = new Dictionary<string, object>();
        for (var i = 0; i + 1 < feature.Tags.Count; i += 2)
        {
            var v = layer.Values[(int)feature.Tags[i + 1]];
            result[layer.Keys[(int)feature.Tags[i]]] =
                v.HasStringValue ? v.StringValue : v.HasDoubleValue ? v.DoubleValue : v.HasFloatValue ? v.FloatValue
                : v.HasIntValue ? v.IntValue : v.HasUintValue ? v.UintValue : v.HasSintValue ? v.SintValue : v.HasBoolValue ? v.BoolValue : "";
        }
        return result;
    }

    /// <summary>Every vertex of a feature in tile extent units, in the order of its geometry commands.</summary>
    public static List<(int X, int Y)> Vertices(Tile.Types.Feature feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var result = new List<(int, int)>();
        int x = 0, y = 0, i = 0;
        static int Unzig(uint v) => (int)(v >> 1) ^ -(int)(v & 1);
        while (i < feature.Geometry.Count)
        {
            var command = feature.Geometry[i] & 7;
            var count = (int)(feature.Geometry[i] >> 3);
            i++;
            if (command == 7) continue; // ClosePath
            for (var k = 0; k < count; k++, i += 2)
            {
                x += Unzig(feature.Geometry[i]);
                y += Unzig(feature.Geometry[i + 1]);
                result.Add((x, y));
            }
        }
        return result;
    }

    /// <summary>The first vertex of a feature (the point of a point feature), in tile extent units.</summary>
    public static (int X, int Y) FirstPoint(Tile.Types.Feature feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        // Geometry commands: MoveTo (1) with a zig-zag encoded dx, dy from the origin.
        if ((feature.Geometry[0] & 7) != 1) throw new InvalidOperationException("the geometry does not start with MoveTo");
        static int Unzig(uint v) => (int)(v >> 1) ^ -(int)(v & 1);
        return (Unzig(feature.Geometry[1]), Unzig(feature.Geometry[2]));
    }

    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? ifNoneMatch = null, bool gzip = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
        if (gzip) request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        return await client.SendAsync(request);
    }
}
