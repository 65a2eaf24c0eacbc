using Grpc.Core;

namespace Coordinator.Client.Transport;

/// <summary>One bidirectional call: requests are written with <see cref="SendAsync"/> (one writer at a time),
/// responses read one at a time with <see cref="ReadAsync"/>. Owns the call; dispose cancels it (the stream is
/// reset). Failures surface as <see cref="CoordinatorException"/> or <see cref="OperationCanceledException"/>.</summary>
internal sealed class StreamCall<TRequest, TResponse> : IAsyncDisposable
{
    private readonly CancellationTokenSource _aborted = new();
    private readonly AsyncDuplexStreamingCall<TRequest, TResponse> _call;
    private readonly SemaphoreSlim _writer = new(1, 1);

    public StreamCall(EtcdClients clients, Func<EtcdClients, CallOptions, AsyncDuplexStreamingCall<TRequest, TResponse>> start, Metadata? headers)
    {
        _call = start(clients, new CallOptions(headers: headers, cancellationToken: _aborted.Token));
    }

    /// <summary>True once the call was aborted (by <see cref="Abort"/> or dispose).</summary>
    public bool IsAborted => _aborted.IsCancellationRequested;

    public async Task SendAsync(TRequest request, CancellationToken ct)
    {
        await _writer.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _call.RequestStream.WriteAsync(request, ct).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw CallFailure.Classify(e).Exception;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Half-closes the request side (server-streaming calls send one request then this).</summary>
    public Task CompleteRequestsAsync() => _call.RequestStream.CompleteAsync();

    /// <summary>The next response, or null when the server ended the stream with status OK.</summary>
    public async ValueTask<TResponse?> ReadAsync(CancellationToken ct)
    {
        try
        {
            return await _call.ResponseStream.MoveNext(ct).ConfigureAwait(false) ? _call.ResponseStream.Current : default;
        }
        catch (RpcException e) when (ct.IsCancellationRequested)
        {
            // The caller cancelled: the reset it caused may surface as any status (Unavailable "request was
            // aborted", Cancelled); the caller is owed a cancellation, not a failure of the member.
            throw new OperationCanceledException("the read was cancelled", e, ct);
        }
        catch (RpcException e)
        {
            throw CallFailure.Classify(e).Exception;
        }
    }

    /// <summary>Resets the stream (a watchdog giving up on a silent one); pending reads fail.</summary>
    public void Abort() => _aborted.Cancel();

    public ValueTask DisposeAsync()
    {
        _aborted.Cancel();
        _call.Dispose();
        _aborted.Dispose();
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }
}
