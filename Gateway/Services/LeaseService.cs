using Coordinator.Gateway.Grpc;
using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Coordinator.Gateway.Services;

/// <summary>etcdserverpb.Lease: grant and revoke go through Raft; keep-alive and remaining TTL ask the node
/// (the leader's clock decides expiry); granted TTL and attached keys come from the local store.</summary>
[BindServiceMethod(typeof(LeaseService), nameof(BindService))]
public sealed class LeaseService(ICoordinatorNode node, RaftProposer proposer, ResponseHeaderFactory headers) : Lease.LeaseBase
{
    public static void BindService(ServiceBinderBase binder, Lease.LeaseBase service) => Lease.BindService(new ParsingServiceBinder(binder), service);

    public override async Task<LeaseGrantResponse> LeaseGrant(LeaseGrantRequest request, ServerCallContext context)
    {
        var response = await proposer.ProposeAsync<LeaseGrantResponse>(
            new RaftRequest { LeaseGrant = request }, context.CancellationToken);
        headers.Fill(response.Header);
        return response;
    }

    public override async Task<LeaseRevokeResponse> LeaseRevoke(LeaseRevokeRequest request, ServerCallContext context)
    {
        var response = await proposer.ProposeAsync<LeaseRevokeResponse>(
            new RaftRequest { LeaseRevoke = request }, context.CancellationToken);
        headers.Fill(response.Header);
        return response;
    }

    /// <summary>One response per request, in order, from this loop only (a stream allows one write at a time).
    /// An unknown lease is answered with TTL 0 (etcd's way of saying "gone"), not an error; other failures end
    /// the stream. Ends when the client half-closes.</summary>
    public override async Task LeaseKeepAlive(IAsyncStreamReader<LeaseKeepAliveRequest> requestStream,
        IServerStreamWriter<LeaseKeepAliveResponse> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        while (await requestStream.MoveNext(cancellationToken))
        {
            var request = requestStream.Current;
            long ttl;
            try
            {
                ttl = await node.KeepAliveAsync(request.ID, cancellationToken);
            }
            catch (Exception e) when (IsLeaseNotFound(e))
            {
                ttl = 0;
            }
            await responseStream.WriteAsync(new LeaseKeepAliveResponse { Header = headers.Current(), ID = request.ID, TTL = ttl },
                cancellationToken);
        }
    }

    /// <summary>TTL -1 for an unknown or expired lease (etcd turns its not-found error into that).</summary>
    public override async Task<LeaseTimeToLiveResponse> LeaseTimeToLive(LeaseTimeToLiveRequest request, ServerCallContext context)
    {
        var response = new LeaseTimeToLiveResponse { ID = request.ID, TTL = -1 };
        if (node.Store.GetLease(request.ID) is { } lease)
        {
            long remaining;
            try
            {
                remaining = await node.RemainingTtlAsync(request.ID, context.CancellationToken);
            }
            catch (Exception e) when (IsLeaseNotFound(e))
            {
                remaining = -1;
            }
            if (remaining >= 0)
            {
                response.TTL = remaining;
                response.GrantedTTL = lease.GrantedTtl;
                if (request.Keys) response.Keys.AddRange(lease.Keys.Select(ByteString.CopyFrom));
            }
        }
        response.Header = headers.Current();
        return response;
    }

    public override Task<LeaseLeasesResponse> LeaseLeases(LeaseLeasesRequest request, ServerCallContext context)
    {
        var response = new LeaseLeasesResponse { Header = headers.Current() };
        response.Leases.AddRange(node.Store.Leases().Select(l => new LeaseStatus { ID = l.Id }));
        return Task.FromResult(response);
    }

    private static bool IsLeaseNotFound(Exception e) => e switch
    {
        StoreException s => s.Code == StatusCode.NotFound,
        NodeException n => n.StatusCode == (int)StatusCode.NotFound,
        RpcException r => r.StatusCode == StatusCode.NotFound,
        _ => false,
    };
}
