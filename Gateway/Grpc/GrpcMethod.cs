namespace Coordinator.Gateway.Grpc;

/// <summary>The kinds of gRPC calls; the dispatcher treats streams differently (no body limits, leader check).</summary>
public enum GrpcMethodKind
{
    Unary,
    ServerStreaming,
    DuplexStreaming,
}

/// <summary>One entry of the method table: a path such as <c>/etcdserverpb.KV/Range</c> and how to run it.</summary>
public abstract class GrpcMethod(string path, GrpcMethodKind kind)
{
    public string Path { get; } = path;

    public GrpcMethodKind Kind { get; } = kind;

    /// <summary>Reads the request(s), runs the handler, writes the response(s). Returning normally means OK;
    /// the dispatcher writes the status.</summary>
    public abstract Task InvokeAsync(GrpcCall call);
}
