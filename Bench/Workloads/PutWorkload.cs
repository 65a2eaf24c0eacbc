using Coordinator.Bench.Running;
using Etcdserverpb;

namespace Coordinator.Bench.Workloads;

/// <summary>`put`: each operation writes one random key of the key space.</summary>
public sealed class PutWorkload(WorkloadContext context) : Workload(context)
{
    private readonly Random[] _random = Enumerable.Range(0, context.Options.Clients).Select(i => new Random(context.Options.Seed + i)).ToArray();

    public override string OperationName => "put";

    public override async ValueTask ExecuteAsync(int caller, CancellationToken ct)
    {
        var key = Context.Key("kv/", _random[caller].Next(Options.KeySpace));
        await Context.Client(caller).PutAsync(new PutRequest { Key = key, Value = Context.Value }, ct);
    }
}
