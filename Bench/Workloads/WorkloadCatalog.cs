using Coordinator.Bench.Running;

namespace Coordinator.Bench.Workloads;

/// <summary>Workload names as typed on the command line, and what each one builds.</summary>
public static class WorkloadCatalog
{
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["put"] = "put random keys of --key-space",
        ["range"] = "get random preloaded keys (--consistency l|s)",
        ["txn-put"] = "compare-and-swap on a key's version",
        ["mixed"] = "gets (--read-ratio) and puts on a preloaded key space",
        ["watch-latency"] = "put -> event delivered, to --watchers watchers",
        ["watch-fanout"] = "events/s delivered to --watchers watchers",
        ["lease-keepalive"] = "keep-alives/s over --leases leases",
        ["lock"] = "acquire/release cycles/s (--lock-via recipe|service, --lock-names 1|N|clients)",
        ["v2-set"] = "v2 API (HTTP PUT /v2/keys) sets of random keys of --key-space",
        ["v2-get"] = "v2 API (HTTP GET /v2/keys) gets of a preloaded key space (--consistency l adds quorum=true)",
    };

    public static Workload Create(WorkloadContext context) => context.Options.Workload switch
    {
        "put" => new PutWorkload(context),
        "range" => new RangeWorkload(context),
        "txn-put" => new TxnPutWorkload(context),
        "mixed" => new MixedWorkload(context),
        "watch-latency" or "watch-fanout" => new WatchDeliveryWorkload(context, context.Options.Workload),
        "lease-keepalive" => new LeaseKeepAliveWorkload(context),
        "lock" when context.Options.LockVia == "service" => new LockServiceWorkload(context),
        "lock" => new LockRecipeWorkload(context),
        "v2-set" => new V2SetWorkload(context),
        "v2-get" => new V2GetWorkload(context),
        var other => throw new ArgumentException($"unknown workload '{other}'"),
    };
}
