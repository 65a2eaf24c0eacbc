using Coordinator.Bench.Running;
using Coordinator.Bench.V2;

namespace Coordinator.Bench.Workloads;

/// <summary>`v2-set`: each operation sets one random key of the key space through etcd's v2 API (HTTP PUT).</summary>
public sealed class V2SetWorkload(WorkloadContext context) : Workload(context)
{
    private readonly Random[] _random = Enumerable.Range(0, context.Options.Clients).Select(i => new Random(context.Options.Seed + i)).ToArray();
    private readonly V2HttpClient _client = new(context.Options.Endpoints, context.Options.Clients, context.Options.Security);
    private readonly string _value = V2Values.Make(context.Options.ValSize, context.Options.Seed);

    public override string OperationName => "v2 set";

    public override async ValueTask ExecuteAsync(int caller, CancellationToken ct) =>
        await _client.SetAsync(caller, V2Values.Key(Options, _random[caller].Next(Options.KeySpace)), _value, ct);

    public override ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
