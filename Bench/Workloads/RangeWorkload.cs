using Coordinator.Bench.Etcd;
using Coordinator.Bench.Running;

namespace Coordinator.Bench.Workloads;

/// <summary>`range`: each operation reads one random key of a preloaded key space, linearizable or serializable.</summary>
public sealed class RangeWorkload(WorkloadContext context) : Workload(context)
{
    private readonly Random[] _random = Enumerable.Range(0, context.Options.Clients).Select(i => new Random(context.Options.Seed + i)).ToArray();

    public override string OperationName => Options.Consistency == 's' ? "serializable range" : "linearizable range";

    public override Task SetupAsync(CancellationToken ct) =>
        KeyLoader.LoadAsync(Context.Pool, Options.KeySpace, n => Context.Key("kv/", n), Context.Value, 8, ct);

    public override async ValueTask ExecuteAsync(int caller, CancellationToken ct)
    {
        var key = Context.Key("kv/", _random[caller].Next(Options.KeySpace));
        var response = await Context.Client(caller).GetAsync(key, Options.Consistency == 's', ct);
        if (response.Kvs.Count != 1)
            throw new InvalidDataException("preloaded key missing");
    }
}
