using System.Text;
using GeoRisk.Core.Intake;

namespace GeoRisk.UnitTests.Intake;

public class BoundaryFileReaderTests
{
    private const string Square = """{"type":"Polygon","coordinates":[[[4.85,52.30],[4.86,52.30],[4.86,52.31],[4.85,52.31],[4.85,52.30]]]}""";

    private static MemoryStream File(params string[] properties) => new(Encoding.UTF8.GetBytes(
        "{\"type\":\"FeatureCollection\",\"features\":["
        + string.Join(",", properties.Select(p => $"{{\"type\":\"Feature\",\"properties\":{p},\"geometry\":{Square}}}")) + "]}"));

    [Fact]
    public void Amsterdam_buurten_get_their_wijk_stadsdeel_and_gemeente_from_the_code()
    {
        var file = BoundaryFileReader.Read(File(
            """{"identificatie":"03630980000019","naam":"Planciusbuurt-Noord","code":"AA01","cbsCode":"BU0363AA01"}""",
            """{"naam":"Afrikahaven","code":"BA01","cbsCode":"BU0363BA01"}"""));
        Assert.Equal(("amsterdam-buurt", "buurt", null), (file.Format, file.Kind, file.ExposureField));
        var first = file.Boundaries[0];
        Assert.Equal(("BU0363AA01", "Planciusbuurt-Noord", "WK0363AA"), (first.Area.Code, first.Area.Name, first.Area.ParentCode));
        Assert.Equal([new BoundaryLevel("wijk", "WK0363AA", "Wijk AA (Centrum)"), new BoundaryLevel("stadsdeel", "SD0363A", "Stadsdeel Centrum"),
            new BoundaryLevel("gemeente", "GM0363", "Amsterdam")], first.Ancestors);
        Assert.Equal("SD0363B", file.Boundaries[1].Ancestors[1].Code);
        Assert.Equal("GM0363", file.Boundaries[1].GemeenteCode);
    }

    [Theory]
    // CBS's snake case and PDOK's camel case; negative figures are CBS secrecy codes, not values.
    [InlineData("\"aantal_inwoners\":1234", "aantal_inwoners", 1234.0)]
    [InlineData("\"aantalInwoners\":0", "aantalInwoners", 0.0)]
    [InlineData("\"aantal_inwoners\":-99999999", "aantal_inwoners", null)]
    [InlineData("\"aantal_inwoners\":null", "aantal_inwoners", null)]
    public void Cbs_buurten_take_exposure_and_parents_from_the_file(string figure, string field, double? expected)
    {
        var file = BoundaryFileReader.Read(File(
            $$"""{"buurtcode":"BU03620401","buurtnaam":"Stadshart","wijkcode":"WK036204","wijknaam":"Stadshart","gemeentecode":"GM0362","gemeentenaam":"Amstelveen",{{figure}}}"""));
        Assert.Equal(("cbs-buurt", field, "inwoners"), (file.Format, file.ExposureField, file.ExposureUnit));
        var b = Assert.Single(file.Boundaries);
        Assert.Equal(expected, b.Exposure);
        Assert.Equal(expected is null ? null : "inwoners", b.ExposureUnit);
        Assert.Equal(expected is null ? 1 : 0, file.ExposureUnknown);
        Assert.Equal([new BoundaryLevel("wijk", "WK036204", "Stadshart"), new BoundaryLevel("gemeente", "GM0362", "Amstelveen")], b.Ancestors);
    }

    [Fact]
    public void Cbs_gemeenten_are_imported_as_gemeenten_and_a_filter_keeps_only_the_chosen_ones()
    {
        var file = BoundaryFileReader.Read(File(
            """{"gemeentecode":"GM0362","gemeentenaam":"Amstelveen","aantalInwoners":94418}""",
            """{"gemeentecode":"GM0014","gemeentenaam":"Groningen","aantalInwoners":238147}"""),
            gemeenten: new HashSet<string> { "GM0362" });
        Assert.Equal(("cbs-gemeente", "gemeente", 2, 1), (file.Format, file.Kind, file.Features, file.Skipped));
        var g = Assert.Single(file.Boundaries);
        Assert.Equal(("GM0362", 94418.0, (string?)null), (g.Area.Code, g.Exposure, g.Area.ParentCode));
        Assert.Empty(g.Ancestors);
    }

    [Fact]
    public void Exposure_can_be_chosen_or_left_out_and_a_missing_unit_is_an_error()
    {
        const string props = """{"gemeentecode":"GM0362","gemeentenaam":"Amstelveen","aantalInwoners":94418}""";
        Assert.Null(BoundaryFileReader.Read(File(props), exposure: "none").Boundaries[0].Exposure);
        var error = Assert.Throws<IntakeFormatException>(() => BoundaryFileReader.Read(File(props), exposure: "bedrijven"));
        Assert.Contains("no bedrijven figures", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_buurt_code_that_is_not_a_cbs_code_is_rejected_when_the_file_names_no_wijk()
    {
        var file = BoundaryFileReader.Read(File(
            """{"buurtcode":"B1","buurtnaam":"Zonder wijk"}""",
            """{"buurtcode":"BU03620402","buurtnaam":"Oude Dorp"}"""));
        var r = Assert.Single(file.Rejections);
        Assert.Equal((1, "buurtcode", RejectionReasons.InvalidCode), (r.Row, r.Field, r.Reason));
        // The wijk and gemeente follow from a CBS code when the file leaves them out.
        Assert.Equal(["WK036204", "GM0362"], file.Boundaries.Single().Ancestors.Select(a => a.Code));
    }

    [Fact]
    public void A_file_without_known_properties_says_what_it_expects()
    {
        var error = Assert.Throws<IntakeFormatException>(() => BoundaryFileReader.Read(File("""{"gemeentenaam":"Amstelveen"}""")));
        Assert.Contains("cbsCode", error.Message, StringComparison.Ordinal);
        Assert.Contains("georisk import areas", error.Message, StringComparison.Ordinal);
    }
}
