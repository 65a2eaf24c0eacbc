using Coordinator.Protocol.Internal;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Proposals this member made that may have been lost. Raft does not promise to deliver a proposal: a forwarded
/// one is dropped by a leader that has just stepped down, a message is lost while a peer stream reconnects, an
/// appended entry is truncated by the next leader. etcd leaves the retry to the client (and answers a timeout);
/// here the member proposes the same bytes again (same session, id and floor) when the term moves on, and a
/// forwarded one also after two election timeouts without an answer. That is safe because the state machine
/// applies a request at most once (<see cref="Coordinator.Grains.Store.RequestSessionTable{TResult}"/>): a copy
/// that commits after the first answers with the first result and changes nothing. A leader's own entries of its
/// current term stay in its log, so they are proposed again only once the term has changed.
/// </summary>
public sealed partial class ReplicaHost
{
    private readonly Dictionary<ulong, InFlightProposal> _inFlight = new(); // loop, by request id; only waited ones

    private readonly record struct InFlightProposal(RaftRequest Request, ReadOnlyMemory<byte> Data, ulong Term, bool Forwarded, long SentAt);

    /// <summary>Loop: a proposal was appended here or forwarded to the leader.</summary>
    private void TrackInFlight(RaftRequest request, ReadOnlyMemory<byte> data, bool forwarded) =>
        _inFlight[request.Id] = new InFlightProposal(request, data, _replica.Term, forwarded, Now);

    /// <summary>Loop: on every tick and leader change, proposes again what may have been lost (see above).</summary>
    private void ResubmitLostProposals()
    {
        if (_inFlight.Count == 0 || LeaderId == 0) return;
        var term = _replica.Term;
        var now = Now;
        var patience = 2L * _options.HeartbeatMs * _options.ElectionTicks;
        List<InFlightProposal>? again = null;
        List<ulong>? answered = null;
        foreach (var (id, p) in _inFlight)
        {
            if (!_waiters.ContainsKey(id)) (answered ??= []).Add(id);
            else if (p.Term != term || (p.Forwarded && now - p.SentAt >= patience)) (again ??= []).Add(p);
        }
        answered?.ForEach(id => _inFlight.Remove(id));
        if (again is null) return;
        foreach (var p in again)
        {
            _inFlight.Remove(p.Request.Id);
            QueueProposal(p.Request, p.Data);
        }
        FlushProposals();
        Log.ProposalsResubmitted(_logger, again.Count, term);
    }
}
