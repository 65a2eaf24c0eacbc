using Authpb;

namespace Coordinator.Grains.Store.Auth;

/// <summary>A role: its permissions sorted by key (etcd's order). Permissions are never changed in place.</summary>
public sealed record AuthRole(string Name, IReadOnlyList<Permission> Permissions);
