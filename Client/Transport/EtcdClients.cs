using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Client.Transport;

/// <summary>The generated etcd clients, all on the one balanced channel's invoker (stateless, shared).</summary>
internal sealed class EtcdClients(CallInvoker invoker)
{
    public KV.KVClient Kv { get; } = new(invoker);
    public Watch.WatchClient Watch { get; } = new(invoker);
    public Lease.LeaseClient Lease { get; } = new(invoker);
    public Cluster.ClusterClient Cluster { get; } = new(invoker);
    public Maintenance.MaintenanceClient Maintenance { get; } = new(invoker);
    public Auth.AuthClient Auth { get; } = new(invoker);
}
