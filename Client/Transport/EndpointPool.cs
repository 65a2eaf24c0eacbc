namespace Coordinator.Client.Transport;

/// <summary>Round-robin over the endpoints that are healthy; when none is, the one whose backoff ends first.
/// Never returns nothing: a call always has somewhere to try.</summary>
internal sealed class EndpointPool : IDisposable
{
    private readonly ClientEndpoint[] _endpoints;
    private int _next = -1;

    public EndpointPool(IEnumerable<ClientEndpoint> endpoints)
    {
        _endpoints = endpoints.ToArray();
        if (_endpoints.Length == 0) throw new ArgumentException("at least one endpoint is required", nameof(endpoints));
    }

    public int Count => _endpoints.Length;

    public IReadOnlyList<ClientEndpoint> All => _endpoints;

    public ClientEndpoint Next()
    {
        var start = Interlocked.Increment(ref _next) & int.MaxValue;
        for (var i = 0; i < _endpoints.Length; i++)
        {
            var candidate = _endpoints[(start + i) % _endpoints.Length];
            if (candidate.IsHealthy) return candidate;
        }
        return _endpoints.MinBy(e => e.UnhealthyUntil)!;
    }

    public void Dispose()
    {
        foreach (var e in _endpoints) e.Dispose();
    }
}
