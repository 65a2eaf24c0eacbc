using System.Collections.Concurrent;
using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Bench.Etcd;

/// <summary>
/// One Watch stream carrying any number of watchers. A background loop reads responses and hands each one
/// to the handler of its watch id. Creates are answered in order, which is how a create learns its id.
/// </summary>
public sealed class WatchStream : IAsyncDisposable
{
    private readonly DuplexStream<WatchRequest, WatchResponse> _call;
    private readonly ConcurrentQueue<(TaskCompletionSource<long> Created, Action<WatchResponse> Handler)> _pendingCreates = new();
    private readonly ConcurrentDictionary<long, Action<WatchResponse>> _handlers = new();
    private readonly object _createOrder = new();
    private readonly Task _reader;

    internal WatchStream(DuplexStream<WatchRequest, WatchResponse> call, CancellationToken ct)
    {
        _call = call;
        _reader = Task.Run(() => ReadLoop(ct), CancellationToken.None);
    }

    /// <summary>Failure that ended the stream, if any.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>Starts a watcher; <paramref name="handler"/> runs on the reader loop for every response of this watch.</summary>
    public Task<long> CreateAsync(WatchCreateRequest create, Action<WatchResponse> handler)
    {
        var created = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_createOrder)
        {
            _pendingCreates.Enqueue((created, handler));
            _call.Send(new WatchRequest { CreateRequest = create });
        }
        return created.Task;
    }

    public void Cancel(long watchId)
    {
        _handlers.TryRemove(watchId, out _);
        _call.Send(new WatchRequest { CancelRequest = new WatchCancelRequest { WatchId = watchId } });
    }

    private async Task ReadLoop(CancellationToken ct)
    {
        try
        {
            while (await _call.ReceiveAsync(ct).ConfigureAwait(false) is { } response)
            {
                if (response.Created)
                {
                    if (!_pendingCreates.TryDequeue(out var pending))
                        continue;
                    if (response.Canceled)
                    {
                        pending.Created.TrySetException(new RpcException(new Status(StatusCode.FailedPrecondition, "watch create refused: " + response.CancelReason)));
                        continue;
                    }
                    _handlers[response.WatchId] = pending.Handler;
                    pending.Created.TrySetResult(response.WatchId);
                    if (response.Events.Count == 0)
                        continue;
                }
                if (_handlers.TryGetValue(response.WatchId, out var handler))
                    handler(response);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or HttpRequestException or IOException)
        {
            Fault = e;
        }
        finally
        {
            while (_pendingCreates.TryDequeue(out var pending))
                pending.Created.TrySetException(Fault ?? new RpcException(new Status(StatusCode.Unavailable, "watch stream ended")));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _call.CompleteRequests();
        await _call.DisposeAsync().ConfigureAwait(false);
        try { await _reader.ConfigureAwait(false); } catch { /* reported through Fault */ }
    }
}
