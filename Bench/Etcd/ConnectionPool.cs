namespace Coordinator.Bench.Etcd;

/// <summary>
/// The benchmark's HTTP/2 connections: <c>--conns</c> of them, spread round-robin over the endpoints.
/// Caller i always uses connection i mod conns.
/// </summary>
public sealed class ConnectionPool : IDisposable
{
    private readonly EtcdClient[] _clients;

    public ConnectionPool(IReadOnlyList<string> endpoints, int conns, ClientSecurity? security = null)
    {
        if (endpoints.Count == 0)
            throw new ArgumentException("at least one endpoint is needed", nameof(endpoints));
        _clients = new EtcdClient[Math.Max(1, conns)];
        for (var i = 0; i < _clients.Length; i++)
            _clients[i] = new EtcdClient(endpoints[i % endpoints.Count], security);
    }

    /// <summary>Logs every connection in (with --user; else nothing to do).</summary>
    public Task AuthenticateAsync(CancellationToken ct) => Task.WhenAll(_clients.Select(c => c.AuthenticateAsync(ct)));

    public int Count => _clients.Length;

    public EtcdClient For(int caller) => _clients[caller % _clients.Length];

    public void Dispose()
    {
        foreach (var c in _clients)
            c.Dispose();
    }
}
