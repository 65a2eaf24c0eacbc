using System.Text;

namespace Coordinator.Bench.V2;

/// <summary>
/// etcd's v2 keys API over HTTP/1.1, as curl and etcdctl v2 speak it: a keep-alive connection per concurrent caller,
/// callers spread over the endpoints (caller i uses endpoint i mod endpoints). A response that is not a success is
/// an error (counted by the runner). TLS as the gRPC connections (<see cref="Etcd.ClientSecurity"/>); no login:
/// v3 authentication does not guard the v2 store.
/// </summary>
public sealed class V2HttpClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string[] _baseUrls;

    public V2HttpClient(IReadOnlyList<string> endpoints, int connections, Etcd.ClientSecurity? security = null)
    {
        security ??= Etcd.ClientSecurity.None;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = Math.Max(1, connections),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        security.Apply(handler);
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        _baseUrls = endpoints.Select(e => security.Address(e).TrimEnd('/') + "/v2/keys/").ToArray();
    }

    private string Url(int caller, string key) => _baseUrls[caller % _baseUrls.Length] + key;

    /// <summary>PUT key value=... (a v2 set).</summary>
    public async Task SetAsync(int caller, string key, string formValue, CancellationToken ct)
    {
        using var content = new StringContent("value=" + formValue, Encoding.ASCII, "application/x-www-form-urlencoded");
        using var response = await _http.PutAsync(Url(caller, key), content, ct);
        await Check(response, ct);
    }

    /// <summary>GET key (local read), or with quorum=true (linearizable).</summary>
    public async Task GetAsync(int caller, string key, bool quorum, CancellationToken ct)
    {
        using var response = await _http.GetAsync(Url(caller, key) + (quorum ? "?quorum=true" : ""), ct);
        await Check(response, ct);
    }

    private static async Task Check(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"v2 {(int)response.StatusCode}: {body}");
    }

    public void Dispose() => _http.Dispose();
}
