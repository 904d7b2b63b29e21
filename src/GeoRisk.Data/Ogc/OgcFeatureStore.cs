using System.Globalization;
using System.Text;
using GeoRisk.Core.Access;
using GeoRisk.Core.Ogc;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Ogc;

/// <summary>Spatial extent in CRS84 and temporal extent of a collection as the caller sees it.</summary>
public sealed record OgcExtent(double[]? Bbox, DateTimeOffset? Start, DateTimeOffset? End);

/// <summary>
/// Reads OGC API collections. The SQL is the collection's source (<c>Ogc.{source}.sql</c>)
/// wrapped in one query that filters (bbox, datetime, CQL2, property values), pages and writes
/// GeoJSON Features in PostGIS. Everything a request chooses is a bound parameter; the rest
/// (property and CRS expressions) comes from fixed tables.
/// </summary>
public sealed class OgcFeatureStore(NpgsqlDataSource db)
{
    /// <summary>Parameters every source may read: $1 scope, $2 suppression k, $3 area kind.</summary>
    private const int SourceParameters = 3;

    /// <summary>
    /// Features PostgreSQL joins into one row of a page: the API then reads a hundred rows of a
    /// page of 10,000 instead of 10,000, and the per-row work of the driver and the copy loop
    /// (read, seek, open a column stream, a few awaits) is paid a hundred times less.
    /// </summary>
    public const int FeaturesPerRow = 100;

    public async Task<OgcPage> ItemsAsync(
        OgcCollection collection, OgcItemsQuery query, string? filter, IReadOnlyList<(OgcProperty Property, CqlValue Value)> equals,
        CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(equals);
        var parameters = SourceParametersFor(collection, scope);
        var where = new List<string>();

        if (query.Bbox is { } bbox)
        {
            var (minX, minY, maxX, maxY) = bbox.XY;
            var p = parameters.Count + 1;
            parameters.AddRange([Double(minX), Double(minY), Double(maxX), Double(maxY), Int(bbox.Crs.Srid)]);
            // Densified first: the edges of a lon/lat box are curves in RD New.
            var env = string.Format(CultureInfo.InvariantCulture,
                "(SELECT ST_Transform(ST_Segmentize(ST_MakeEnvelope(${0}, ${1}, ${2}, ${3}, ${4}), CASE WHEN ${4} = 4326 THEN 0.01 ELSE 1000 END), 28992))",
                p, p + 1, p + 2, p + 3, p + 4);
            where.Add($"(s.geom && {env} AND ST_Intersects(s.geom, {env}))");
        }
        if (query.Datetime is { } interval)
        {
            var t = TemporalSql(collection) ?? throw new InvalidOperationException($"collection {collection.Id} has no temporal property");
            var p = parameters.Count + 1;
            parameters.AddRange([Instant(interval.From), Instant(interval.Until)]);
            where.Add($"(${p}::timestamptz IS NULL OR {t} >= ${p}::timestamptz) AND (${p + 1}::timestamptz IS NULL OR {t} < ${p + 1}::timestamptz)");
        }
        foreach (var (property, value) in equals)
        {
            parameters.Add(Parameter(value));
            where.Add($"{property.Sql} = ${parameters.Count}::{SqlType(property.Type)}");
        }
        if (filter is not null)
        {
            var cql = Cql2.ToSql(filter, collection.Queryables, parameters.Count + 1);
            parameters.AddRange(cql.Values.Select(Parameter));
            where.Add(cql.Sql);
        }
        var limit = parameters.Count + 1;
        // One more than asked: whether it comes back says if there is a next page.
        parameters.AddRange([Int(query.Limit + 1), Int(query.Offset)]);

        // Owned by the page from here on (it keeps the connection while the features are written).
        var command = db.CreateCommand();
        // The page is cut (sorted, limited) before any GeoJSON is written; the windows over it count
        // its rows into every row, so the caller knows the page's size before the first feature
        // arrives and can answer while PostGIS still writes the rest, and number them in id order.
        // The Features are then joined, comma-separated in that order, FeaturesPerRow to a row; the
        // extra row that only tells whether a next page exists is left out of them. The sort by
        // chunk runs before any Feature text exists, so it moves row references, not GeoJSON.
        command.CommandText = $"""
            WITH src AS (
            {Source(collection)}
            ), page AS (
                SELECT s.*, count(*) OVER w AS page_rows, row_number() OVER (ORDER BY s.id) AS page_row
                FROM (
                    SELECT * FROM src s
                    {(where.Count == 0 ? "" : "WHERE " + string.Join("\n  AND ", where))}
                    ORDER BY s.id
                    LIMIT ${limit} OFFSET ${limit + 1}
                ) s
                WINDOW w AS (ORDER BY s.id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
            )
            SELECT min(s.page_rows), string_agg({FeatureSql(collection, query.Crs)}, ',' ORDER BY s.page_row)
            FROM page s
            WHERE s.page_row < ${limit}
            GROUP BY (s.page_row - 1) / {FeaturesPerRow}
            ORDER BY (s.page_row - 1) / {FeaturesPerRow}
            """;
        command.Parameters.AddRange(parameters.ToArray());
        return await OgcPage.OpenAsync(command, query.Limit, FeaturesPerRow, cancellationToken);
    }

