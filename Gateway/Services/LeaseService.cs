using Coordinator.Gateway.Grpc;
using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Gateway.Services;

/// <summary>etcdserverpb.Lease: grant and revoke go through Raft; keep-alive and remaining TTL ask the node
/// (the leader's clock decides expiry); granted TTL and attached keys come from the local store.</summary>
public sealed class LeaseService(ICoordinatorNode node, RaftProposer proposer, ResponseHeaderFactory headers) : IGrpcService
{
    public void Register(GrpcMethodTable table)
    {
        table.Unary<LeaseGrantRequest, LeaseGrantResponse>("/etcdserverpb.Lease/LeaseGrant", LeaseGrantRequest.Parser, GrantAsync);
        table.Unary<LeaseRevokeRequest, LeaseRevokeResponse>("/etcdserverpb.Lease/LeaseRevoke", LeaseRevokeRequest.Parser, RevokeAsync);
        table.Duplex<LeaseKeepAliveRequest, LeaseKeepAliveResponse>(
            "/etcdserverpb.Lease/LeaseKeepAlive", LeaseKeepAliveRequest.Parser, KeepAliveAsync);
        table.Unary<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse>(
            "/etcdserverpb.Lease/LeaseTimeToLive", LeaseTimeToLiveRequest.Parser, TimeToLiveAsync);
        table.Unary<LeaseLeasesRequest, LeaseLeasesResponse>("/etcdserverpb.Lease/LeaseLeases", LeaseLeasesRequest.Parser, LeasesAsync);
    }

    private async ValueTask<LeaseGrantResponse> GrantAsync(LeaseGrantRequest request, GrpcCall call)
    {
        var response = await proposer.ProposeAsync<LeaseGrantResponse>(
            new RaftRequest { LeaseGrant = request }, call.CancellationToken);
        headers.Fill(response.Header);
        return response;
    }

    private async ValueTask<LeaseRevokeResponse> RevokeAsync(LeaseRevokeRequest request, GrpcCall call)
    {
        var response = await proposer.ProposeAsync<LeaseRevokeResponse>(
            new RaftRequest { LeaseRevoke = request }, call.CancellationToken);
        headers.Fill(response.Header);
        return response;
    }

    /// <summary>One response per request, in order. An unknown lease is answered with TTL 0 (etcd's way of
    /// saying "gone"), not an error; other failures end the stream. Ends when the client half-closes.</summary>
    private async Task KeepAliveAsync(
        GrpcRequestStream<LeaseKeepAliveRequest> requests, GrpcResponseStream<LeaseKeepAliveResponse> responses, GrpcCall call)
    {
        await foreach (var request in requests)
        {
            long ttl;
            try
            {
                ttl = await node.KeepAliveAsync(request.ID, call.CancellationToken);
            }
            catch (Exception e) when (IsLeaseNotFound(e))
            {
                ttl = 0;
            }
            await responses.WriteAsync(
                new LeaseKeepAliveResponse { Header = headers.Current(), ID = request.ID, TTL = ttl }, call.CancellationToken);
        }
    }

    /// <summary>TTL -1 for an unknown or expired lease (etcd turns its not-found error into that).</summary>
    private async ValueTask<LeaseTimeToLiveResponse> TimeToLiveAsync(LeaseTimeToLiveRequest request, GrpcCall call)
    {
        var response = new LeaseTimeToLiveResponse { ID = request.ID, TTL = -1 };
        if (node.Store.GetLease(request.ID) is { } lease)
        {
            long remaining;
            try
            {
                remaining = await node.RemainingTtlAsync(request.ID, call.CancellationToken);
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

    private ValueTask<LeaseLeasesResponse> LeasesAsync(LeaseLeasesRequest request, GrpcCall call)
    {
        var response = new LeaseLeasesResponse { Header = headers.Current() };
        response.Leases.AddRange(node.Store.Leases().Select(l => new LeaseStatus { ID = l.Id }));
        return ValueTask.FromResult(response);
    }

    private static bool IsLeaseNotFound(Exception e) => e switch
    {
        StoreException s => s.Code == StatusCode.NotFound,
        NodeException n => n.StatusCode == (int)StatusCode.NotFound,
        GrpcStatusException g => g.Code == StatusCode.NotFound,
        _ => false,
    };
}
