using System.Text.Json;
using GeoRisk.Core.Intake;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoRisk.Data.Intake;

/// <summary>
/// Reads an OGC GeoPackage (the format PDOK and CBS publish the wijk- en buurtkaart in) as the
/// GeoJSON FeatureCollections the boundary reader understands: one collection per feature table,
/// so the CBS file's <c>buurten</c>, <c>wijken</c> and <c>gemeenten</c> layers import together.
/// Properties are the table's columns; geometries come from the GeoPackage binary (a small header
/// followed by standard WKB), in EPSG:28992 or WGS84 as the file declares them.
/// </summary>
public static class GeoPackageFile
{
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <summary>Whether the stream starts like an SQLite database; the stream is left at its start.</summary>
    public static bool LooksLikeGeoPackage(Stream stream)
    {
        if (!stream.CanSeek)
        {
            return false;
        }
        var head = new byte[SqliteHeader.Length];
        var start = stream.Position;
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        return read == head.Length && head.AsSpan().SequenceEqual(SqliteHeader);
    }

    /// <summary>
    /// Each feature table of the GeoPackage as (table name, GeoJSON FeatureCollection). The
    /// database is read from a private temporary copy, read-only, and the copy is removed.
    /// </summary>
    public static IReadOnlyList<(string Layer, MemoryStream GeoJson)> ReadLayers(Stream stream)
    {
        var path = Path.Combine(Path.GetTempPath(), $"georisk-{Guid.NewGuid():N}.gpkg");
        try
        {
            using (var copy = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None))
            {
                stream.CopyTo(copy);
            }
            var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
            using var connection = new SqliteConnection(builder.ToString());
            try
            {
                connection.Open();
                return ReadLayers(connection);
            }
            catch (SqliteException e)
            {
                // SQLite's own message names the table or the damage, never a feature's content.
                throw new IntakeFormatException($"the GeoPackage cannot be read ({e.Message.TrimEnd('.')})");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<(string, MemoryStream)> ReadLayers(SqliteConnection connection)
    {
        var tables = new List<(string Table, string Column, int SrsId)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT c.table_name, g.column_name, g.srs_id
                FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
                WHERE c.data_type = 'features'
                ORDER BY c.table_name
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
            }
        }
        if (tables.Count == 0)
        {
            throw new IntakeFormatException("the GeoPackage has no feature tables (gpkg_contents lists none with data_type 'features')");
        }
        var layers = new List<(string, MemoryStream)>(tables.Count);
        foreach (var (table, column, srsId) in tables)
        {
            layers.Add((table, ReadTable(connection, table, column, Epsg(connection, table, srsId))));
        }
        return layers;
    }

    /// <summary>The EPSG code of a table's spatial reference system; only RD New and WGS84 are accepted for intake.</summary>
    private static int Epsg(SqliteConnection connection, string table, int srsId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT upper(organization), organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = $id";
        command.Parameters.AddWithValue("$id", srsId);
        using var reader = command.ExecuteReader();
        var epsg = reader.Read() && reader.GetString(0) == "EPSG" ? reader.GetInt32(1) : -1;
        return epsg is Crs.Rd or Crs.Wgs84
            ? epsg
            : throw new IntakeFormatException($"layer {IntakeStreams.SafeName(table, 0)}: its coordinate system (srs_id {srsId}) is not supported; use EPSG:28992 or EPSG:4326");
    }

