namespace Coordinator.Grains.Store.V2Auth;

/// <summary>What an applied v2 auth command answers: the user or role as written (etcd echoes it) and whether a
/// user was created by a create-or-update (201 instead of 200).</summary>
public sealed record V2AuthResult(V2AuthUser? User = null, V2AuthRole? Role = null, bool Created = false)
{
    public static V2AuthResult None { get; } = new();
}
