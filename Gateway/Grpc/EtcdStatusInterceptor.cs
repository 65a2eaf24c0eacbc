using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Gateway.Grpc;

/// <summary>
/// Wraps every gateway call (a singleton; registered once for all services):
/// <list type="bullet">
/// <item>turns whatever ended a handler into etcd's status (<see cref="EtcdStatus.Map"/>); an unmapped exception
/// is logged as a bug and answered UNKNOWN with its message;</item>
/// <item>streams honour etcd's <c>hasleader: true</c> metadata (fail rather than wait on a member without leader);</item>
/// <item>streams and the lock/election waits see the server's shutdown in their cancellation token.</item>
/// </list>
/// Unary KV/Lease/Cluster/Maintenance calls are bounded by the node's request timeout and keep the framework's
/// context: no extra allocation on the hot path.
/// </summary>
public sealed class EtcdStatusInterceptor(ICoordinatorNode node, IHostApplicationLifetime lifetime, ILogger<EtcdStatusInterceptor> logger)
    : Interceptor
{
    private CancellationToken Shutdown => lifetime.ApplicationStopping;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (WaitsIndefinitely(context.Method)) return WaitingUnaryAsync(request, context, continuation);
        Task<TResponse> task;
        try
        {
            RefuseIfPastDeadline(context);
            task = continuation(request, context);
        }
        catch (Exception e)
        {
            throw Fail(e, context);
        }
        return task.IsCompletedSuccessfully ? task : AwaitUnaryAsync(task, context);
    }

    private async Task<TResponse> AwaitUnaryAsync<TResponse>(Task<TResponse> task, ServerCallContext context)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Fail(e, context);
        }
    }

    private async Task<TResponse> WaitingUnaryAsync<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class
    {
        using var aware = new ShutdownAwareCallContext(context, Shutdown);
        try
        {
            RefuseIfPastDeadline(context);
            return await continuation(request, aware).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Fail(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var aware = new ShutdownAwareCallContext(context, Shutdown);
        try
        {
            RequireLeaderIfAsked(context);
            await continuation(request, responseStream, aware).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Fail(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var aware = new ShutdownAwareCallContext(context, Shutdown);
        try
        {
            RequireLeaderIfAsked(context);
            await continuation(requestStream, responseStream, aware).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Fail(e, context);
        }
    }

    /// <summary>A call whose deadline passed before its handler could start (its request took longer to arrive
    /// than its grpc-timeout) fails without running: Grpc.AspNetCore would still run it and discard the answer.</summary>
    private static void RefuseIfPastDeadline(ServerCallContext context)
    {
        if (context.Deadline <= DateTime.UtcNow) throw new RpcException(new Status(StatusCode.DeadlineExceeded, EtcdStatus.DeadlineText));
    }

    /// <summary>Lock and Campaign wait for their turn as long as it takes.</summary>
    private static bool WaitsIndefinitely(string method) =>
        method.StartsWith("/v3lockpb.", StringComparison.Ordinal) || method.StartsWith("/v3electionpb.", StringComparison.Ordinal);

    /// <summary>etcd's stream interceptor: metadata <c>hasleader: true</c> asks to fail rather than wait on a
    /// member that has no leader.</summary>
    private void RequireLeaderIfAsked(ServerCallContext context)
    {
        if (node.LeaderId == 0 && context.RequestHeaders.GetValue("hasleader") == "true") throw NodeException.NoLeader();
    }

    private RpcException Fail(Exception exception, ServerCallContext context)
    {
        if (EtcdStatus.Map(exception, context, Shutdown) is { } status)
        {
            GrpcLog.CallEnded(logger, context.Method, (int)status.StatusCode, status.Status.Detail);
            return status;
        }
        GrpcLog.CallFailed(logger, context.Method, exception);
        return new RpcException(new Status(StatusCode.Unknown, exception.Message));
    }
}
