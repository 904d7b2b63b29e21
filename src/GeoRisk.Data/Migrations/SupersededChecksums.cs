namespace GeoRisk.Data.Migrations;

/// <summary>
/// Checksums that numbered migrations had before their function, trigger and view definitions
/// moved to <c>sql/functions/</c> (which defines them again, in their current form, after the
/// numbered migrations). A database that applied the former file has the same tables and data
/// and, once the repeatable files ran, the same functions: the runner accepts the former
/// checksum instead of refusing the database as edited, and runs nothing again (Flyway's
/// "repair", kept in the code instead of applied to each database).
/// The same step corrected two first-line comments (0001, 0401) that pointed outside the repository;
/// 0401's former checksum is here for that reason alone (0001 was trimmed anyway).
/// Only ever add to this list, one line per trimmed file and its former SHA-256: any other
/// difference still means an applied migration was edited, and is refused.
/// </summary>
public static class SupersededChecksums
{
    private static readonly (int Version, string Checksum)[] Entries =
    [
        (1, "f2031bb81d332a5631343d711852c3c3e4fd7ba575bb5978eb2c6258237e9585"),    // 0001_schema
        (300, "5550b82fde6cfea067160fd70111fa5b56129e2079f46bb14d934a28358496a9"),  // 0300_intake
        (400, "43a5119205f0eadb75c27d06fa989ee1c8b177679e963be889335f68032779c6"),  // 0400_hexbins
        (401, "6e728c00e9645c2a8bdb99b0d340acd17c30fb66efb9520be6501c5a1e63681f"),  // 0401_scoring_profile (its first comment only)
        (402, "92f2590972d21e8be361da27d61de5b4d3f2a8ef6325e781e68ea416cee25ee3"),  // 0402_scoring
        (403, "ac62a027b54a4cea63e3bd9297b60c11aa183506c24e32f9c70a109665c2f201"),  // 0403_hexbin_keys
        (500, "1cbe028e2a011157ed6144456717129258d0c6fe596def24f0d0b06b4b340482"),  // 0500_tile_invalidation
        (501, "fb36812a379652d7f8d0790c8f90673570dd81fdf4733ad7c3d128ca9c9763ad"),  // 0501_hexbin_tiles
        (600, "9c620738071f1ca82cd2b2ea31856c1739c2fb7fe5e7bd219d5ab4a19136711c"),  // 0600_access
        (700, "185e5e9e3bc9bc6fd58b4732156bfb47cabe770c881c118ba1d083c52a57283a"),  // 0700_signaallijst
        (1200, "a4bc0aac22d3c156b40f756358287b4d2a304dda964636b35bce341057f7cc88"), // 1200_wijkscan
        (1300, "ae0cb596d741243231036efd8309ad5fb8855a574423bb68a320771f78e2d0be"), // 1300_ports
        (1510, "54d283511f848b19e1d390b77b328d5d0854d1b9d368408479fbef00142b8d33"), // 1510_cell_key
        (1900, "0db777d0888eb34cdbdae19f9b6293a02bfef6d02915380a2419d7eddf701752"), // 1900_notify
        (1901, "efaf9bb1604a32c0af0b4d49477d2563b2e027b70404fb56d31d0deb973ac04c"), // 1901_hex_total_delta
        (2010, "63fbcd3bca9ffc2ba97375365e7dda3dfb3157cda96b5fa042e2716080c019c4"), // 2010_rtm_cell_key
    ];

    /// <summary>Every (version, former checksum) pair.</summary>
    public static IReadOnlyList<(int Version, string Checksum)> All => Entries;

    /// <summary>True when <paramref name="checksum"/> is a former checksum of migration <paramref name="version"/>.</summary>
    public static bool Accepts(int version, string checksum) =>
        Array.Exists(Entries, e => e.Version == version && string.Equals(e.Checksum, checksum, StringComparison.Ordinal));
}
