using System.Net;
using System.Net.Http.Headers;

namespace Coordinator.Silo.Transport;

// Unary peer calls: POST /raft/rpc/{method}, request and response bodies are opaque bytes.
public sealed partial class PeerTransport
{
    /// <summary>
    /// Serves <c>POST /raft/rpc/{method}</c>: the handler gets the caller's member id and the request body and
    /// returns the response body. A later registration of the same method replaces the earlier one.
    /// </summary>
    public void RegisterHandler(string method, Func<ulong, byte[], CancellationToken, Task<byte[]>> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(handler);
        if (method.Contains('/')) throw new ArgumentException("method names must not contain '/'", nameof(method));
        _handlers[method] = handler;
    }

    internal Func<ulong, byte[], CancellationToken, Task<byte[]>>? FindHandler(string method) =>
        _handlers.GetValueOrDefault(method);

    /// <summary>
    /// Calls <paramref name="method"/> on a known peer. Throws <see cref="PeerRefusedException"/> when the peer
    /// refuses our identity, <see cref="PeerRpcException"/> on a remote error, <see cref="HttpRequestException"/>
    /// when it cannot be reached.
    /// </summary>
    public async Task<byte[]> CallAsync(ulong peerId, string method, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(body);
        if (!_peers.TryGetValue(peerId, out var peer)) throw new KeyNotFoundException($"unknown peer {PeerHeaders.FormatId(peerId)}");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var url = peer.Url;
        using var request = CreateRequest(url, PeerRoutes.RpcPrefix + Uri.EscapeDataString(method), peerId);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
            throw new PeerRefusedException(peerId, await DescribeRefusalAsync(peerId, url, response, linked.Token).ConfigureAwait(false));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var detail = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            throw new PeerRpcException(peerId, method, (int)response.StatusCode, detail);
        }
        if (response.Content.Headers.ContentLength > Options.MaxRpcBytes)
            throw new PeerRpcException(peerId, method, 200, $"response above the {Options.MaxRpcBytes}-byte limit");
        return await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
    }
}
