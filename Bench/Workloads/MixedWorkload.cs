using Coordinator.Bench.Etcd;
using Coordinator.Bench.Running;
using Etcdserverpb;

namespace Coordinator.Bench.Workloads;

/// <summary>`mixed`: each operation is a range (probability --read-ratio, with --consistency) or a put, on a preloaded key space.</summary>
public sealed class MixedWorkload(WorkloadContext context) : Workload(context)
{
    private readonly Random[] _random = Enumerable.Range(0, context.Options.Clients).Select(i => new Random(context.Options.Seed + i)).ToArray();
    private long _reads, _writes;

    public override string OperationName => $"range ({Options.ReadRatio:P0}) or put";

    public override Task SetupAsync(CancellationToken ct) =>
        KeyLoader.LoadAsync(Context.Pool, Options.KeySpace, n => Context.Key("kv/", n), Context.Value, 8, ct);

    public override void BeginMeasurement() => _reads = _writes = 0;

    public override IEnumerable<(string Name, long Value)> Counters() => [("reads", _reads), ("writes", _writes)];

    public override async ValueTask ExecuteAsync(int caller, CancellationToken ct)
    {
        var random = _random[caller];
        var key = Context.Key("kv/", random.Next(Options.KeySpace));
        var client = Context.Client(caller);
        if (random.NextDouble() < Options.ReadRatio)
        {
            await client.GetAsync(key, Options.Consistency == 's', ct);
            Interlocked.Increment(ref _reads);
        }
        else
        {
            await client.PutAsync(new PutRequest { Key = key, Value = Context.Value }, ct);
            Interlocked.Increment(ref _writes);
        }
    }
}
