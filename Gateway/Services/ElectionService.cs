using Coordinator.Gateway.Grpc;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
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
[BindServiceMethod(typeof(ElectionService), nameof(BindService))]
public sealed class ElectionService : V3electionpb.Election.ElectionBase
{
    private readonly ResponseHeaderFactory _headers;
    private readonly CancellationToken _shutdown;
    private readonly RecipeKv _kv;
    private readonly TurnWaiter _turns;
    private readonly LeaderObserver _observer;

    public ElectionService(ICoordinatorNode node, RaftProposer proposer, ResponseHeaderFactory headers, WatchHub hub,
        IHostApplicationLifetime lifetime)
    {
        _headers = headers;
        // Cleanup after a failed wait must outlive the call, not the server.
        _shutdown = lifetime.ApplicationStopping;
        _kv = new RecipeKv(node, proposer);
        _turns = new TurnWaiter(_kv, hub);
        _observer = new LeaderObserver(_kv, hub);
    }

    public static void BindService(ServiceBinderBase binder, V3electionpb.Election.ElectionBase service) =>
        V3electionpb.Election.BindService(new ParsingServiceBinder(binder), service);

    /// <summary>
    /// Becomes a candidate (a lease that already is one keeps its place and proclaims the new value), then waits
    /// to lead. The header is the candidacy's, as etcd's. A campaign cancelled while waiting withdraws; one that
    /// fails otherwise leaves the candidacy to its lease, as etcd's does.
    /// </summary>
    public override async Task<CampaignResponse> Campaign(CampaignRequest request, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
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
                    await ResignQuietlyAsync(leader, _shutdown);
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
            await ResignQuietlyAsync(leader, _shutdown);
            throw;
        }
        return new CampaignResponse { Header = _headers.Fill(entered.Header), Leader = leader };
    }

    /// <summary>Lease 0 puts the value under a fresh session lease, as etcd's server does.</summary>
    public override async Task<ProclaimResponse> Proclaim(ProclaimRequest request, ServerCallContext context)
    {
        var leader = request.Leader?.Clone() ?? throw RecipeErrors.MissingLeaderKey();
        leader.Lease = await _kv.SessionLeaseAsync(leader.Lease, context.CancellationToken);
        var proclaimed = await ProclaimAsync(leader, request.Value, context.CancellationToken);
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

    public override async Task<LeaderResponse> Leader(LeaderRequest request, ServerCallContext context)
    {
        var current = await _kv.RangeAsync(RecipeKeys.FirstCreated(RecipeKeys.Prefix(request.Name)), context.CancellationToken);
        if (current.Kvs.Count == 0) throw RecipeErrors.NoLeader();
        return new LeaderResponse { Header = _headers.Fill(current.Header), Kv = current.Kvs[0] };
    }

    /// <summary>Streams until the client cancels (etcd ends it with the context's error, not OK). A read the
    /// observer cannot make (permission denied, no quorum) ends the stream with OK and no further message, as
    /// etcd's Observe loop simply stops when its Get fails.</summary>
    public override async Task Observe(LeaderRequest request, IServerStreamWriter<LeaderResponse> responses, ServerCallContext context)
    {
        var observed = _observer.ObserveAsync(request.Name, context.CancellationToken).GetAsyncEnumerator(context.CancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await observed.MoveNextAsync()) return;
                }
                catch (RpcException) when (!context.CancellationToken.IsCancellationRequested)
                {
                    return;
                }
                var response = observed.Current;
                _headers.Fill(response.Header);
                await responses.WriteAsync(response, context.CancellationToken);
            }
        }
        finally
        {
            await observed.DisposeAsync();
        }
    }

    /// <summary>Deletes the leader's key if it is still the one elected; resigning twice is not an error.</summary>
    public override async Task<ResignResponse> Resign(ResignRequest request, ServerCallContext context)
    {
        var leader = request.Leader ?? throw RecipeErrors.MissingLeaderKey();
        var resigned = await ResignAsync(leader, context.CancellationToken);
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
