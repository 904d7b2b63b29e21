namespace GeoRisk.Core.Access;

/// <summary>
/// What an API key may do. The roles form a ladder for which endpoints a key may call
/// (admin ⊃ analyst ⊃ member ⊃ viewer); what a key may <em>see</em> there is its
/// <see cref="CallerScope"/>: admins and analysts reach everything, members only their
/// casustafels' areas, viewers only suppressed aggregates.
/// </summary>
public enum Role
{
    /// <summary>Suppressed aggregates only (a municipality's public view, shared outputs).</summary>
    Viewer = 0,
    /// <summary>A member of one or more casustafels: signal locations of those areas only.</summary>
    Member = 1,
    /// <summary>Import, score, read everything.</summary>
    Analyst = 2,
    /// <summary>Everything an analyst may do, plus keys and the audit log.</summary>
    Admin = 3,
}

public static class Roles
{
    /// <summary>The names used in the database, the CLI, claims and authorization policy names.</summary>
    public const string Admin = "admin";
    public const string Analyst = "analyst";
    public const string Member = "member";
    public const string Viewer = "viewer";

    public static IReadOnlyList<Role> All { get; } = [Role.Admin, Role.Analyst, Role.Member, Role.Viewer];

    public static string Name(this Role role) => role switch
    {
        Role.Admin => Admin,
        Role.Analyst => Analyst,
        Role.Member => Member,
        Role.Viewer => Viewer,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };

    public static bool TryParse(string? name, out Role role)
    {
        switch (name)
        {
            case Admin: role = Role.Admin; return true;
            case Analyst: role = Role.Analyst; return true;
            case Member: role = Role.Member; return true;
            case Viewer: role = Role.Viewer; return true;
            default: role = default; return false;
        }
    }

    public static Role Parse(string name) =>
        TryParse(name, out var role) ? role
            : throw new FormatException($"unknown role '{name}' (expected admin, analyst, member or viewer)");

    /// <summary>True when a key of this role may call endpoints guarded by the <paramref name="required"/> policy.</summary>
    public static bool Satisfies(this Role role, Role required) => role >= required;

    /// <summary>Roles whose keys see everything (no casustafel restriction).</summary>
    public static bool IsUnrestricted(this Role role) => role >= Role.Analyst;

    /// <summary>
    /// Checks the casustafels a key of <paramref name="role"/> is bound to: admins and analysts
    /// have none (they reach everything), members at least one, viewers any number (none = all
    /// areas, but always suppressed). Returns an error text, or null when valid.
    /// </summary>
    public static string? ValidateCasustafels(this Role role, IReadOnlyCollection<string> casustafels) => role switch
    {
        Role.Admin or Role.Analyst when casustafels.Count > 0 =>
            $"a {role.Name()} key reaches everything and cannot be bound to casustafels",
        Role.Member when casustafels.Count == 0 => "a member key needs at least one casustafel",
        _ => null,
    };

    /// <summary>The scope a key of this role and these casustafels gets (k: the profile's suppression threshold).</summary>
    public static CallerScope ScopeFor(this Role role, IReadOnlyList<string> casustafels, int suppressionK) => role switch
    {
        Role.Admin or Role.Analyst => new CallerScope(role.Name(), null, false, suppressionK),
        Role.Member => new CallerScope(Member, casustafels, false, suppressionK),
        // A viewer bound to no casustafel sees suppressed aggregates of every area.
        _ => new CallerScope(Viewer, casustafels.Count == 0 ? null : casustafels, true, suppressionK),
    };
}
