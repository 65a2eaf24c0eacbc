using Coordinator.Client.Transport;
using Etcdserverpb;
using Grpc.Core;

namespace Coordinator.Client;

public sealed partial class CoordinatorClient
{
    /// <summary>Status of whichever member the call lands on (round-robin).</summary>
    public Task<StatusResponse> StatusAsync(CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.Status, new StatusRequest(), ct);

    public Task<HashKVResponse> HashKVAsync(long revision = 0, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.HashKV, new HashKVRequest { Revision = revision }, ct);

    public Task<AlarmResponse> AlarmAsync(AlarmRequest request, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.Alarm, request, ct);

    public Task<DefragmentResponse> DefragmentAsync(CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.Defragment, new DefragmentRequest(), ct);

    public Task<MoveLeaderResponse> MoveLeaderAsync(ulong targetMemberId, CancellationToken ct = default) =>
        Invoker.UnaryAsync(EtcdMethods.MoveLeader, new MoveLeaderRequest { TargetID = targetMemberId }, ct);

    /// <summary>Streams a snapshot of one member's backend into <paramref name="destination"/>; returns the bytes
    /// written. Not retried: a broken stream throws, since a partial snapshot is useless.</summary>
    public async Task<long> SnapshotAsync(Stream destination, CancellationToken ct = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, DisposedToken);
        using var call = Invoker.Clients.Maintenance.Snapshot(new SnapshotRequest(), cancellationToken: linked.Token);
        long written = 0;
        try
        {
            while (await call.ResponseStream.MoveNext(linked.Token).ConfigureAwait(false))
            {
                var chunk = call.ResponseStream.Current;
                chunk.Blob.WriteTo(destination);
                written += chunk.Blob.Length;
            }
        }
        catch (RpcException e)
        {
            throw CallFailure.Classify(e).Exception;
        }
        return written;
    }
}
