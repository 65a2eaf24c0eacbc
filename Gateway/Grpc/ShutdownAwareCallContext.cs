using Grpc.Core;

namespace Coordinator.Gateway.Grpc;

/// <summary>
/// A call's context whose cancellation also fires when the server starts stopping, so that streams and
/// indefinite waits end at once (as UNAVAILABLE) instead of holding shutdown for its whole timeout.
/// Everything else is the framework's context. Owns the linked token source; dispose at the end of the call.
/// </summary>
internal sealed class ShutdownAwareCallContext(ServerCallContext inner, CancellationToken shutdown) : ServerCallContext, IDisposable
{
    // Grpc.AspNetCore finds the HttpContext of a context it did not create under this key of UserState.
    private const string HttpContextKey = "__HttpContext";

    private readonly CancellationTokenSource _linked = CancellationTokenSource.CreateLinkedTokenSource(inner.CancellationToken, shutdown);
    private readonly IDictionary<object, object> _userState = WithHttpContext(inner);

    protected override string MethodCore => inner.Method;
    protected override string HostCore => inner.Host;
    protected override string PeerCore => inner.Peer;
    protected override DateTime DeadlineCore => inner.Deadline;
    protected override Metadata RequestHeadersCore => inner.RequestHeaders;
    protected override CancellationToken CancellationTokenCore => _linked.Token;
    protected override Metadata ResponseTrailersCore => inner.ResponseTrailers;
    protected override Status StatusCore { get => inner.Status; set => inner.Status = value; }
    protected override WriteOptions? WriteOptionsCore { get => inner.WriteOptions; set => inner.WriteOptions = value; }
    protected override AuthContext AuthContextCore => inner.AuthContext;
    protected override IDictionary<object, object> UserStateCore => _userState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        inner.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => inner.WriteResponseHeadersAsync(responseHeaders);

    private static IDictionary<object, object> WithHttpContext(ServerCallContext inner)
    {
        var state = inner.UserState;
        state[HttpContextKey] = inner.GetHttpContext();
        return state;
    }

    public void Dispose() => _linked.Dispose();
}
