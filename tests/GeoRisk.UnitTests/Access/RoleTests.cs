using GeoRisk.Core.Access;
using Xunit;

namespace GeoRisk.UnitTests.Access;

public class RoleTests
{
    [Theory]
    [InlineData("admin", Role.Admin)]
    [InlineData("analyst", Role.Analyst)]
    [InlineData("member", Role.Member)]
    [InlineData("viewer", Role.Viewer)]
    public void Names_round_trip(string name, Role role)
    {
        Assert.True(Roles.TryParse(name, out var parsed));
        Assert.Equal(role, parsed);
        Assert.Equal(name, role.Name());
    }

    [Theory]
    [InlineData("Admin")]
    [InlineData("root")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_names_are_refused(string? name)
    {
        Assert.False(Roles.TryParse(name, out _));
    }

    // Policy ladder: rows are the key's role, columns the policy an endpoint requires.
    [Theory]
    [InlineData(Role.Admin, Role.Admin, true)]
    [InlineData(Role.Analyst, Role.Admin, false)]
    [InlineData(Role.Analyst, Role.Analyst, true)]
    [InlineData(Role.Member, Role.Analyst, false)]
    [InlineData(Role.Member, Role.Member, true)]
    [InlineData(Role.Viewer, Role.Member, false)]
    [InlineData(Role.Viewer, Role.Viewer, true)]
    [InlineData(Role.Admin, Role.Viewer, true)]
    public void Satisfies_follows_the_ladder(Role role, Role required, bool expected)
    {
        Assert.Equal(expected, role.Satisfies(required));
    }

    [Fact]
    public void Casustafel_binding_rules()
    {
        Assert.Contains("cannot be bound to casustafels", Role.Admin.ValidateCasustafels(["1012"]), StringComparison.Ordinal);
        Assert.Contains("cannot be bound to casustafels", Role.Analyst.ValidateCasustafels(["1012"]), StringComparison.Ordinal);
        Assert.Contains("at least one casustafel", Role.Member.ValidateCasustafels([]), StringComparison.Ordinal);
        Assert.Null(Role.Member.ValidateCasustafels(["1012"]));
        Assert.Null(Role.Viewer.ValidateCasustafels([]));
        Assert.Null(Role.Viewer.ValidateCasustafels(["zuidoost"]));
        Assert.Null(Role.Admin.ValidateCasustafels([]));
    }

    [Fact]
    public void Scopes_per_role()
    {
        var admin = Role.Admin.ScopeFor([], 5);
        Assert.Null(admin.Casustafels);
        Assert.False(admin.Suppressed);

        var member = Role.Member.ScopeFor(["1012"], 5);
        Assert.Equal(new[] { "1012" }, member.SqlScope!);
        Assert.False(member.Suppressed);

        var viewer = Role.Viewer.ScopeFor([], 7);
        Assert.Null(viewer.Casustafels);
        Assert.True(viewer.Suppressed);
        Assert.Equal(7, viewer.SuppressionK);

        var boundViewer = Role.Viewer.ScopeFor(["zuidoost"], 5);
        Assert.Equal(new[] { "zuidoost" }, boundViewer.SqlScope!);
        Assert.True(boundViewer.Suppressed);
        // Suppressed and unsuppressed callers never share cached tiles.
        Assert.NotEqual(Role.Member.ScopeFor(["zuidoost"], 5).CacheKey, boundViewer.CacheKey);
    }
}
