namespace GeoRisk.IntegrationTests.Infrastructure;

/// <summary>
/// Where the test databases are; scripts/test.sh sets these. A missing value fails the test
/// with a clear message instead of skipping it: tests never skip silently.
/// </summary>
public static class TestEnvironment
{
    /// <summary>Migrated and seeded with the demo; read-only for tests.</summary>
    public static string DemoConnectionString => Required("GEORISK_TEST_DB");

    /// <summary>Name of the migrated, empty template database that tests clone.</summary>
    public static string TemplateDatabase => Required("GEORISK_TEMPLATE_DB");

    /// <summary>A connection to the cluster's maintenance database, for CREATE/DROP DATABASE.</summary>
    public static string AdminConnectionString => Required("GEORISK_ADMIN_DB");

    /// <summary>
    /// The same database as <paramref name="ownerConnectionString"/>, reached as the application's
    /// login role (member of georisk_app: not a superuser, owns nothing; sql/1501_app_role.sql).
    /// </summary>
    public static string AppConnectionString(string ownerConnectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(ownerConnectionString)
        {
            Username = Required("GEORISK_TEST_APP_USER"),
            Password = Required("GEORISK_TEST_APP_PASSWORD"),
        }.ConnectionString;

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests with scripts/test.sh, which starts PostGIS and prepares the test databases.");
}

public static class DemoDatabase
{
    public static string ConnectionString => TestEnvironment.DemoConnectionString;
}
