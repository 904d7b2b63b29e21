using GeoRisk.Core.Intake;
using GeoRisk.Core.Privacy;

namespace GeoRisk.UnitTests.Privacy;

/// <summary>
/// Data-driven cases for the privacy gate. Every must-reject case names the kind it must
/// find; every lookalike must pass, or the gate rejects honest data and becomes useless.
/// </summary>
public class PrivacyGateTests
{
    public static TheoryData<string, PersonalDataKind> MustReject => new()
    {
        // BSN: 9 digits passing the 11-check, plain, dotted, spaced, dashed, 4-2-3, inside text.
        { "111222333", PersonalDataKind.Bsn },
        { "123456782", PersonalDataKind.Bsn },
        { "BSN 232262536", PersonalDataKind.Bsn },
        { "bsn: 123.456.782", PersonalDataKind.Bsn },
        { "123 456 782", PersonalDataKind.Bsn },
        { "123-456-782", PersonalDataKind.Bsn },
        { "1112.22.333", PersonalDataKind.Bsn },
        { "betrokkene (691400507) woont hier", PersonalDataKind.Bsn },
        { "nr 781.676.447 genoemd", PersonalDataKind.Bsn },
        { "116 263 684", PersonalDataKind.Bsn },
        // IBAN: mod-97, NL and abroad, compact, grouped, lower case.
        { "NL91ABNA0417164300", PersonalDataKind.Iban },
        { "NL91 ABNA 0417 1643 00", PersonalDataKind.Iban },
        { "rekening nl91abna0417164300 gebruikt", PersonalDataKind.Iban },
        { "NL20INGB0001234567", PersonalDataKind.Iban },
        { "NL18 RABO 0123 4598 76", PersonalDataKind.Iban },
        { "NL69-INGB-0123-4567-89", PersonalDataKind.Iban },
        { "DE89 3704 0044 0532 0130 00", PersonalDataKind.Iban },
        { "BE68539007547034", PersonalDataKind.Iban },
        { "GB29 NWBK 6016 1331 9268 19", PersonalDataKind.Iban },
        { "FR14 2004 1010 0505 0001 3M02 606", PersonalDataKind.Iban },
        { "ES9121000418450200051332", PersonalDataKind.Iban },
        // E-mail.
        { "jan.jansen@example.nl", PersonalDataKind.Email },
        { "contact via info+tip@gemeente-amsterdam.nl graag", PersonalDataKind.Email },
        { "J.DE.VRIES@POLITIE.NL", PersonalDataKind.Email },
        { "mail: a_b@mail.co.uk.", PersonalDataKind.Email },
        { "<piet@xs4all.nl>", PersonalDataKind.Email },
        // Phone numbers: mobile, landline with area code, +31, 0031, separators.
        { "06-12345678", PersonalDataKind.Phone },
        { "0612345678", PersonalDataKind.Phone },
        { "06 1234 5678", PersonalDataKind.Phone },
        { "06 12 34 56 78", PersonalDataKind.Phone },
        { "+31 6 12345678", PersonalDataKind.Phone },
        { "+31612345678", PersonalDataKind.Phone },
        { "0031 6 1234 5678", PersonalDataKind.Phone },
        { "+31 (0)20 123 4567", PersonalDataKind.Phone },
        { "020-1234567", PersonalDataKind.Phone },
        { "(020) 123 4567", PersonalDataKind.Phone },
        { "bel 0513-123456 na 17u", PersonalDataKind.Phone },
        { "010 123 45 67", PersonalDataKind.Phone },
        { "tel. 088-1234567", PersonalDataKind.Phone },
        // Licence plates, side codes 1 to 14, dashed and undashed.
        { "AB-12-34", PersonalDataKind.LicencePlate },
        { "12-34-BN", PersonalDataKind.LicencePlate },
        { "12-BN-34", PersonalDataKind.LicencePlate },
        { "GF-14-NB", PersonalDataKind.LicencePlate },
        { "TN-ZF-23", PersonalDataKind.LicencePlate },
        { "34-HJ-KL", PersonalDataKind.LicencePlate },
        { "auto 12-KNZ-4 gezien", PersonalDataKind.LicencePlate },
        { "4-TZB-65", PersonalDataKind.LicencePlate },
        { "GF-123-B", PersonalDataKind.LicencePlate },
        { "K-123-BN", PersonalDataKind.LicencePlate },
        { "GBB-12-K", PersonalDataKind.LicencePlate },
        { "J-12-GTH", PersonalDataKind.LicencePlate },
        { "1-KH-123", PersonalDataKind.LicencePlate },
        { "123-BX-4", PersonalDataKind.LicencePlate },
        { "bestelbus GF14NB", PersonalDataKind.LicencePlate },
        { "12KNZ4", PersonalDataKind.LicencePlate },
        { "GBB12K", PersonalDataKind.LicencePlate },
        { "kenteken x-123-bn", PersonalDataKind.LicencePlate },
        // Dates of birth.
        { "geb. 12-03-1985", PersonalDataKind.BirthDate },
        { "geboren 1-2-1979 te Utrecht", PersonalDataKind.BirthDate },
        { "Geboortedatum: 31/12/1990", PersonalDataKind.BirthDate },
        { "man, geb 05.06.2001", PersonalDataKind.BirthDate },
        { "geboren op 12 maart 1985", PersonalDataKind.BirthDate },
        { "geboortedatum 1985-03-12", PersonalDataKind.BirthDate },
        { "Date of birth 01-01-1970", PersonalDataKind.BirthDate },
    };

