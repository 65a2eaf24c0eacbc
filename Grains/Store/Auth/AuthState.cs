using System.Collections.Immutable;

namespace Coordinator.Grains.Store.Auth;

/// <summary>
/// One immutable version of the auth store. Every change builds a new one (auth changes are rare), so readers on
/// any thread see a consistent state without a lock. Invariant: <see cref="Permissions"/> has an entry for every
/// user, computed from exactly these users and roles; <see cref="Revision"/> starts at 1 and grows by one per change.
/// </summary>
public sealed class AuthState
{
    public static readonly AuthState Initial = new(false, 1,
        ImmutableSortedDictionary.Create<string, AuthUser>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, AuthRole>(StringComparer.Ordinal));

    public AuthState(bool enabled, ulong revision, ImmutableSortedDictionary<string, AuthUser> users,
        ImmutableSortedDictionary<string, AuthRole> roles)
    {
        Enabled = enabled;
        Revision = revision;
        Users = users;
        Roles = roles;
        Permissions = users.Values.ToImmutableDictionary(u => u.Name, u => UserPermissions.For(u, roles), StringComparer.Ordinal);
    }

    public bool Enabled { get; }
    public ulong Revision { get; }
    public ImmutableSortedDictionary<string, AuthUser> Users { get; }
    public ImmutableSortedDictionary<string, AuthRole> Roles { get; }
    public ImmutableDictionary<string, UserPermissions> Permissions { get; }

    public AuthState With(bool? enabled = null, ImmutableSortedDictionary<string, AuthUser>? users = null,
        ImmutableSortedDictionary<string, AuthRole>? roles = null, bool bumpRevision = true) =>
        new(enabled ?? Enabled, bumpRevision ? Revision + 1 : Revision, users ?? Users, roles ?? Roles);
}
