using Coordinator.Protocol.Internal;

namespace Coordinator.Gateway.Auth;

/// <summary>The user of the gRPC call in progress (set by <see cref="Grpc.AuthInterceptor"/> for the call's async
/// flow; null: no user). <see cref="Services.RaftProposer"/> stamps it on every entry the call proposes, so the
/// store checks the permission when it applies it.</summary>
public static class CallAuth
{
    private static readonly AsyncLocal<AuthRequestHeader?> CurrentUser = new();

    public static AuthRequestHeader? Current
    {
        get => CurrentUser.Value;
        internal set => CurrentUser.Value = value;
    }
}
