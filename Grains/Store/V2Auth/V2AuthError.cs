namespace Coordinator.Grains.Store.V2Auth;

/// <summary>etcd's v2auth.Error: an HTTP status and a text starting "auth: ". Thrown by <see cref="V2AuthStore"/>
/// with nothing changed.</summary>
public sealed class V2AuthError(int status, string message) : Exception("auth: " + message)
{
    public int Status { get; } = status;
}
