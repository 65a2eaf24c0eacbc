using Coordinator.Gateway.Grpc;
using Coordinator.Gateway.Watch;
using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Gateway.Services;

/// <summary>
/// etcdserverpb.Watch over the member's <see cref="WatchHub"/>: each RPC is one hub stream. Requests
/// (create, cancel, progress) go to the hub as they arrive; its responses are sent in order with the header
/// identity filled, by one sender (a stream allows one write at a time). As in etcd, a client half-close does
/// not end the RPC: it lasts until the client cancels, the call's deadline passes, or the server stops.
/// </summary>
[BindServiceMethod(typeof(WatchService), nameof(BindService))]
public sealed class WatchService(WatchHub hub, ResponseHeaderFactory headers, Auth.AuthGate auth) : Etcdserverpb.Watch.WatchBase
{
    // Responses already waiting are written without a flush; the last one of a burst flushes them all.
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    public static void BindService(ServiceBinderBase binder, Etcdserverpb.Watch.WatchBase service) =>
        Etcdserverpb.Watch.BindService(new ParsingServiceBinder(binder), service);

    public override async Task Watch(IAsyncStreamReader<WatchRequest> requestStream, IServerStreamWriter<WatchResponse> responseStream,
        ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        using var stream = hub.OpenStream();
        var sending = SendAsync(stream, responseStream, cancellationToken);
        try
        {
            while (await requestStream.MoveNext(cancellationToken))
            {
                var request = requestStream.Current;
                // Each create needs read permission on its range (a refusal cancels that watch only, as in etcd).
                if (request.RequestUnionCase == WatchRequest.RequestUnionOneofCase.CreateRequest
                    && await auth.WatchRefusalAsync(request.CreateRequest, context) is { } refusal)
                    stream.Refuse(refusal);
                else stream.Handle(request);
            }
            // Half-closed: the responses go on until the call ends.
            await sending;
        }
        finally
        {
            // Completes the hub's side; the sender then ends after what was already queued.
            stream.Dispose();
            // Its failure (client gone, call cancelled) must not hide the loop's own outcome, which decides the status.
            try { await sending; }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException) { }
        }
    }

    /// <summary>Moves the hub's responses to the RPC. Awaiting each write keeps the backlog in the hub's buffer,
    /// where it decides to stop live delivery and catch a watch up later.</summary>
    private async Task SendAsync(WatchStream stream, IServerStreamWriter<WatchResponse> responses, CancellationToken cancellationToken)
    {
        var reader = stream.Responses;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            if (!reader.TryRead(out var response)) continue;
            while (true)
            {
                headers.FillIdentity(response.Header);
                var more = reader.TryRead(out var next);
                responses.WriteOptions = more ? Buffered : null;
                await responses.WriteAsync(response, cancellationToken);
                if (!more) break;
                response = next!;
            }
        }
    }
}
