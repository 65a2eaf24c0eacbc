using Coordinator.Bench.Running;
using Etcdserverpb;

namespace Coordinator.Bench.Workloads;

/// <summary>
/// `txn-put`: compare-and-swap. Each operation is one Txn "if version(key) == v then put else get"; the caller
/// remembers the version it last saw per key, so a lost race costs one failed compare and teaches the new version.
/// </summary>
public sealed class TxnPutWorkload(WorkloadContext context) : Workload(context)
{
    private readonly Random[] _random = Enumerable.Range(0, context.Options.Clients).Select(i => new Random(context.Options.Seed + i)).ToArray();
    private readonly Dictionary<long, long>[] _knownVersion = Enumerable.Range(0, context.Options.Clients).Select(_ => new Dictionary<long, long>()).ToArray();
    private long _swapped, _conflicts;

    public override string OperationName => "txn (cas put)";

    public override void BeginMeasurement() => _swapped = _conflicts = 0;

    public override IEnumerable<(string Name, long Value)> Counters() => [("swapped", _swapped), ("conflicts", _conflicts)];

    public override async ValueTask ExecuteAsync(int caller, CancellationToken ct)
    {
        var n = _random[caller].Next(Options.KeySpace);
        var key = Context.Key("cas/", n);
        var known = _knownVersion[caller];
        known.TryGetValue(n, out var version);
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Equal, Version = version });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = Context.Value } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
        var response = await Context.Client(caller).TxnAsync(txn, ct);
        if (response.Succeeded)
        {
            known[n] = version + 1;
            Interlocked.Increment(ref _swapped);
        }
        else
        {
            var kvs = response.Responses[0].ResponseRange.Kvs;
            known[n] = kvs.Count > 0 ? kvs[0].Version : 0;
            Interlocked.Increment(ref _conflicts);
        }
    }
}
