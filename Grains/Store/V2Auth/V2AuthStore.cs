namespace Coordinator.Grains.Store.V2Auth;

/// <summary>
/// etcd 3.4's v2 auth store (package v2auth) as a deterministic state machine: users with bcrypt hashes made by
/// the proposer, roles with key patterns, the enabled flag. etcd keeps these in its v2 store under /2, outside
/// the keys namespace; here they are their own state, so no /v2/keys listing or index ever shows them. Changed
/// only by <see cref="Apply"/> (one caller, in log order); reads work on the immutable <see cref="State"/> and
/// may run on any thread.
/// </summary>
public sealed partial class V2AuthStore
{
    public const string RootName = "root";
    public const string GuestName = "guest";

    private volatile V2AuthState _state = V2AuthState.Initial;

    public V2AuthState State => _state;

    public bool Enabled => _state.Enabled;

    /// <summary>etcd's GetUser: the user (root with the root role attached), or null.</summary>
    public V2AuthUser? GetUser(string name) => _state.Users.TryGetValue(name, out var u) ? u.WithRootRole() : null;

    /// <summary>etcd's GetRole: root is built in; others as stored, or null.</summary>
    public V2AuthRole? GetRole(string name) =>
        name == RootName ? V2AuthRole.Root : _state.Roles.TryGetValue(name, out var r) ? r : null;

    /// <summary>etcd's AllUsers: names in byte order.</summary>
    public IReadOnlyList<string> UserNames() => _state.Users.Keys.ToList();

    /// <summary>etcd's AllRoles: root and the stored roles, in byte order.</summary>
    public IReadOnlyList<string> RoleNames() => V2AuthLists.SortedSet(_state.Roles.Keys.Append(RootName));
}
