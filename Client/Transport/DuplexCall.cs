using System.Threading.Channels;
using Google.Protobuf;

namespace Coordinator.Client.Transport;

/// <summary>One streaming call on one endpoint: requests are queued with <see cref="Send"/>, responses read
/// one at a time with <see cref="ReadAsync"/>. Owns the HTTP request and response; dispose resets the stream.
/// Single reader; <see cref="Send"/> may be called from any thread.</summary>
internal sealed class DuplexCall<TRequest, TResponse> : IAsyncDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly GrpcMethod<TRequest, TResponse> _method;
    private readonly Channel<TRequest> _requests = Channel.CreateUnbounded<TRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _aborted = new();
    private readonly HttpRequestMessage _request;
    private readonly Task<HttpResponseMessage> _responseTask;
    private HttpResponseMessage? _response;
    private Stream? _body;

    public DuplexCall(ClientEndpoint endpoint, GrpcMethod<TRequest, TResponse> method, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        Endpoint = endpoint;
        _method = method;
        _request = endpoint.CreateRequest(method.Path, new StreamingRequestContent<TRequest>(_requests.Reader, _aborted.Token), timeout: null);
        foreach (var (name, value) in headers ?? []) _request.Headers.TryAddWithoutValidation(name, value);
        // HttpMessageInvoker returns at the response headers; the body streams while we read it.
        _responseTask = endpoint.Invoker.SendAsync(_request, _aborted.Token);
    }

    public ClientEndpoint Endpoint { get; }

    public bool Send(TRequest request) => _requests.Writer.TryWrite(request);

    /// <summary>Half-closes the request side (server-streaming calls send one request then this).</summary>
    public void CompleteRequests() => _requests.Writer.TryComplete();

    /// <summary>The next response, or null when the server ended the stream with status OK.
    /// A non-OK status is thrown as <see cref="CoordinatorException"/>; transport failures as they come.</summary>
    public async ValueTask<TResponse?> ReadAsync(CancellationToken ct)
    {
        if (_body is null)
        {
            _response = await _responseTask.WaitAsync(ct).ConfigureAwait(false);
            GrpcStatus.ThrowIfHttpError(_response);
            if (GrpcStatus.From(_response.Headers) is { } trailersOnly)
            {
                if (!trailersOnly.IsOk) throw trailersOnly.ToException();
                return null;
            }
            _body = await _response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        }
        var message = await GrpcFrame.ReadAsync(_body, _method.ResponseParser, ct).ConfigureAwait(false);
        if (message is not null) return message;
        var status = GrpcStatus.From(_response!.TrailingHeaders)
            ?? throw new CoordinatorException(GrpcStatusCode.Unavailable, "stream ended without grpc-status");
        if (!status.IsOk) throw status.ToException();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _aborted.CancelAsync().ConfigureAwait(false);
        try { await _responseTask.ConfigureAwait(false); } catch { /* aborted or failed: nothing to release */ }
        _body?.Dispose();
        _response?.Dispose();
        _request.Dispose();
        _aborted.Dispose();
    }
}