    /// <summary>One feature by id, or null (also when it is outside the caller's reach).</summary>
    public async Task<string?> ItemAsync(OgcCollection collection, string id, OgcCrs crs, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(crs);
        var parameters = SourceParametersFor(collection, scope);
        if (collection.NumericId)
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return null;
            parameters.Add(new NpgsqlParameter { Value = n, NpgsqlDbType = NpgsqlDbType.Bigint });
        }
        else
        {
            parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlDbType.Text });
        }
        await using var command = db.CreateCommand($"""
            WITH src AS (
            {Source(collection)}
            )
            SELECT {FeatureSql(collection, crs)}
            FROM src s
            WHERE s.id = ${SourceParameters + 1}
            """);
        command.Parameters.AddRange(parameters.ToArray());
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>The bounding box (CRS84) and time span of what the caller can see of a collection.</summary>
    public async Task<OgcExtent> ExtentAsync(OgcCollection collection, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var t = TemporalSql(collection);
        await using var command = db.CreateCommand($"""
            WITH src AS (
            {Source(collection)}
            ), box AS (
                SELECT ST_Transform(ST_SetSRID(ST_Extent(s.geom)::geometry, 28992), 4326) AS g,
                       {(t is null ? "NULL::timestamptz" : $"min({t})")} AS t0, {(t is null ? "NULL::timestamptz" : $"max({t})")} AS t1
                FROM src s
            )
            SELECT ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g), t0, t1 FROM box
            """);
        command.Parameters.AddRange(SourceParametersFor(collection, scope).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        double[]? bbox = reader.IsDBNull(0) ? null :
            [Math.Round(reader.GetDouble(0), 6), Math.Round(reader.GetDouble(1), 6), Math.Round(reader.GetDouble(2), 6), Math.Round(reader.GetDouble(3), 6)];
        DateTimeOffset? start = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4);
        DateTimeOffset? end = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5);
        return new OgcExtent(bbox, start, end);
    }

    /// <summary>The area kinds with their labels, for the per-kind area collections.</summary>
    public async Task<IReadOnlyList<(string Code, string LabelNl, string LabelEn)>> AreaKindsAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT code, label_nl, label_en FROM area_kind ORDER BY code");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var kinds = new List<(string, string, string)>();
        while (await reader.ReadAsync(cancellationToken)) kinds.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return kinds;
    }

    /// <summary>The statement behind a page of items, for the benchmark's raw baseline.</summary>
    public static string Source(OgcCollection collection) => SqlResource.Load(typeof(OgcFeatureStore).Assembly, $"Ogc.{collection.Source}.sql").TrimEnd().TrimEnd(';');

    private static List<NpgsqlParameter> SourceParametersFor(OgcCollection collection, CallerScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return
        [
            new() { Value = (object?)scope.SqlScope ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            Int(scope.Suppressed ? scope.SuppressionK : null),
            new() { Value = (object?)collection.Kind ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
        ];
    }

    /// <summary>The temporal property as a timestamptz (a date is the start of that day in Amsterdam).</summary>
    private static string? TemporalSql(OgcCollection collection) =>
        collection.Temporal is not { } name ? null
        : collection.Queryables[name].Type == QueryableType.Date ? $"({collection.Queryables[name].Sql}::timestamp AT TIME ZONE 'Europe/Amsterdam')"
        : collection.Queryables[name].Sql;

    /// <summary>A GeoJSON Feature as text, built in PostGIS: geometry in the asked CRS, properties in a fixed order.</summary>
    private static string FeatureSql(OgcCollection collection, OgcCrs crs)
    {
        var (crs84, webMercator) = collection.StoredProjections
            ? ("s.geom_crs84", "s.geom_webmercator")
            : ("ST_Transform(s.geom, 4326)", "ST_Transform(s.geom, 3857)");
        var geometry = crs.Srid switch
        {
            _ when collection.StoredGeoJson && StoredGeoJsonColumn(crs) is { } stored => stored,
            28992 => $"ST_AsGeoJSON(s.geom, {crs.Decimals})",
            3857 => $"ST_AsGeoJSON({webMercator}, {crs.Decimals})",
            4326 when crs.LatLon => $"ST_AsGeoJSON(ST_FlipCoordinates({crs84}), {crs.Decimals})",
            _ => $"ST_AsGeoJSON({crs84}, {crs.Decimals})",
        };
        var properties = new StringBuilder("json_build_object(");
        for (var i = 0; i < collection.Properties.Count; i++)
        {
            var p = collection.Properties[i];
            if (i > 0) properties.Append(", ");
            properties.Append('\'').Append(p.Name).Append("', ").Append(p.Sql);
        }
        properties.Append(')');
        return $$"""'{"type":"Feature","id":' || to_json(s.id)::text || ',"geometry":' || coalesce({{geometry}}, 'null') || ',"properties":' || {{properties}}::text || '}'""";
    }

    /// <summary>
    /// The stored GeoJSON text a source with <see cref="OgcCollection.StoredGeoJson"/> offers for this
    /// CRS, or null. Each text was written with one CRS's axis order and decimals
    /// (sql/2220_area_geojson_crs84.sql, sql/2340_area_geojson_rd.sql), so only a request for exactly
    /// those may read it; EPSG:4326 shares CRS84's SRID but not its axis order.
    /// </summary>
    private static string? StoredGeoJsonColumn(OgcCrs crs) =>
        crs == OgcCrs.Crs84 && crs.Decimals == 7 ? "s.geojson_crs84"
        : crs == OgcCrs.RdNew && crs.Decimals == 2 ? "s.geojson_rd"
        : null;

    private static string SqlType(QueryableType type) => type switch
    {
        QueryableType.Text => "text",
        QueryableType.Number => "float8",
        QueryableType.WholeNumber => "bigint",
        QueryableType.Boolean => "boolean",
        QueryableType.Date => "date",
        _ => "timestamptz",
    };

    private static NpgsqlParameter Parameter(CqlValue v) => v.Type switch
    {
        QueryableType.Text => new() { Value = (string)v.Value, NpgsqlDbType = NpgsqlDbType.Text },
        QueryableType.Number => new() { Value = Convert.ToDouble(v.Value, CultureInfo.InvariantCulture), NpgsqlDbType = NpgsqlDbType.Double },
        QueryableType.WholeNumber => new() { Value = Convert.ToInt64(v.Value, CultureInfo.InvariantCulture), NpgsqlDbType = NpgsqlDbType.Bigint },
        QueryableType.Boolean => new() { Value = (bool)v.Value, NpgsqlDbType = NpgsqlDbType.Boolean },
        QueryableType.Date => new() { Value = (DateOnly)v.Value, NpgsqlDbType = NpgsqlDbType.Date },
        _ => new() { Value = (DateTimeOffset)v.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
    };

    private static NpgsqlParameter Int(int? v) => new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer };
    private static NpgsqlParameter Double(double v) => new() { Value = v, NpgsqlDbType = NpgsqlDbType.Double };
    private static NpgsqlParameter Instant(DateTimeOffset? v) => new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
