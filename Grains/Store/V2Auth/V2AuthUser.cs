namespace Coordinator.Grains.Store.V2Auth;

/// <summary>A v2 auth user as etcd stores it: the bcrypt hash the proposer made and the role names in the order
/// stored. <see cref="Roles"/> null is Go's nil slice (JSON null), distinct from an empty list.</summary>
public sealed record V2AuthUser(string Name, string PasswordHash, string[]? Roles)
{
    /// <summary>etcd's attachRootRole: the user named root always has the root role when read.</summary>
    internal V2AuthUser WithRootRole()
    {
        if (Name != V2AuthStore.RootName || (Roles?.Contains(V2AuthStore.RootName) ?? false)) return this;
        return this with { Roles = [.. Roles ?? [], V2AuthStore.RootName] };
    }

    public bool HasRole(string role) => Roles?.Contains(role) ?? false;

    /// <summary>Go's reflect.DeepEqual on two users.</summary>
    internal bool SameAs(V2AuthUser other) =>
        Name == other.Name && PasswordHash == other.PasswordHash && V2AuthLists.Same(Roles, other.Roles);
}
