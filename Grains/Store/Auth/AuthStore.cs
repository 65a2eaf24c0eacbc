using Authpb;
using Coordinator.Protocol.Internal;

namespace Coordinator.Grains.Store.Auth;

/// <summary>
/// etcd's auth store as a deterministic state machine: users (bcrypt hashes made by the proposer), roles with
/// key-range permissions, the enabled flag and the auth revision. Changed only by <see cref="Apply"/> on the
/// apply thread (the KV store calls it under its write lock, in log order); every read and permission check works
/// on the immutable <see cref="State"/> and may run on any thread.
/// </summary>
public sealed partial class AuthStore
{
    public const string RootUser = "root";
    public const string RootRole = "root";

    private volatile AuthState _state = AuthState.Initial;
    private IAuthObserver[] _observers = [];

    /// <summary>The current version (consistent: one field read).</summary>
    public AuthState State => _state;

    public bool Enabled => _state.Enabled;

    public ulong Revision => _state.Revision;

    /// <summary>Registers an observer (e.g. the simple-token table). Call before serving.</summary>
    public void Observe(IAuthObserver observer)
    {
        lock (this) _observers = [.. _observers, observer];
    }

    /// <summary>etcd's isOpPermitted: no auth → allowed; no user (revision 0) → user name is empty; a revision older
    /// than the store's → old revision; root → allowed; otherwise the user's merged intervals decide.</summary>
    public StoreException? CheckRange(AuthRequestHeader? who, byte[] key, byte[] rangeEnd) => Check(who, key, rangeEnd, write: false);

    public StoreException? CheckPut(AuthRequestHeader? who, byte[] key) => Check(who, key, [], write: true);

    public StoreException? CheckDeleteRange(AuthRequestHeader? who, byte[] key, byte[] rangeEnd) => Check(who, key, rangeEnd, write: true);

    private StoreException? Check(AuthRequestHeader? who, byte[] key, byte[] rangeEnd, bool write)
    {
        var state = _state;
        if (!state.Enabled) return null;
        if (who is null || who.AuthRevision == 0) return AuthErrors.UserEmpty();
        if (who.AuthRevision < state.Revision) return AuthErrors.AuthOldRevision();
        if (!state.Users.TryGetValue(who.Username, out var user)) return AuthErrors.PermissionDenied();
        if (user.HasRole(RootRole)) return null;
        if (!state.Permissions.TryGetValue(user.Name, out var perms)) return AuthErrors.PermissionDenied();
        return (write ? perms.Write : perms.Read).Covers(key, rangeEnd) ? null : AuthErrors.PermissionDenied();
    }

    /// <summary>etcd's IsAdminPermitted: no auth → allowed; no user → user name is empty; unknown user → user name
    /// not found; a user without role root → permission denied. (etcd checks no revision here.)</summary>
    public StoreException? CheckAdmin(AuthRequestHeader? who)
    {
        var state = _state;
        if (!state.Enabled) return null;
        if (who is null || who.Username.Length == 0) return AuthErrors.UserEmpty();
        if (!state.Users.TryGetValue(who.Username, out var user)) return AuthErrors.UserNotFound();
        return user.HasRole(RootRole) ? null : AuthErrors.PermissionDenied();
    }

    /// <summary>What a login needs to check a password off the apply thread.</summary>
    public AuthUser? FindUser(string name) => _state.Users.GetValueOrDefault(name);

    public bool HasRole(string user, string role) => FindUser(user)?.HasRole(role) == true;

    private void Publish(AuthState next) => _state = next;

    private void Tell(Action<IAuthObserver> action)
    {
        foreach (var observer in _observers) action(observer);
    }
}
