using System.Text;
using GeoRisk.Core.Intake;

namespace GeoRisk.UnitTests.Intake;

/// <summary>Reading signal files and validating their rows, without a database.</summary>
public class SignalIntakeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static MemoryStream Utf8(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    private static (List<SignalRecord> Ok, List<Rejection> Rejected) Run(string file, SignalIntakeOptions? options = null)
    {
        options ??= new SignalIntakeOptions();
        var reader = SignalFileReader.Open(Utf8(file), options);
        var validator = new SignalRowValidator(options, new FixedTime());
        var ok = new List<SignalRecord>();
        var rejected = new List<Rejection>();
        foreach (var raw in reader.Rows)
        {
            if (validator.Validate(raw, rejected, out var record))
            {
                ok.Add(record);
            }
        }
        return (ok, rejected);
    }

    private const string Header = "external_id,category,source,observed_at,x,y,reliability,precision,object_ref,remark\n";

    [Fact]
    public void Reads_a_valid_rd_csv()
    {
        var (ok, rejected) = Run(Header
            + "S-1,drugshandel,politie,2025-03-14T09:30:00+01:00,121000.5,487000,0.8,object,0363010000123456,\"loods, veel verkeer\"\n"
            + "S-2,Witwassen,gemeente,14-03-2025 10:00,122000,488000,\"0,6\",pc6,,\n");
        Assert.Empty(rejected);
        Assert.Equal(2, ok.Count);
        var first = ok[0];
        Assert.Equal((1, "politie", "S-1", "drugshandel"), (first.Row, first.Source, first.ExternalId, first.Category));
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 8, 30, 0, TimeSpan.Zero), first.ObservedAt.ToUniversalTime());
        Assert.Equal((121000.5, 487000.0, 28992), (first.X, first.Y, first.Srid));
        Assert.Equal(0.8f, first.Reliability);
        Assert.Equal("loods, veel verkeer", first.Remark);
        Assert.Equal("0363010000123456", first.ObjectRef);
        // Dutch dates are local time (CET in March), category codes are case-insensitive.
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero), ok[1].ObservedAt.ToUniversalTime());
        Assert.Equal("witwassen", ok[1].Category);
        Assert.Equal(0.6f, ok[1].Reliability);
        Assert.Null(ok[1].Remark);
    }

    [Fact]
    public void Lon_lat_columns_are_wgs84_and_wkt_may_carry_a_srid()
    {
        var (ok, rejected) = Run("external_id,category,source,observed_at,lon,lat\nS-1,drugshandel,politie,2025-01-01,4.8952,52.3702\n");
        Assert.Empty(rejected);
        Assert.Equal((4.8952, 52.3702, 4326), (ok[0].X, ok[0].Y, ok[0].Srid));
        (ok, rejected) = Run("external_id,category,source,observed_at,wkt\nS-1,drugshandel,politie,2025-01-01,SRID=4326;POINT(4.8952 52.3702)\nS-2,drugshandel,politie,2025-01-01,POINT (121000 487000)\n");
        Assert.Empty(rejected);
        Assert.Equal(4326, ok[0].Srid);
        Assert.Equal(28992, ok[1].Srid);
    }

    [Theory]
    [InlineData("x,y", "487000,121000", 28992, "x")]
    [InlineData("lon,lat", "52.37,4.89", 4326, "lon")]
    public void Swapped_coordinates_are_rejected_with_the_hint(string columns, string values, int srid, string field)
    {
        var (ok, rejected) = Run($"external_id,category,source,observed_at,{columns}\nS-1,drugshandel,politie,2025-01-01,{values}\n");
        Assert.Empty(ok);
        var r = Assert.Single(rejected);
        Assert.Equal((1, field, RejectionReasons.SwappedCoordinates), (r.Row, r.Field, r.Reason));
        Assert.Contains("swapped", r.Message, StringComparison.Ordinal);
        Assert.True(srid > 0);
    }

    [Fact]
    public void Degrees_in_rd_columns_get_a_crs_hint_and_far_points_are_outside()
    {
        var (_, rejected) = Run("external_id,category,source,observed_at,x,y\nS-1,drugshandel,politie,2025-01-01,4.89,52.37\nS-2,drugshandel,politie,2025-01-01,700000,100000\n");
        Assert.Equal(2, rejected.Count);
        Assert.All(rejected, r => Assert.Equal(RejectionReasons.OutsideNetherlands, r.Reason));
        Assert.Contains("--crs 4326", rejected[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crs_flag_applies_to_x_y_columns()
    {
        var (ok, rejected) = Run("external_id,category,source,observed_at,x,y\nS-1,drugshandel,politie,2025-01-01,4.89,52.37\n", new SignalIntakeOptions(Crs: 4326));
        Assert.Empty(rejected);
        Assert.Equal(4326, ok[0].Srid);
    }

    public static TheoryData<string, string, string> BadRows => new()
    {
        { "S-1,,politie,2025-01-01,121000,487000,,,,", "category", RejectionReasons.Required },
        { "S-1,drugshandel,politie,gisteren,121000,487000,,,,", "observed_at", RejectionReasons.InvalidDate },
        { "S-1,drugshandel,politie,2025-02-30,121000,487000,,,,", "observed_at", RejectionReasons.InvalidDate },
        { "S-1,drugshandel,politie,2027-01-01,121000,487000,,,,", "observed_at", RejectionReasons.FutureDate },
        { "S-1,drugshandel,politie,2025-01-01,,487000,,,,", "x", RejectionReasons.MissingCoordinates },
        { "S-1,drugshandel,politie,2025-01-01,abc,487000,,,,", "x", RejectionReasons.InvalidNumber },
        { "S-1,drugshandel,politie,2025-01-01,121000,487000,1.5,,,", "reliability", RejectionReasons.ReliabilityOutOfRange },
        { "S-1,drugshandel,politie,2025-01-01,121000,487000,-0.1,,,", "reliability", RejectionReasons.ReliabilityOutOfRange },
        { "S-1,drugshandel,politie,2025-01-01,121000,487000,,,bag id met spaties,", "object_ref", RejectionReasons.InvalidObjectRef },
        { ",drugshandel,politie,2025-01-01,121000,487000,,,,", "external_id", RejectionReasons.Required },
        { "S-1,drugshandel,politie,2025-01-01,121000,487000,,,,tel 06-12345678", "remark", RejectionReasons.PersonalData },
        { "06-12345678,drugshandel,politie,2025-01-01,121000,487000,,,,", "external_id", RejectionReasons.PersonalData },
        { "S-1,drugshandel,politie,2025-01-01,121000,487000,,,,\"" + new string('a', 281) + "\"", "remark", RejectionReasons.TooLong },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void Bad_rows_name_row_field_and_reason(string line, string field, string reason)
    {
        var (ok, rejected) = Run(Header + "S-0,drugshandel,politie,2025-01-01,121000,487000,,,,\n" + line + "\n");
        Assert.Single(ok);
        Assert.Contains(rejected, r => r.Row == 2 && r.Field == field && r.Reason == reason);
    }

    [Fact]
    public void Duplicate_external_id_in_the_file_is_rejected_with_the_first_row()
    {
        var (ok, rejected) = Run(Header + "S-1,drugshandel,politie,2025-01-01,121000,487000,,,,\nS-1,drugshandel,politie,2025-01-02,121000,487000,,,,\nS-1,drugshandel,gemeente,2025-01-02,121000,487000,,,,\n");
        Assert.Equal(2, ok.Count);
        var r = Assert.Single(rejected);
        Assert.Equal((2, "external_id", RejectionReasons.DuplicateExternalId), (r.Row, r.Field, r.Reason));
        Assert.Contains("row 1", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_source_fills_a_missing_source_column()
    {
        var (ok, rejected) = Run("external_id,category,observed_at,x,y\nS-1,drugshandel,2025-01-01,121000,487000\n", new SignalIntakeOptions(DefaultSource: "Havenbedrijf"));
        Assert.Empty(rejected);
        Assert.Equal("havenbedrijf", ok[0].Source);
    }

    [Fact]
    public void Unknown_columns_are_refused_naming_the_column_but_never_a_personal_one()
    {
        var e = Assert.Throws<IntakeFormatException>(() => Run("external_id,category,source,observed_at,x,y,naam,jan@example.nl\nS-1,drugshandel,politie,2025-01-01,121000,487000,a,b\n"));
        Assert.Equal(2, e.Rejections.Count);
        Assert.Equal(("naam", RejectionReasons.UnknownField, 0), (e.Rejections[0].Field, e.Rejections[0].Reason, e.Rejections[0].Row));
        Assert.Equal("#8", e.Rejections[1].Field);
        Assert.DoesNotContain("jan@", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("external_id;category;source;observed_at;x;y\nS-1;drugshandel;politie;2025-01-01;121000;487000\n", "semicolon")]
    [InlineData("external_id\tcategory\tsource\tobserved_at\tx\ty\n", "tab")]
    [InlineData("", "empty")]
    [InlineData("\n\n  \n", "blank")]
    [InlineData("external_id,category,source,observed_at,x,y\n", "no rows")]
    [InlineData("external_id,category,source,observed_at,x,y\nS-1,\"drugshandel,politie,2025-01-01,121000,487000\n", "never ends")]
    [InlineData("external_id,category,source,observed_at\nS-1,drugshandel,politie,2025-01-01\n", "no coordinate columns")]
    public void Malformed_files_are_format_errors(string file, string expected)
    {
        var e = Assert.Throws<IntakeFormatException>(() => Run(file));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_garbage_is_a_format_error()
    {
        var bytes = new byte[2048];
        new Random(42).NextBytes(bytes);
        bytes[0] = 0x89; // never '{'
        var e = Assert.Throws<IntakeFormatException>(() => Run(Encoding.Latin1.GetString(bytes)));
        // Not '{', so read as CSV: whatever the bytes, the header is what is refused.
        Assert.Contains("header", e.Message, StringComparison.Ordinal);
        Assert.Throws<IntakeFormatException>(() =>
        {
            var reader = SignalFileReader.Open(new MemoryStream(bytes), new SignalIntakeOptions());
            _ = reader.Rows.ToList();
        });
        Assert.Throws<IntakeFormatException>(() =>
        {
            var reader = SignalFileReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(Header + "S-1,a\0b,politie\n")), new SignalIntakeOptions());
            _ = reader.Rows.ToList();
        });
    }

    [Fact]
    public void One_endless_line_is_refused_without_buffering_it()
    {
        var line = new string('x', 5_000_000);
        var e = Assert.Throws<IntakeFormatException>(() => Run(line));
        Assert.Contains("longer than", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<IntakeFormatException>(() => Run(Header + "S-1,drugshandel,politie,2025-01-01,121000,487000,,,," + line + "\n"));
        Assert.Contains("record 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_reader_handles_quotes_crlf_and_embedded_newlines()
    {
        var csv = new CsvRecordReader(new StringReader("a,\"b \"\"q\"\"\",\"c\r\nd\"\r\n\r\n1,,3"));
        var fields = new List<string>();
        Assert.True(csv.ReadRecord(fields));
        Assert.Equal(["a", "b \"q\"", "c\r\nd"], fields);
        Assert.True(csv.ReadRecord(fields));
        Assert.Equal(["1", "", "3"], fields);
        Assert.False(csv.ReadRecord(fields));
    }

    [Fact]
    public void Csv_reader_is_exact_across_its_buffer_boundaries()
    {
        // Quoted fields with commas, doubled quotes and line breaks, over many 64K buffers.
        var random = new Random(5);
        var expected = new List<string[]>();
        var text = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            var remark = new string('x', random.Next(0, 200)) + ", \"q\"\r\n" + i;
            var row = new[] { $"S-{i}", new string('a', random.Next(1, 50)), remark };
            expected.Add(row);
            text.Append(row[0]).Append(',').Append(row[1]).Append(",\"").Append(remark.Replace("\"", "\"\"", StringComparison.Ordinal)).Append(i % 2 == 0 ? "\"\r\n" : "\"\n");
        }
        var csv = new CsvRecordReader(new StringReader(text.ToString()));
        var fields = new List<string>();
        foreach (var row in expected)
        {
            Assert.True(csv.ReadRecord(fields));
            Assert.Equal(row, fields);
        }
        Assert.False(csv.ReadRecord(fields));
    }

    [Fact]
    public void GeoJson_points_take_the_crs_member_and_refuse_unknown_properties()
    {
        const string file = """
            {"type":"FeatureCollection",
             "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},
             "features":[
               {"type":"Feature","id":"S-1","geometry":{"type":"Point","coordinates":[121000,487000]},
                "properties":{"category":"drugshandel","source":"politie","observed_at":"2025-01-01","reliability":0.7}},
               {"type":"Feature","geometry":{"type":"Point","coordinates":[121000,487000]},
                "properties":{"external_id":"S-2","category":"drugshandel","source":"politie","observed_at":"2025-01-01","eigenaar":"x"}},
               {"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},
                "properties":{"external_id":"S-3","category":"drugshandel","source":"politie","observed_at":"2025-01-01"}}
             ]}
            """;
        var (ok, rejected) = Run(file);
        var s1 = Assert.Single(ok);
        Assert.Equal(("S-1", 28992, 0.7f), (s1.ExternalId, s1.Srid, s1.Reliability));
        Assert.Contains(rejected, r => r.Row == 2 && r.Field == "eigenaar" && r.Reason == RejectionReasons.UnknownField);
        Assert.Contains(rejected, r => r.Row == 3 && r.Field == "geometry" && r.Reason == RejectionReasons.InvalidGeometry);
    }

    [Fact]
    public void GeoJson_without_crs_is_wgs84_and_swaps_are_caught()
    {
        const string file = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","geometry":{"type":"Point","coordinates":[52.37,4.89]},
               "properties":{"external_id":"S-1","category":"drugshandel","source":"politie","observed_at":"2025-01-01"}}]}
            """;
        var (_, rejected) = Run(file);
        var r = Assert.Single(rejected);
        Assert.Equal(("geometry", RejectionReasons.SwappedCoordinates), (r.Field, r.Reason));
    }

    [Theory]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",")]
    [InlineData("{\"type\":\"Feature\"}")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[]}")]
    [InlineData("{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:3857\"}},\"features\":[]}")]
    public void Broken_geojson_is_a_format_error(string file)
    {
        Assert.Throws<IntakeFormatException>(() => Run(file));
    }

    [Theory]
    [InlineData("2025-03-14", "2025-03-13T23:00:00Z")]
    [InlineData("2025-07-14 12:00", "2025-07-14T10:00:00Z")]
    [InlineData("2025-03-14T09:30:15.5Z", "2025-03-14T09:30:15.5Z")]
    [InlineData("2025-03-14T09:30:00+0100", "2025-03-14T08:30:00Z")]
    [InlineData("14-03-2025", "2025-03-13T23:00:00Z")]
    [InlineData("14/03/2025 09:30:00", "2025-03-14T08:30:00Z")]
    public void Observed_at_formats(string text, string utc)
    {
        Assert.True(SignalRowValidator.TryParseObservedAt(text, out var value));
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("14-13-2025")]
    [InlineData("2025-03-14T25:00")]
    [InlineData("2025-03-14T09:30+1")]
    [InlineData("2025-03-14 nu")]
    [InlineData("1899-12-31")]
    [InlineData("14 maart 2025")]
    public void Observed_at_rejects(string text)
    {
        Assert.False(SignalRowValidator.TryParseObservedAt(text, out _));
    }

    [Theory]
    [InlineData("EPSG:28992", 28992)]
    [InlineData("urn:ogc:def:crs:EPSG::28992", 28992)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/28992", 28992)]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", 4326)]
    [InlineData("urn:ogc:def:crs:OGC::CRS84", 4326)]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326)]
    [InlineData("EPSG:4326", 4326)]
    public void Crs_names(string name, int srid)
    {
        Assert.Equal(srid, Crs.Parse(name));
    }
}