    public static TheoryData<string> MustPass => new()
    {
        // KvK numbers and vestigingsnummers.
        "12345678",
        "KvK 34123456",
        "KvK-nummer 69599084",
        "vestigingsnummer 000012345678",
        "kvk:01234567",
        // Postcodes and house numbers.
        "1012 AB 45",
        "1012AB",
        "1012AB 12",
        "postcode 3011 AA huisnummer 112",
        "1102 CT 1-3",
        "Damstraat 12-14, 1012 JM",
        // Nine-digit numbers with an invalid 11-check.
        "123456789",
        "987654321",
        "111222334",
        "937600758",
        "zaak 133.298.611",
        "984 302 096",
        // Observation dates and times.
        "12-03-2024",
        "2024-03-12",
        "waargenomen 12-03-2024 14:30",
        "06-03-2024 12:00",
        "controle 06-03-2024 12 uur",
        "2025-11-02T21:15:00+01:00",
        "Gebied Zuidoost, bezocht 12-03-2024",
        "gebouw B, bezocht 14-02-2024",
        "geboorteplaats onbekend",
        // BAG ids, object references, coordinates, amounts.
        "0363010000123456",
        "0363200000123456",
        "NL.IMBAG.Pand.0363100012345678",
        "52.370216, 4.895168",
        "4.123456782",
        "POINT(121000 487000)",
        "121000.5 487000.25",
        "€ 1.250.000",
        "EUR 45.000,00",
        "€ 123.456.782",
        "bedrag 9.999,95 contant",
        "1234567890",
        // Service numbers, roads, words with digits, codes.
        "112",
        "0800-1234",
        "0900 8844",
        "A4 papier",
        "24uurs",
        "N201",
        "A10-west",
        "hal 12-B",
        "container MSCU1234567",
        "zaaknummer 2024-001234",
        "A-12-B",
        "12-34-56",
        "AB-CD-EF",
        "NL92ABNA0417164300",
        "NL12",
        // Not e-mail addresses.
        "@politie",
        "prijs @ 5 euro",
        "info at gemeente dot nl",
        "a@b",
        // Plain text.
        "Verdachte activiteit bij loods, veel verkeer 's nachts",
        "",
    };

    [Theory]
    [MemberData(nameof(MustReject))]
    public void Rejects_personal_data(string text, PersonalDataKind expected)
    {
        // Exactly the expected kind: the digits inside an IBAN or a date of birth are not also a phone number.
        var found = PrivacyGate.Scan(text);
        Assert.True(found == expected, $"expected {expected.Code()}, found [{string.Join(",", found.Codes())}]");
    }

    [Theory]
    [MemberData(nameof(MustPass))]
    public void Passes_honest_lookalikes(string text)
    {
        var found = PrivacyGate.Scan(text);
        Assert.True(found == PersonalDataKind.None, $"false positive: [{string.Join(",", found.Codes())}]");
    }

    [Fact]
    public void Has_at_least_fifty_cases_each_way()
    {
        Assert.True(MustReject.Count >= 50);
        Assert.True(MustPass.Count >= 50);
    }

    [Fact]
    public void Finds_several_kinds_in_one_value()
    {
        var found = PrivacyGate.Scan("tip van jan@example.nl, 06-12345678, rekening NL91ABNA0417164300");
        Assert.Equal(PersonalDataKind.Email | PersonalDataKind.Phone | PersonalDataKind.Iban, found);
    }

    [Fact]
    public void Kind_codes_are_the_documented_ones()
    {
        Assert.Equal(["bsn", "iban", "email", "phone", "licence_plate", "birth_date"], PersonalDataKinds.All.Select(k => k.Code()));
    }

    [Theory]
    [MemberData(nameof(MustReject))]
    public void Rejection_messages_never_contain_the_value(string text, PersonalDataKind expected)
    {
        var raw = new RawSignalRow(7);
        raw[SignalField.ExternalId] = "S-1";
        raw[SignalField.Category] = "drugshandel";
        raw[SignalField.Source] = "politie";
        raw[SignalField.ObservedAt] = "2025-03-14";
        raw[SignalField.X] = "121000";
        raw[SignalField.Y] = "487000";
        raw[SignalField.Remark] = "melding: " + text;
        var rejections = new List<Rejection>();
        var ok = new SignalRowValidator(new SignalIntakeOptions()).Validate(raw, rejections, out _);
        Assert.False(ok);
        var rejection = Assert.Single(rejections, r => r.Kind == expected.Code());
        Assert.Equal(7, rejection.Row);
        Assert.Equal("remark", rejection.Field);
        Assert.Equal(RejectionReasons.PersonalData, rejection.Reason);
        Assert.Equal($"remark contains {expected.Description()}", rejection.Message);
        foreach (var r in rejections)
        {
            Assert.DoesNotContain(text, r.Message + r.Field + r.Reason, StringComparison.OrdinalIgnoreCase);
        }
    }
}
