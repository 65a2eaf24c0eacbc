using Coordinator.Bench.Running;
using Coordinator.Bench.V2;

namespace Coordinator.Bench.Workloads;

/// <summary>`v2-get`: gets random keys of a preloaded key space through etcd's v2 API (HTTP GET; --consistency l
/// adds quorum=true, s reads the member's local store as a plain v2 GET does).</summary>
public sealed class V2GetWorkload(WorkloadContext context) : Workload(context)
{
    private readonly Random[] _random = Enumerable.Range(0, context.Options.Clients).Select(i => new Random(context.Options.Seed + i)).ToArray();
    private readonly V2HttpClient _client = new(context.Options.Endpoints, context.Options.Clients, context.Options.Security);

    public override string OperationName => "v2 get";

    public override async Task SetupAsync(CancellationToken ct)
    {
        var value = V2Values.Make(Options.ValSize, Options.Seed);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(Options.Clients, 32)).Select(async caller =>
        {
            for (int n; (n = Interlocked.Increment(ref next)) < Options.KeySpace;)
                await _client.SetAsync(caller, V2Values.Key(Options, n), value, ct);
        }));
    }

    public override async ValueTask ExecuteAsync(int caller, CancellationToken ct) =>
        await _client.GetAsync(caller, V2Values.Key(Options, _random[caller].Next(Options.KeySpace)), Options.Consistency == 'l', ct);

    public override ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
