namespace Coordinator.Bench.Running;

/// <summary>Everything a single workload run is configured with (the command line's options).</summary>
public sealed record BenchOptions
{
    public string Workload { get; init; } = "";
    public IReadOnlyList<string> Endpoints { get; init; } = ["127.0.0.1:2379"];
    /// <summary>Concurrent callers.</summary>
    public int Clients { get; init; } = 1;
    /// <summary>HTTP/2 connections, spread over the endpoints.</summary>
    public int Conns { get; init; } = 1;
    /// <summary>Operations to measure; 0 means run for <see cref="Duration"/>.</summary>
    public long Total { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);
    public int KeySize { get; init; } = 16;
    public int ValSize { get; init; } = 256;
    public int KeySpace { get; init; } = 10_000;
    /// <summary>Open-loop offered load in operations per second; 0 means closed loop.</summary>
    public double Rate { get; init; }
    /// <summary>Range consistency: 'l' linearizable, 's' serializable.</summary>
    public char Consistency { get; init; } = 'l';
    public double ReadRatio { get; init; } = 0.9;
    public int Watchers { get; init; } = 16;
    public int Leases { get; init; } = 1000;
    /// <summary>Distinct lock names the lock clients spread over: 1 is fully contended, = clients is uncontended.</summary>
    public int LockNames { get; init; } = 1;
    /// <summary>"recipe" (etcdctl's KV+Txn+Watch+Lease mutex) or "service" (v3lock Lock/Unlock).</summary>
    public string LockVia { get; init; } = "recipe";
    public string KeyPrefix { get; init; } = "bench/";
    public bool Json { get; init; }
    public bool Progress { get; init; } = true;
    public int Seed { get; init; } = 1;
    /// <summary>--cacert, --cert, --key, --user (etcdctl's names).</summary>
    public Etcd.ClientSecurity Security { get; init; } = Etcd.ClientSecurity.None;
}
