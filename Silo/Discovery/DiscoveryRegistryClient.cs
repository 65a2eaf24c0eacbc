using System.Net;
using System.Text.Json;

namespace Coordinator.Silo.Discovery;

/// <summary>
/// The three v2 keys calls the discovery protocol makes on the registry (a Coordinator or etcd cluster, or
/// discovery.etcd.io): get, create (PUT with prevExist=false) and wait (long poll from an index). Keys are full
/// paths on the registry's host (the discovery URL's path is the token, e.g. /v2/keys/_etcd/registry/abc).
/// Owns its HttpClient.
/// </summary>
internal sealed class DiscoveryRegistryClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly Uri _base;

    public DiscoveryRegistryClient(Uri discoveryUrl, Uri? proxy)
    {
        _base = new Uri(discoveryUrl.GetLeftPart(UriPartial.Authority));
        var handler = new SocketsHttpHandler
        {
            UseProxy = proxy is not null,
            Proxy = proxy is null ? null : new WebProxy(proxy),
            AllowAutoRedirect = true,
            ConnectTimeout = RequestTimeout,
        };
        // Waits have no deadline (members may register hours apart); other calls get RequestTimeout each.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Task<RegistryAnswer> GetAsync(string key, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, key + "?quorum=true", null, RequestTimeout, ct);

    public Task<RegistryAnswer> CreateAsync(string key, string value, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, key + "?prevExist=false", new FormUrlEncodedContent([new("value", value)]), RequestTimeout, ct);

    public Task<RegistryAnswer> WaitAsync(string key, ulong waitIndex, bool recursive, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"{key}?wait=true&waitIndex={waitIndex}" + (recursive ? "&recursive=true" : ""), null, null, ct);

    private async Task<RegistryAnswer> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? body, TimeSpan? timeout, CancellationToken ct)
    {
        var url = new Uri(_base, pathAndQuery);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } t) deadline.CancelAfter(t);
        using var request = new HttpRequestMessage(method, url) { Content = body };
        HttpResponseMessage response;
        string text;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            text = await response.Content.ReadAsStringAsync(deadline.Token);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryUnavailableException($"{method} {url}: {e.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new RegistryUnavailableException($"{method} {url}: no answer within {timeout?.TotalSeconds} s");
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (status / 100 == 5) throw new RegistryUnavailableException($"{method} {url}: the registry answered {status} {response.ReasonPhrase}");
            ulong.TryParse(response.Headers.TryGetValues("X-Etcd-Index", out var v) ? v.FirstOrDefault() : null, out var index);
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
                if (status is 200 or 201)
                {
                    var node = root.TryGetProperty("node", out var n) ? n.Deserialize<RegistryNode>(Json) : null;
                    if (node is null) throw new JsonException("no node");
                    return new RegistryAnswer(status, node, 0, null, index);
                }
                var code = root.TryGetProperty("errorCode", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
                if (code == 0) throw new JsonException("no errorCode");
                var message = root.TryGetProperty("message", out var m) ? m.GetString() : null;
                return new RegistryAnswer(status, null, code, message, index);
            }
            catch (JsonException)
            {
                var start = text.Length > 60 ? text[..60] + "..." : text;
                throw new DiscoveryException(
                    $"discovery: bad discovery endpoint ({method} {url} answered {status} with a body that is not a v2 keys answer: \"{start.ReplaceLineEndings(" ")}\")");
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
