using System.Collections.Concurrent;
using System.Diagnostics;

namespace Coordinator.Tests.Nemesis;

/// <summary>Leases with short TTLs, each holding one key, never kept alive; half of them revoked early. While a
/// lease lives its key is read back. Checked: a key is never gone before its lease's TTL has run from the grant's
/// invocation (unless revoked); a revoked lease's key is gone when the revoke returns; once the run is over and
/// the TTLs have passed, no key of these leases is left.</summary>
internal sealed class LeaseWorkload(NemesisCluster cluster, int clients, int seed) : IWorkload
{
    public const string Prefix = "/nemesis/lease/";
    private const int TtlSeconds = 2;

    private sealed record LeaseOp(int Client, string Key, long GrantInvoked)
    {
        public long LeaseId;
        public bool Granted, Attached, Revoked;
        public long RevokeReturned;
        public readonly List<LeaseRead> Reads = new();
        public string? Error;
        public override string ToString() =>
            $"c{Client} {Key} lease={LeaseId:x} granted={Granted} attached={Attached} revoked={Revoked} reads={Reads.Count} {Error}";
    }

    private readonly ConcurrentQueue<LeaseOp> _ops = new();
    private static long Now => Stopwatch.GetTimestamp();

    public string Name => "lease";

    public int CheckedOperations => _ops.Sum(o => (o.Granted ? 1 : 0) + (o.Attached ? 1 : 0) + (o.Revoked ? 1 : 0) + o.Reads.Count);

    public async Task RunAsync(CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            await using var connection = new FollowingClient(cluster, c, TimeSpan.FromSeconds(3));
            var random = new Random(seed * 13 + c);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var op = new LeaseOp(c, $"{Prefix}c{c}-{n}", Now);
                _ops.Enqueue(op);
                try
                {
                    var client = connection.Client;
                    op.LeaseId = (await client.GrantAsync(TtlSeconds, ct: CancellationToken.None)).ID;
                    op.Granted = true;
                    await client.PutAsync(op.Key, "held", lease: op.LeaseId, ct: CancellationToken.None);
                    op.Attached = true;
                    var revoke = random.Next(2) == 0;
                    var until = op.GrantInvoked + (long)((revoke ? 0.5 : TtlSeconds + 0.5) * Stopwatch.Frequency);
                    while (Now < until && !stop.IsCancellationRequested)
                    {
                        var invoked = Now;
                        var kv = await client.GetAsync(op.Key, CancellationToken.None);
                        lock (op.Reads) op.Reads.Add(new LeaseRead(invoked, Now, kv is not null, AfterRevoke: false));
                        await Task.Delay(100, CancellationToken.None);
                    }
                    if (revoke)
                    {
                        await client.RevokeAsync(op.LeaseId, CancellationToken.None);
                        op.RevokeReturned = Now;
                        op.Revoked = true;
                        var invoked = Now;
                        var kv = await client.GetAsync(op.Key, CancellationToken.None);
                        lock (op.Reads) op.Reads.Add(new LeaseRead(invoked, Now, kv is not null, AfterRevoke: true));
                    }
                }
                catch (Exception e)
                {
                    op.Error = e.GetType().Name + ": " + e.Message;
                    await Task.Delay(50, CancellationToken.None);
                }
            }
        })));
    }

    public async Task<IReadOnlyList<string>> CheckAsync(ServerHistory history, CancellationToken ct)
    {
        // Everything expires in the end: wait out the TTL (a new leader restarts it), then nothing may be left.
        await Task.Delay(TimeSpan.FromSeconds(3 * TtlSeconds + 2), ct);
        await using var client = cluster.Client();
        var left = (await client.GetPrefixAsync(Prefix, ct)).Kvs.Select(kv => kv.Key.ToStringUtf8()).ToList();
        var observed = _ops.Where(o => o.Attached).Select(o =>
        {
            lock (o.Reads) return new LeaseObservation(o.Key, o.GrantInvoked, o.Reads.ToList());
        }).ToList();
        return LeaseChecker.Check(observed, TtlSeconds * Stopwatch.Frequency, Stopwatch.Frequency, left);
    }

    public IEnumerable<string> Describe() => _ops.Select(o => o.ToString());
}
