using System.CommandLine;
using System.Globalization;
using GeoRisk.Core.Access;
using GeoRisk.Data.Access;

namespace GeoRisk.Cli;

/// <summary><c>georisk keys create|list|revoke</c>. A key is printed once, on creation.</summary>
internal static class KeyCommands
{
    public static Command Create()
    {
        var keys = new Command("keys", "API keys: create (printed once), list, revoke");
        keys.Subcommands.Add(CreateCommand());
        keys.Subcommands.Add(ListCommand());
        keys.Subcommands.Add(RevokeCommand());
        return keys;
    }

    private static Command CreateCommand()
    {
        var role = new Option<string>("--role")
        {
            Description = "admin, analyst, member or viewer",
            Required = true,
        };
        role.AcceptOnlyFromAmong(Roles.Admin, Roles.Analyst, Roles.Member, Roles.Viewer);
        var casustafel = new Option<string[]>("--casustafel")
        {
            Description = "Casustafel id the key reaches (repeat for more; required for member, optional for viewer)",
            AllowMultipleArgumentsPerToken = false,
        };
        var label = new Option<string>("--label")
        {
            Description = "What the key is for: an organisation or purpose, never a person's name",
            DefaultValueFactory = _ => "",
        };
        var create = new Command("create", "Create a key; the key is printed on stdout once and never again") { role, casustafel, label };
        create.SetAction((parseResult, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var db = CliDatabase.Open();
            CreatedApiKey created;
            try
            {
                created = await new ApiKeyStore(db).CreateAsync(
                    Roles.Parse(parseResult.GetValue(role)!), parseResult.GetValue(casustafel) ?? [],
                    parseResult.GetValue(label) ?? "", ct);
            }
            catch (ApiKeyRequestException e)
            {
                await Console.Error.WriteLineAsync($"fout / error: {e.Message}");
                return 1;
            }
            await new AuditStore(db).AppendAsync(
                new AuditEntry(null, Roles.Admin, null, $"cli keys create ({created.Info.Id})", 1), ct);
            var info = created.Info;
            await Console.Error.WriteLineAsync(
                $"created key {info.Id} (role {info.Role}{(info.Casustafels.Count > 0 ? ", casustafels " + string.Join(", ", info.Casustafels) : "")}); " +
                "store it now, it is not shown again:");
            Console.WriteLine(created.Key.Token);
            return 0;
        }));
        return create;
    }

    private static Command ListCommand()
    {
        var all = new Option<bool>("--all") { Description = "Include revoked keys" };
        var list = new Command("list", "List keys: id, role, casustafels, label, created, revoked (never secrets)") { all };
        list.SetAction((parseResult, ct) => CliDatabase.RunAsync(async () =>
        {
            await using var db = CliDatabase.Open();
            var rows = await new ApiKeyStore(db).ListAsync(parseResult.GetValue(all), ct);
            Console.WriteLine($"{"id",-12}  {"role",-7}  {"created (UTC)",-16}  {"revoked (UTC)",-16}  {"casustafels",-24}  label");
            foreach (var k in rows)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{k.Id,-12}  {k.Role,-7}  {k.CreatedAt:yyyy-MM-dd HH:mm}  {(k.RevokedAt is { } r ? r.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-"),-16}  {(k.Casustafels.Count == 0 ? "(all)" : string.Join(",", k.Casustafels)),-24}  {k.Label}"));
            }
            return 0;
        }));
        return list;
    }

    private static Command RevokeCommand()
    {
        var id = new Argument<string>("id") { Description = "The key id (the 12 hex characters after grk_)" };
        var revoke = new Command("revoke", "Revoke a key: it stops working on its next request") { id };
        revoke.SetAction((parseResult, ct) => CliDatabase.RunAsync(async () =>
        {
            var keyId = parseResult.GetValue(id)!;
            if (!ApiKey.IsKeyId(keyId))
            {
                // Someone may paste a whole key here: never echo it.
                await Console.Error.WriteLineAsync("fout / error: a key id is 12 lowercase hexadecimal characters (the part after grk_)");
                return 1;
            }
            await using var db = CliDatabase.Open();
            var at = await new ApiKeyStore(db).RevokeAsync(keyId, ct);
            if (at is null)
            {
                await Console.Error.WriteLineAsync($"fout / error: no key with id {keyId}");
                return 1;
            }
            await new AuditStore(db).AppendAsync(new AuditEntry(null, Roles.Admin, null, $"cli keys revoke ({keyId})", 1), ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"key {keyId} revoked at {at:yyyy-MM-dd HH:mm:ss} UTC"));
            return 0;
        }));
        return revoke;
    }
}
