namespace GeoRisk.Core.Privacy;

/// <summary>
/// The kinds of personal data the privacy gate recognises. A finding carries only
/// these kinds, never the value that triggered it: errors and logs must not echo personal data.
/// </summary>
[Flags]
public enum PersonalDataKind
{
    None = 0,
    Bsn = 1,
    Iban = 2,
    Email = 4,
    Phone = 8,
    LicencePlate = 16,
    BirthDate = 32,
}

public static class PersonalDataKinds
{
    public static IReadOnlyList<PersonalDataKind> All { get; } =
    [
        PersonalDataKind.Bsn, PersonalDataKind.Iban, PersonalDataKind.Email,
        PersonalDataKind.Phone, PersonalDataKind.LicencePlate, PersonalDataKind.BirthDate,
    ];

    /// <summary>Stable API code of a single kind: bsn, iban, email, phone, licence_plate, birth_date.</summary>
    public static string Code(this PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.Bsn => "bsn",
        PersonalDataKind.Iban => "iban",
        PersonalDataKind.Email => "email",
        PersonalDataKind.Phone => "phone",
        PersonalDataKind.LicencePlate => "licence_plate",
        PersonalDataKind.BirthDate => "birth_date",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), "not a single personal data kind"),
    };

    /// <summary>Words for an error message: "remark contains an IBAN".</summary>
    public static string Description(this PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.Bsn => "a BSN",
        PersonalDataKind.Iban => "an IBAN",
        PersonalDataKind.Email => "an e-mail address",
        PersonalDataKind.Phone => "a phone number",
        PersonalDataKind.LicencePlate => "a licence plate",
        PersonalDataKind.BirthDate => "a date of birth",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), "not a single personal data kind"),
    };

    /// <summary>The single kinds contained in a set of flags, in a fixed order.</summary>
    public static IEnumerable<PersonalDataKind> Split(this PersonalDataKind kinds) =>
        All.Where(k => (kinds & k) != 0);

    public static IReadOnlyList<string> Codes(this PersonalDataKind kinds) => kinds.Split().Select(Code).ToList();
}
