using GeoRisk.Core.Ogc;
using Xunit;

namespace GeoRisk.UnitTests.Ogc;

public class Cql2Tests
{
    private static readonly Dictionary<string, OgcProperty> Queryables = new[]
    {
        new OgcProperty("kind", QueryableType.Text, "s.\"kind\"", ""),
        new OgcProperty("score", QueryableType.Number, "s.\"score\"", ""),
        new OgcProperty("signal_count", QueryableType.WholeNumber, "s.\"signal_count\"", ""),
        new OgcProperty("kandidaat", QueryableType.Boolean, "s.\"kandidaat\"", ""),
        new OgcProperty("reference_date", QueryableType.Date, "s.\"reference_date\"", ""),
        new OgcProperty("observed_at", QueryableType.Timestamp, "s.\"observed_at\"", ""),
    }.ToDictionary(q => q.Name);

    [Theory]
    [InlineData("kind = 'buurt'", "(s.\"kind\" = $5::text)")]
    [InlineData("score > 50 AND kandidaat = TRUE", "((s.\"score\" > $5::float8) AND (s.\"kandidaat\" = $6::boolean))")]
    [InlineData("kind='a' OR kind='b' AND score<=1", "((s.\"kind\" = $5::text) OR ((s.\"kind\" = $6::text) AND (s.\"score\" <= $7::float8)))")]
    [InlineData("NOT (kind <> 'x')", "(NOT (s.\"kind\" <> $5::text))")]
    [InlineData("kind LIKE 'buu%'", "(s.\"kind\" LIKE $5::text)")]
    [InlineData("kind NOT IN ('a', 'b')", "(s.\"kind\" NOT IN ($5::text, $6::text))")]
    [InlineData("signal_count BETWEEN 5 AND 10", "(s.\"signal_count\" BETWEEN $5::float8 AND $6::float8)")]
    [InlineData("kind IS NOT NULL", "(s.\"kind\" IS NOT NULL)")]
    [InlineData("reference_date >= DATE('2026-01-01')", "(s.\"reference_date\" >= $5::date)")]
    [InlineData("T_AFTER(observed_at, TIMESTAMP('2026-01-01T00:00:00Z'))", "(s.\"observed_at\" > $5::timestamptz)")]
    [InlineData("\"kind\" = 'x'", "(s.\"kind\" = $5::text)")]
    public void Translates_to_parameterised_sql(string filter, string expected)
    {
        var sql = Cql2.ToSql(filter, Queryables, 5);
        Assert.Equal(expected, sql.Sql);
    }

    [Fact]
    public void Literals_become_typed_values_never_sql_text()
    {
        var sql = Cql2.ToSql("kind = 'x''; DROP TABLE area; --' AND score >= 2.5e1 AND reference_date < DATE('2026-02-03')", Queryables, 1);
        Assert.DoesNotContain("DROP", sql.Sql, StringComparison.Ordinal);
        Assert.Equal([QueryableType.Text, QueryableType.Number, QueryableType.Date], sql.Values.Select(v => v.Type));
        Assert.Equal("x'; DROP TABLE area; --", sql.Values[0].Value);
        Assert.Equal(25.0, sql.Values[1].Value);
        Assert.Equal(new DateOnly(2026, 2, 3), sql.Values[2].Value);
    }

    [Fact]
    public void A_date_compared_with_a_timestamp_is_the_start_of_that_day_in_amsterdam()
    {
        var sql = Cql2.ToSql("reference_date < TIMESTAMP('2026-01-01T12:00:00Z')", Queryables, 1);
        Assert.Contains("AT TIME ZONE 'Europe/Amsterdam'", sql.Sql, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), sql.Values[0].Value);
    }

    [Theory]
    [InlineData("owner = 'x'", "unknown property 'owner'")]
    [InlineData("score = 'high'", "property 'score' is a number")]
    [InlineData("kind LIKE 5", "LIKE needs a text")]
    [InlineData("kind =", "ends where")]
    [InlineData("kind = 'x' AND", "ends where")]
    [InlineData("(kind = 'x'", "')'")]
    [InlineData("kind = 'x", "unterminated")]
    [InlineData("S_INTERSECTS(geom, POINT(1 2))", "not supported")]
    [InlineData("reference_date > DATE('2026-13-01')", "not a date")]
    [InlineData("observed_at > TIMESTAMP('2026-01-01T00:00:00')", "with a zone")]
    [InlineData("kandidaat > TRUE", "booleans")]
    [InlineData("kind = 'a' kind", "expected AND, OR")]
    [InlineData("", "empty")]
    [InlineData("kind ; 'x'", "unexpected character")]
    public void Refuses_with_a_message_that_says_what_is_wrong(string filter, string expected)
    {
        var e = Assert.Throws<CqlException>(() => Cql2.ToSql(filter, Queryables, 1));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_literals_are_not_echoed_in_errors()
    {
        var e = Assert.Throws<CqlException>(() => Cql2.ToSql("score = 'NL91ABNA0417164300'", Queryables, 1));
        Assert.DoesNotContain("NL91", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var filter = new string('(', 40) + "kind = 'x'" + new string(')', 40);
        var e = Assert.Throws<CqlException>(() => Cql2.ToSql(filter, Queryables, 1));
        Assert.Contains("deeper", e.Message, StringComparison.Ordinal);
    }
}
