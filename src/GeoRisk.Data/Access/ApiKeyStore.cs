using GeoRisk.Core.Access;
using GeoRisk.Core.Privacy;
using Npgsql;
using NpgsqlTypes;

namespace GeoRisk.Data.Access;

/// <summary>A key as listed (no hash, no secret).</summary>
public sealed record ApiKeyInfo(
    string Id, string Role, string Label, IReadOnlyList<string> Casustafels,
    DateTime CreatedAt, DateTime? RevokedAt);

/// <summary>What authentication reads for a presented key id on every request.</summary>
public sealed record ApiKeyRecord(
    string Id, Role Role, ApiKeyHash Hash, bool Revoked, IReadOnlyList<string> Casustafels, int SuppressionK)
{
    public CallerScope Scope => Role.ScopeFor(Casustafels, SuppressionK);
}

/// <summary>A freshly created key: <see cref="Key"/>'s token is shown once and then forgotten.</summary>
public sealed record CreatedApiKey(ApiKey Key, ApiKeyInfo Info);

/// <summary>Thrown for a request to create a key that cannot exist (message is safe to show).</summary>
public sealed class ApiKeyRequestException(string message) : Exception(message);

/// <summary>api_key and api_key_casustafel (sql/0600_access.sql). Never stores or returns a secret.</summary>
public sealed class ApiKeyStore(NpgsqlDataSource db)
{
    private static string Sql(string name) => SqlResource.Load(typeof(ApiKeyStore).Assembly, name);

    public async Task<ApiKeyRecord?> FindAsync(string keyId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql("ApiKeyFind.sql"));
        cmd.Parameters.AddWithValue("id", keyId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        // An unknown role in the table (someone edited it by hand) must not grant anything.
        if (!Roles.TryParse(reader.GetString(1), out var role))
        {
            return null;
        }
        var hash = new ApiKeyHash(
            reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<byte[]>(3), reader.GetInt32(4));
        return new ApiKeyRecord(
            reader.GetString(0), role, hash, reader.GetBoolean(5), reader.GetFieldValue<string[]>(6),
            Math.Clamp(reader.GetInt32(7), Suppression.MinK, Suppression.MaxK));
    }

    /// <summary>Creates a key; the returned token is the only copy of the secret there will ever be.</summary>
    public async Task<CreatedApiKey> CreateAsync(
        Role role, IReadOnlyCollection<string> casustafels, string label, CancellationToken ct,
        int iterations = ApiKeyHash.DefaultIterations)
    {
        var distinct = casustafels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (role.ValidateCasustafels(distinct) is { } invalid)
        {
            throw new ApiKeyRequestException(invalid);
        }
        label = label.Trim();
        if (label.Length > 100)
        {
            throw new ApiKeyRequestException("the label is longer than 100 characters");
        }
        // A label is stored, listed and shown in the audit trail: it names an organisation or a
        // purpose, and passes the same privacy gate as every other stored text.
        if (label.Any(char.IsControl))
        {
            throw new ApiKeyRequestException("the label contains a control character");
        }
        if (PrivacyGate.Scan(label) is var kinds && kinds != PersonalDataKind.None)
        {
            throw new ApiKeyRequestException(
                $"the label seems to contain personal data ({string.Join(", ", kinds.Split().Select(k => k.Code()))}); name an organisation or a purpose, never a person");
        }

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (distinct.Length > 0)
        {
            await using var check = new NpgsqlCommand(Sql("CasustafelsUnknown.sql"), conn, tx);
            check.Parameters.Add(new NpgsqlParameter("casustafels", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = distinct });
            var unknown = new List<string>();
            await using (var reader = await check.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    unknown.Add(reader.GetString(0));
                }
            }
            if (unknown.Count > 0)
            {
                throw new ApiKeyRequestException($"unknown casustafel: {string.Join(", ", unknown)}");
            }
        }

        var key = ApiKey.Generate();
        var hash = ApiKeyHash.Create(key, iterations);
        DateTime createdAt;
        await using (var insert = new NpgsqlCommand(Sql("ApiKeyInsert.sql"), conn, tx))
        {
            insert.Parameters.AddWithValue("id", key.Id);
            insert.Parameters.AddWithValue("role", role.Name());
            insert.Parameters.AddWithValue("label", label);
            insert.Parameters.AddWithValue("hash", hash.Hash);
            insert.Parameters.AddWithValue("salt", hash.Salt);
            insert.Parameters.AddWithValue("iterations", hash.Iterations);
            createdAt = (DateTime)(await insert.ExecuteScalarAsync(ct))!;
        }
        if (distinct.Length > 0)
        {
            await using var bind = new NpgsqlCommand(Sql("ApiKeyInsertCasustafels.sql"), conn, tx);
            bind.Parameters.AddWithValue("id", key.Id);
            bind.Parameters.Add(new NpgsqlParameter("casustafels", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = distinct });
            await bind.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new CreatedApiKey(key, new ApiKeyInfo(key.Id, role.Name(), label, distinct, createdAt, null));
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(bool includeRevoked, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql("ApiKeyList.sql"));
        cmd.Parameters.AddWithValue("includeRevoked", includeRevoked);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(ct))
        {
            keys.Add(new ApiKeyInfo(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3),
                reader.GetDateTime(4), reader.IsDBNull(5) ? null : reader.GetDateTime(5)));
        }
        return keys;
    }

    /// <summary>Revokes a key (idempotent). Returns the revocation time, or null for an unknown id.</summary>
    public async Task<DateTime?> RevokeAsync(string keyId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql("ApiKeyRevoke.sql"));
        cmd.Parameters.AddWithValue("id", keyId);
        return await cmd.ExecuteScalarAsync(ct) is DateTime at ? at : null;
    }
}
