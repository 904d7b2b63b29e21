using GeoRisk.Core.Access;
using Npgsql;

namespace GeoRisk.Data.Access;

/// <summary>A demo key as printed and written to the keys file (development only).</summary>
public sealed record DemoKey(string Name, string Role, IReadOnlyList<string> Casustafels, string Id, string Key);

/// <summary>
/// One key per role (admin, analyst, viewer over all areas) and one member key per casustafel
/// in the database. A secret cannot be recovered from its hash, so every run revokes the demo
/// keys of the previous run and creates fresh ones: the latest keys file is always valid.
/// </summary>
public static class DemoKeys
{
    public const string LabelPrefix = "demo ";

    // The demo's member keys belong to the municipality, so follow-up histories name an organisation.
    private const string MemberPartner = "gemeente";

    public static async Task<IReadOnlyList<DemoKey>> CreateAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var store = new ApiKeyStore(db);
        foreach (var old in await store.ListAsync(includeRevoked: false, ct))
        {
            if (old.Label.StartsWith(LabelPrefix, StringComparison.Ordinal))
            {
                await store.RevokeAsync(old.Id, ct);
            }
        }

        var casustafels = new List<string>();
        await using (var cmd = db.CreateCommand("SELECT id FROM casustafel ORDER BY id"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                casustafels.Add(reader.GetString(0));
            }
        }

        var wanted = new List<(string Name, Role Role, string[] Casustafels)>
        {
            ("admin", Role.Admin, []),
            ("analyst", Role.Analyst, []),
            ("viewer", Role.Viewer, []),
        };
        wanted.AddRange(casustafels.Select(c => ($"member-{c}", Role.Member, new[] { c })));

        var keys = new List<DemoKey>();
        foreach (var (name, role, bound) in wanted)
        {
            var created = await store.CreateAsync(role, bound, LabelPrefix + name, ct,
                partner: role == Role.Member ? MemberPartner : null);
            keys.Add(new DemoKey(name, role.Name(), bound, created.Info.Id, created.Key.Token));
        }
        return keys;
    }
}
