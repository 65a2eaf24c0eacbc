using Coordinator.Gateway.Grpc;
using Coordinator.Gateway.Services.Concurrency;
using Coordinator.Gateway.Watch;
using Etcdserverpb;
using Google.Protobuf;
using V3electionpb;

namespace Coordinator.Gateway.Services;

/// <summary>
/// v3electionpb.Election: etcd 3.4's election server, which runs clientv3/concurrency's Election under the
/// request's lease. Candidates of <c>name</c> own <c>name/&lt;lease hex&gt;</c> holding their value; the leader
/// is the one with the lowest create revision, identified by (key, create revision) in a LeaderKey.
/// </summary>
public sealed class ElectionService : IGrpcService
{
    private readonly ResponseHeaderFactory _headers;
    private readonly RecipeKv _kv;
    private readonly TurnWaiter _turns;
    private readonly LeaderObserver _observer;

    public ElectionService(ICoordinatorNode node, RaftProposer proposer, ResponseHeaderFactory headers, WatchHub hub)
    {
        _headers = headers;
        _kv = new RecipeKv(node, proposer);
        _turns = new TurnWaiter(_kv, hub);
        _observer = new LeaderObserver(_kv, hub);
    }

    public void Register(GrpcMethodTable table)
    {
        table.Unary<CampaignRequest, CampaignResponse>("/v3electionpb.Election/Campaign", CampaignRequest.Parser, CampaignAsync);
        table.Unary<ProclaimRequest, ProclaimResponse>("/v3electionpb.Election/Proclaim", ProclaimRequest.Parser, ProclaimAsync);
        table.Unary<LeaderRequest, LeaderResponse>("/v3electionpb.Election/Leader", LeaderRequest.Parser, LeaderAsync);
        table.ServerStreaming<LeaderRequest, LeaderResponse>("/v3electionpb.Election/Observe", LeaderRequest.Parser, ObserveAsync);
        table.Unary<ResignRequest, ResignResponse>("/v3electionpb.Election/Resign", ResignRequest.Parser, ResignAsync);
    }

    /// <summary>
    /// Becomes a candidate (a lease that already is one keeps its place and proclaims the new value), then waits
    /// to lead. The header is the candidacy's, as etcd's. A campaign cancelled while waiting withdraws; one that
    /// fails otherwise leaves the candidacy to its lease, as etcd's does.
    /// </summary>
    private async ValueTask<CampaignResponse> CampaignAsync(CampaignRequest request, GrpcCall call)
    {
        var cancellationToken = call.CancellationToken;
        var lease = await _kv.SessionLeaseAsync(request.Lease, cancellationToken);
        var prefix = RecipeKeys.Prefix(request.Name);
        var key = RecipeKeys.OwnKey(prefix, lease);

        var enter = new TxnRequest();
        enter.Compare.Add(RecipeKeys.CreateRevisionIs(key, 0));
        enter.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = request.Value, Lease = lease } });
        enter.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
        var entered = await _kv.TxnAsync(enter, cancellationToken);

        var leader = new LeaderKey { Name = request.Name, Key = key, Rev = entered.Header.Revision, Lease = lease };
        if (!entered.Succeeded)
        {
            var existing = entered.Responses[0].ResponseRange.Kvs[0];
            leader.Rev = existing.CreateRevision;
            if (existing.Value != request.Value)
            {
                try
                {
                    await ProclaimAsync(leader, request.Value, cancellationToken);
                }
                catch
                {
                    await ResignQuietlyAsync(leader, call.Shutdown);
                    throw;
                }
            }
        }

        try
        {
            await _turns.WaitAsync(prefix, key, leader.Rev, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ResignQuietlyAsync(leader, call.Shutdown);
            throw;
        }
        return new CampaignResponse { Header = _headers.Fill(entered.Header), Leader = leader };
    }

    /// <summary>Lease 0 puts the value under a fresh session lease, as etcd's server does.</summary>
    private async ValueTask<ProclaimResponse> ProclaimAsync(ProclaimRequest request, GrpcCall call)
    {
        var leader = request.Leader?.Clone() ?? throw RecipeErrors.MissingLeaderKey();
        leader.Lease = await _kv.SessionLeaseAsync(leader.Lease, call.CancellationToken);
        var proclaimed = await ProclaimAsync(leader, request.Value, call.CancellationToken);
        return new ProclaimResponse { Header = _headers.Fill(proclaimed.Header) };
    }

    /// <summary>Writes the value only while the leader's key is the one it was elected with.</summary>
    private async Task<TxnResponse> ProclaimAsync(LeaderKey leader, ByteString value, CancellationToken cancellationToken)
    {
        var proclaim = new TxnRequest();
        proclaim.Compare.Add(RecipeKeys.CreateRevisionIs(leader.Key, leader.Rev));
        proclaim.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = leader.Key, Value = value, Lease = leader.Lease } });
        var proclaimed = await _kv.TxnAsync(proclaim, cancellationToken);
        return proclaimed.Succeeded ? proclaimed : throw RecipeErrors.NotLeader();
    }

    private async ValueTask<LeaderResponse> LeaderAsync(LeaderRequest request, GrpcCall call)
    {
        var current = await _kv.RangeAsync(RecipeKeys.FirstCreated(RecipeKeys.Prefix(request.Name)), call.CancellationToken);
        if (current.Kvs.Count == 0) throw RecipeErrors.NoLeader();
        return new LeaderResponse { Header = _headers.Fill(current.Header), Kv = current.Kvs[0] };
    }

    /// <summary>Streams until the client cancels (etcd ends it with the context's error, not OK).</summary>
    private async Task ObserveAsync(LeaderRequest request, GrpcResponseStream<LeaderResponse> responses, GrpcCall call)
    {
        await foreach (var response in _observer.ObserveAsync(request.Name, call.CancellationToken))
        {
            _headers.Fill(response.Header);
            await responses.WriteAsync(response, call.CancellationToken);
        }
    }

    /// <summary>Deletes the leader's key if it is still the one elected; resigning twice is not an error.</summary>
    private async ValueTask<ResignResponse> ResignAsync(ResignRequest request, GrpcCall call)
    {
        var leader = request.Leader ?? throw RecipeErrors.MissingLeaderKey();
        var resigned = await ResignAsync(leader, call.CancellationToken);
        return new ResignResponse { Header = _headers.Fill(resigned.Header) };
    }

    private Task<TxnResponse> ResignAsync(LeaderKey leader, CancellationToken cancellationToken)
    {
        var resign = new TxnRequest();
        resign.Compare.Add(RecipeKeys.CreateRevisionIs(leader.Key, leader.Rev));
        resign.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = leader.Key } });
        return _kv.TxnAsync(resign, cancellationToken);
    }

    /// <summary>Best effort: if it fails too, the candidacy ends with its lease.</summary>
    private async Task ResignQuietlyAsync(LeaderKey leader, CancellationToken cancellationToken)
    {
        try
        {
            await ResignAsync(leader, cancellationToken);
        }
        catch (Exception)
        {
        }
    }
}
