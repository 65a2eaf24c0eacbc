using Coordinator.Gateway;
using Coordinator.Grains.Raft;
using Coordinator.Protocol.Internal;
using Coordinator.Silo.Cluster;
using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Runtime membership (etcd's Cluster service). Changes are decided by the leader — a follower forwards the
/// request — under etcd's strict reconfiguration check: a voter is added only when the started, active voters
/// can form the new quorum (a second member may join a single-member cluster), and removed only when the
/// remaining ones can. A leader asked to remove itself hands over first.
/// </summary>
public sealed partial class ReplicaHost : IClusterAdmin
{
    public const string AdminMethodPrefix = "admin-";
    private readonly Dictionary<ulong, (ulong Term, TaskCompletionSource Done)> _configWaiters = new(); // loop, by index

    public Task<MemberAddResponse> MemberAddAsync(MemberAddRequest request, CancellationToken cancellationToken) =>
        OnLeaderAsync("member-add", request, MemberAddResponse.Parser, () => MemberAddOnLeaderAsync(request, cancellationToken), cancellationToken);

    public Task<MemberRemoveResponse> MemberRemoveAsync(MemberRemoveRequest request, CancellationToken cancellationToken) =>
        OnLeaderAsync("member-remove", request, MemberRemoveResponse.Parser, () => MemberRemoveOnLeaderAsync(request, cancellationToken), cancellationToken);

    public Task<MemberPromoteResponse> MemberPromoteAsync(MemberPromoteRequest request, CancellationToken cancellationToken) =>
        OnLeaderAsync("member-promote", request, MemberPromoteResponse.Parser, () => MemberPromoteOnLeaderAsync(request, cancellationToken), cancellationToken);

    public async Task<MemberUpdateResponse> MemberUpdateAsync(MemberUpdateRequest request, CancellationToken cancellationToken)
    {
        if (MemberTable.Find(request.ID) is null) throw new NodeException(5, "etcdserver: member not found");
        var urls = ValidatePeerUrls(request.PeerURLs, except: request.ID);
        var update = new MemberPeerUrls { MemberId = request.ID };
        update.PeerUrls.AddRange(urls);
        var result = await ProposeAsync(new RaftRequest { MemberPeerUrls = update }, cancellationToken);
        if (result.Error is not null) throw new NodeException((int)result.Error.Code, result.Error.Message);
        var response = new MemberUpdateResponse();
        response.Members.AddRange(MemberMessages());
        return response;
    }

    /// <summary>Runs an admin call on the leader: here when we lead, else forwarded to it (and answered once
    /// applied here). A leader that is
    /// asked to remove itself hands over and the call follows the new leader (a few attempts).</summary>
    private async Task<T> OnLeaderAsync<T>(string method, IMessage request, MessageParser<T> parser, Func<Task<T>> local,
        CancellationToken cancellationToken) where T : IMessage<T>
    {
        for (var attempt = 0; ; attempt++)
        {
            var leader = LeaderId;
            if (leader == 0) throw DescribeNoLeader();
            try
            {
                if (leader == MemberId) return await local();
                var reply = await _network.CallAsync(leader, AdminMethodPrefix + method, request.ToByteArray(), cancellationToken);
                var response = parser.ParseFrom(AdminEnvelope.Open(reply));
                // As in etcd, the change has been applied here too before we answer: a member list asked of this
                // member right after (etcdctl's member add does that) shows it.
                if (request is not MemberRemoveRequest { ID: var removed } || removed != MemberId)
                    await ReadBarrierAsync(cancellationToken);
                return response;
            }
            catch (Exception e) when (attempt < 3 && (e is LeadershipMovedException ||
                                                      e is NodeException { Message: "etcdserver: leader changed" }))
            {
                // The leader handed over (e.g. it was asked to remove itself): follow the new one.
                await WaitForLeaderOtherThanAsync(leader, cancellationToken);
            }
            catch (Exception e) when (e is not NodeException and not OperationCanceledException)
            {
                throw new NodeException(14, $"etcdserver: cannot reach the leader ({e.Message})");
            }
        }
    }

    /// <summary>Serves an admin call forwarded by a follower (registered with the transport).</summary>
    public async Task<byte[]> HandleAdminCallAsync(string method, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            if (LeaderId != MemberId) throw NodeException.LeaderChanged();
            IMessage response = method switch
            {
                "member-add" => await MemberAddOnLeaderAsync(MemberAddRequest.Parser.ParseFrom(body), cancellationToken),
                "member-remove" => await MemberRemoveOnLeaderAsync(MemberRemoveRequest.Parser.ParseFrom(body), cancellationToken),
                "member-promote" => await MemberPromoteOnLeaderAsync(MemberPromoteRequest.Parser.ParseFrom(body), cancellationToken),
                _ => throw new NodeException(12, $"coordinator: unknown admin call {method}"),
            };
            return AdminEnvelope.Ok(response.ToByteArray());
        }
        catch (LeadershipMovedException) { return AdminEnvelope.Error(NodeException.LeaderChanged()); }
        catch (NodeException e) { return AdminEnvelope.Error(e); }
    }

    private async Task<MemberAddResponse> MemberAddOnLeaderAsync(MemberAddRequest request, CancellationToken cancellationToken)
    {
        var urls = ValidatePeerUrls(request.PeerURLs, except: 0);
        var id = MemberIds.MemberId(urls.Select(u => new Uri(u)), $"{ClusterId:x}/{DateTime.UtcNow.Ticks}");
        var change = new ConfigChange(request.IsLearner ? ConfigChangeType.AddLearner : ConfigChangeType.AddVoter, id,
            new Cluster.Member.Attributes("", urls).Encode());
        // A new voter counts toward the quorum from the moment its entry is in the log. With other voters (the
        // strict check below guarantees the started ones can form the new quorum) the addition commits without
        // the new member, so answer once it is applied here, as etcd does: a member list asked right after
        // (etcdctl member add prints one) shows it. A single member adding a second voter cannot commit until
        // that member starts: answer once the addition is accepted.
        var alone = !request.IsLearner && await OnLoop(() => _replica.Status().Membership.Voters.Count == 1, cancellationToken);
        await ProposeConfigChangeAsync(change, waitForApply: !alone, () =>
        {
            var status = _replica.Status();
            if (request.IsLearner)
            {
                if (!status.Membership.Learners.IsEmpty)
                    throw new NodeException(9, "etcdserver: too many learner members in cluster");
                return;
            }
            CheckQuorumAfterAdding(status);
        }, cancellationToken);
        var member = new Etcdserverpb.Member { ID = id, IsLearner = request.IsLearner };
        member.PeerURLs.AddRange(urls);
        var response = new MemberAddResponse { Member = member };
        response.Members.AddRange(MemberMessages(withPending: true).Where(m => m.ID != id));
        response.Members.Add(member);
        return response;
    }

    private async Task<MemberRemoveResponse> MemberRemoveOnLeaderAsync(MemberRemoveRequest request, CancellationToken cancellationToken)
    {
        if (MemberTable.Find(request.ID) is null) throw new NodeException(5, "etcdserver: member not found");
        if (request.ID == MemberId)
        {
            await HandOverLeadershipAsync(cancellationToken);
            throw new LeadershipMovedException();
        }
        await ProposeConfigChangeAsync(new ConfigChange(ConfigChangeType.RemoveMember, request.ID), waitForApply: true, () =>
        {
            var status = _replica.Status();
            if (!status.Membership.IsVoter(request.ID) || !_options.StrictReconfigCheck) return;
            var remaining = status.Membership.Voters.Remove(request.ID);
            var quorum = remaining.Count / 2 + 1;
            var ready = remaining.Count(v => IsStartedAndActive(status, v));
            if (ready < quorum)
                throw new NodeException(14, $"etcdserver: unhealthy cluster: after removing {Describe(request.ID)} only {ready} of the " +
                                             $"{remaining.Count} remaining voters are started and reachable, fewer than the quorum of {quorum}");
        }, cancellationToken);
        var response = new MemberRemoveResponse();
        response.Members.AddRange(MemberMessages());
        return response;
    }

    private async Task<MemberPromoteResponse> MemberPromoteOnLeaderAsync(MemberPromoteRequest request, CancellationToken cancellationToken)
    {
        var member = MemberTable.Find(request.ID) ?? throw new NodeException(5, "etcdserver: member not found");
        if (!member.IsLearner) throw new NodeException(9, "etcdserver: can only promote a learner member");
        await ProposeConfigChangeAsync(new ConfigChange(ConfigChangeType.PromoteLearner, request.ID), waitForApply: true,
            () => CheckQuorumAfterAdding(_replica.Status(), promoting: request.ID), cancellationToken);
        var response = new MemberPromoteResponse();
        response.Members.AddRange(MemberMessages());
        return response;
    }

    /// <summary>Loop (leader): the started, active voters (plus a promoted learner) must form the quorum of
    /// the grown voter set; etcd's exception: a second member may join a single-member cluster.</summary>
    private void CheckQuorumAfterAdding(ReplicaStatus status, ulong promoting = 0)
    {
        if (!_options.StrictReconfigCheck) return;
        var voters = status.Membership.Voters;
        var ready = voters.Count(v => IsStartedAndActive(status, v)) + (promoting != 0 && IsStartedAndActive(status, promoting) ? 1 : 0);
        if (voters.Count == 1 && ready >= 1) return;
        var quorum = (voters.Count + 1) / 2 + 1;
        if (ready >= quorum) return;
        var neverStarted = voters.Where(v => !IsStarted(v)).ToList();
        if (neverStarted.Count > 0)
            throw new NodeException(14, $"etcdserver: unhealthy cluster: member {Describe(neverStarted[0])} was added but has never started; " +
                                         "start it, or recover with --force-new-cluster");
        throw new NodeException(14, $"etcdserver: unhealthy cluster: only {ready} of {voters.Count} voters are started and reachable, " +
                                     $"fewer than the quorum of {quorum} after the change");
    }

    private bool IsStarted(ulong id) => MemberTable.Find(id) is { ClientUrls.Count: > 0 };

    private bool IsStartedAndActive(ReplicaStatus status, ulong id) =>
        IsStarted(id) && (id == MemberId || (status.Progress.TryGetValue(id, out var p) && p.RecentActive));

    private string Describe(ulong id) =>
        MemberTable.FindWithPending(id) is { Name.Length: > 0 } m ? $"{m.Name} ({id:x})"
            : $"{id:x} ({string.Join(",", MemberTable.FindWithPending(id)?.PeerUrls ?? [])})";

    /// <summary>"No leader", with the reason when a voter was added but never started (the documented trap).</summary>
    private NodeException DescribeNoLeader()
    {
        var stuck = MemberTable.AllWithPending.Where(m => !m.IsLearner && m.ClientUrls.Count == 0).ToList();
        return stuck.Count == 0
            ? NodeException.NoLeader()
            : new NodeException(14, $"etcdserver: no leader: member {Describe(stuck[0].Id)} was added but has never started, " +
                                    "so the cluster cannot reach quorum; start it, or recover with --force-new-cluster");
    }

    /// <summary>Checks (on the loop), proposes, and waits until the change is applied here. A change that meets
    /// one still in flight — another client's, or a new leader's first entry, which must commit before any
    /// change (a removed leader's hand-over always meets it) — waits for it within the request timeout and is
    /// checked again, instead of failing a request the client could not have ordered better.</summary>
    private async Task ProposeConfigChangeAsync(ConfigChange change, bool waitForApply, Action check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        Task? done;
        while ((done = await OnLoop(() => TryProposeConfigChange(change, check), cancellationToken)) is null)
        {
            try { await Task.Delay(TimeSpan.FromMilliseconds(_options.HeartbeatMs), timeout.Token); }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new NodeException(9, "etcdserver: a membership change is already in progress; retry when it completes");
            }
        }
        if (!waitForApply) return;
        try { await done.WaitAsync(timeout.Token); }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { throw NodeException.Timeout(); }
    }

    /// <summary>Loop: the apply wait of the proposed change, or null while an earlier change is pending.</summary>
    private Task? TryProposeConfigChange(ConfigChange change, Action check)
    {
        if (!_isLeader) throw new LeadershipMovedException();
        check();
        var result = _replica.ProposeConfigChange(change);
        switch (result.Outcome)
        {
            case ProposeOutcome.Appended:
                var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _configWaiters[result.Index] = (result.Term, tcs);
                return tcs.Task;
            case ProposeOutcome.DroppedLearnerNotCaughtUp:
                throw new NodeException(9, "etcdserver: can only promote a learner member which is in sync with leader");
            case ProposeOutcome.DroppedConfigChangePending:
                return null;
            case ProposeOutcome.DroppedInvalidConfigChange:
                throw new NodeException(9, "etcdserver: the membership change does not apply to the current members");
            case ProposeOutcome.DroppedLeaderTransfer:
                throw NodeException.LeaderChanged();
            default:
                throw new NodeException(14, "etcdserver: " + result.Reason);
        }
    }

    /// <summary>Loop: completes the wait for a config change applied at <paramref name="entry"/>'s index.</summary>
    private void CompleteConfigWaiter(Entry entry)
    {
        if (!_configWaiters.Remove(entry.Index, out var waiter)) return;
        if (waiter.Term == entry.Term) waiter.Done.TrySetResult();
        else waiter.Done.TrySetException(NodeException.LeaderChanged());
    }

    private async Task HandOverLeadershipAsync(CancellationToken cancellationToken)
    {
        var target = await OnLoop(() =>
        {
            var status = _replica.Status();
            return status.Membership.Voters.Where(v => v != MemberId && IsStartedAndActive(status, v))
                .OrderByDescending(v => status.Progress.TryGetValue(v, out var p) ? p.Match : 0).FirstOrDefault();
        }, cancellationToken);
        if (target == 0) throw new NodeException(14, "etcdserver: unhealthy cluster: no other started voter can take over the leadership");
        await MoveLeaderAsync(target, cancellationToken);
    }

    public async Task MoveLeaderAsync(ulong target, CancellationToken cancellationToken)
    {
        if (LeaderId != MemberId) throw new NodeException(9, "etcdserver: not leader");
        if (MemberTable.Find(target) is not { IsLearner: false }) throw new NodeException(5, "etcdserver: bad leader transferee");
        if (target == MemberId) return;
        TransferLeadership(target);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(_options.HeartbeatMs * _options.ElectionTicks * 3));
        try
        {
            while (LeaderId != target) await Task.Delay(_options.HeartbeatMs, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NodeException(4, "etcdserver: request timed out, leader transfer took too long");
        }
    }

    private async Task WaitForLeaderOtherThanAsync(ulong previous, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        while (LeaderId == previous || LeaderId == 0) await Task.Delay(_options.HeartbeatMs, timeout.Token);
    }

    private List<string> ValidatePeerUrls(IReadOnlyCollection<string> peerUrls, ulong except)
    {
        if (peerUrls.Count == 0) throw new NodeException(3, "etcdserver: member peer URLs are not provided");
        var urls = new List<string>();
        foreach (var text in peerUrls)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != "http")
                throw new NodeException(3, $"etcdserver: invalid peer URL '{text}' (expected http://host:port)");
            urls.Add(url.ToString().TrimEnd('/'));
        }
        foreach (var m in MemberTable.All)
            if (m.Id != except && m.PeerUrls.Intersect(urls).Any())
                throw new NodeException(9, "etcdserver: Peer URLs already exists");
        return urls;
    }

    private IEnumerable<Etcdserverpb.Member> MemberMessages(bool withPending = false) =>
        (withPending ? MemberTable.AllWithPending : MemberTable.All).Select(m =>
    {
        var message = new Etcdserverpb.Member { ID = m.Id, Name = m.Name, IsLearner = m.IsLearner };
        message.PeerURLs.AddRange(m.PeerUrls);
        message.ClientURLs.AddRange(GrpcTargets(m.ClientUrls));
        return message;
    });

    /// <summary>The leader changed while handling an admin call; the caller retries on the new leader.</summary>
    private sealed class LeadershipMovedException : Exception;
}