    private static MemoryStream ReadTable(SqliteConnection connection, string table, string geometryColumn, int epsg)
    {
        var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            if (epsg == Crs.Rd)
            {
                json.WriteStartObject("crs");
                json.WriteString("type", "name");
                json.WriteStartObject("properties");
                json.WriteString("name", "urn:ogc:def:crs:EPSG::28992");
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteStartArray("features");
            using var command = connection.CreateCommand();
            // Names come from the file's own catalogue, quoted as SQLite identifiers: nothing from a request.
            command.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            using var reader = command.ExecuteReader();
            var geometryOrdinal = reader.GetOrdinal(geometryColumn);
            var wkb = new WKBReader();
            while (reader.Read())
            {
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteStartObject("properties");
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (i == geometryOrdinal || reader.GetName(i) == "fid")
                    {
                        continue;
                    }
                    WriteValue(json, reader.GetName(i), reader, i);
                }
                json.WriteEndObject();
                json.WritePropertyName("geometry");
                if (reader.IsDBNull(geometryOrdinal) || Geometry(wkb, (byte[])reader.GetValue(geometryOrdinal)) is not { } geometry)
                {
                    json.WriteNullValue();
                }
                else
                {
                    WriteGeometry(json, geometry);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.Position = 0;
        return output;
    }

    private static void WriteValue(Utf8JsonWriter json, string name, SqliteDataReader reader, int i)
    {
        if (reader.IsDBNull(i))
        {
            json.WriteNull(name);
            return;
        }
        switch (reader.GetValue(i))
        {
            case long l: json.WriteNumber(name, l); break;
            case double d when double.IsFinite(d): json.WriteNumber(name, d); break;
            case string s: json.WriteString(name, s); break;
            // Blobs and non-finite numbers have no GeoJSON form; the boundary reader does not need them.
            default: break;
        }
    }

    /// <summary>
    /// A GeoPackage geometry blob: "GP", version, flags (bit 0 byte order of the header, bits 1–3
    /// the envelope's size, bit 4 empty), srs_id, envelope, then standard WKB. Null when empty.
    /// </summary>
    public static Geometry? Geometry(WKBReader reader, byte[] blob)
    {
        if (blob.Length < 8 || blob[0] != (byte)'G' || blob[1] != (byte)'P')
        {
            throw new IntakeFormatException("a geometry is not a GeoPackage geometry (it does not start with 'GP')");
        }
        var flags = blob[3];
        if ((flags & 0b1_0000) != 0)
        {
            return null;
        }
        var envelopeBytes = ((flags >> 1) & 0b111) switch
        {
            0 => 0,
            1 => 32,
            2 or 3 => 48,
            4 => 64,
            _ => throw new IntakeFormatException("a geometry has an invalid GeoPackage envelope code"),
        };
        var start = 8 + envelopeBytes;
        if (blob.Length <= start)
        {
            throw new IntakeFormatException("a geometry is cut short after its GeoPackage header");
        }
        try
        {
            return reader.Read(blob.AsSpan(start).ToArray());
        }
        catch (Exception e) when (e is ParseException or ArgumentException or IOException)
        {
            throw new IntakeFormatException("a geometry's WKB cannot be read");
        }
    }

    private static void WriteGeometry(Utf8JsonWriter json, Geometry geometry)
    {
        json.WriteStartObject();
        json.WriteString("type", geometry.GeometryType);
        if (geometry is GeometryCollection and not (MultiPoint or MultiLineString or MultiPolygon))
        {
            json.WriteStartArray("geometries");
            for (var i = 0; i < geometry.NumGeometries; i++)
            {
                WriteGeometry(json, geometry.GetGeometryN(i));
            }
            json.WriteEndArray();
        }
        else
        {
            json.WritePropertyName("coordinates");
            WriteCoordinates(json, geometry);
        }
        json.WriteEndObject();
    }

    private static void WriteCoordinates(Utf8JsonWriter json, Geometry geometry)
    {
        switch (geometry)
        {
            case Point p:
                WritePosition(json, p.Coordinate);
                break;
            case LineString line:
                WriteSequence(json, line.Coordinates);
                break;
            case Polygon polygon:
                json.WriteStartArray();
                WriteSequence(json, polygon.ExteriorRing.Coordinates);
                foreach (var hole in polygon.InteriorRings)
                {
                    WriteSequence(json, hole.Coordinates);
                }
                json.WriteEndArray();
                break;
            default:
                json.WriteStartArray();
                for (var i = 0; i < geometry.NumGeometries; i++)
                {
                    WriteCoordinates(json, geometry.GetGeometryN(i));
                }
                json.WriteEndArray();
                break;
        }
    }

    private static void WriteSequence(Utf8JsonWriter json, Coordinate[] coordinates)
    {
        json.WriteStartArray();
        foreach (var c in coordinates)
        {
            WritePosition(json, c);
        }
        json.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter json, Coordinate c)
    {
        json.WriteStartArray();
        json.WriteNumberValue(c.X);
        json.WriteNumberValue(c.Y);
        json.WriteEndArray();
    }
}
