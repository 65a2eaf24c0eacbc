using Coordinator.Gateway.Grpc;
using Coordinator.Gateway.Watch;
using Etcdserverpb;

namespace Coordinator.Gateway.Services;

/// <summary>
/// etcdserverpb.Watch over the member's <see cref="WatchHub"/>: each RPC is one hub stream. Requests
/// (create, cancel, progress) go to the hub as they arrive; its responses are sent in order with the header
/// identity filled. As in etcd, a client half-close does not end the RPC: it lasts until the client cancels,
/// the call's deadline passes, or the server stops.
/// </summary>
public sealed class WatchService(WatchHub hub, ResponseHeaderFactory headers) : IGrpcService
{
    public void Register(GrpcMethodTable table) =>
        table.Duplex<WatchRequest, WatchResponse>("/etcdserverpb.Watch/Watch", WatchRequest.Parser, WatchAsync);

    private async Task WatchAsync(GrpcRequestStream<WatchRequest> requests, GrpcResponseStream<WatchResponse> responses, GrpcCall call)
    {
        using var stream = hub.OpenStream();
        var sending = SendAsync(stream, responses, call.CancellationToken);
        try
        {
            await foreach (var request in requests) stream.Handle(request);
            await sending;
        }
        finally
        {
            // Completes the hub's side; the sender then ends after what was already queued.
            stream.Dispose();
            await StreamCompletion.DrainQuietlyAsync(sending);
        }
    }

    /// <summary>Moves the hub's responses to the RPC; waiting on the bounded response queue keeps the backlog in
    /// the hub's buffer, where it decides to stop live delivery and catch a watch up later.</summary>
    private async Task SendAsync(WatchStream stream, GrpcResponseStream<WatchResponse> responses, CancellationToken cancellationToken)
    {
        var reader = stream.Responses;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var response))
            {
                headers.FillIdentity(response.Header);
                await responses.WriteAsync(response, cancellationToken);
            }
        }
    }
}
