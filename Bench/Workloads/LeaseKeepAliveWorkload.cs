using Coordinator.Bench.Etcd;
using Grpc.Core;
using Coordinator.Bench.Running;
using Etcdserverpb;

namespace Coordinator.Bench.Workloads;

/// <summary>
/// `lease-keepalive`: --leases leases are granted up front; each caller owns one LeaseKeepAlive stream and
/// refreshes the leases round-robin, one request in flight, timing request → response.
/// </summary>
public sealed class LeaseKeepAliveWorkload(WorkloadContext context) : Workload(context)
{
    private long[] _leases = [];
    private DuplexStream<LeaseKeepAliveRequest, LeaseKeepAliveResponse>[] _streams = [];
    private readonly long[] _turn = new long[context.Options.Clients];

    public override string OperationName => $"keep-alive over {Options.Leases} leases";

    public override async Task SetupAsync(CancellationToken ct)
    {
        _leases = new long[Math.Max(1, Options.Leases)];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async g =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < _leases.Length;)
                _leases[i] = await Context.Client(g).GrantLeaseAsync(600, ct);
        }));
        _streams = Enumerable.Range(0, Options.Clients).Select(c => Context.Client(c).OpenKeepAlive(ct)).ToArray();
    }

    public override async ValueTask ExecuteAsync(int caller, CancellationToken ct)
    {
        var lease = _leases[(caller + _turn[caller]++ * Options.Clients) % _leases.Length];
        var stream = _streams[caller];
        stream.Send(new LeaseKeepAliveRequest { ID = lease });
        var response = await stream.ReceiveAsync(ct) ?? throw new RpcException(new Status(StatusCode.Unavailable, "keep-alive stream ended"));
        if (response.ID != lease || response.TTL <= 0)
            throw new InvalidDataException($"keep-alive answered lease {response.ID:x} ttl {response.TTL}");
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var s in _streams)
            await s.DisposeAsync();
        using var revokeTime = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async g =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < _leases.Length;)
                try { await Context.Client(g).RevokeLeaseAsync(_leases[i], revokeTime.Token); } catch { /* leases expire anyway */ }
        }));
    }
}
