using Coordinator.Grains.Raft;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;

namespace Coordinator.Grains.Replicas;

/// <summary>
/// Hosts the replica of group G on member M (key <c>"G/M"</c>) on M's silo. Each call, timer tick and completed
/// write is one turn that steps the pure <see cref="Replica"/> and then runs its Ready loop (partial file Ready);
/// no turn waits on I/O. Reentrant: a proposal's call stays open until it applies while other turns run; every
/// turn's state change is synchronous, so turns never interleave inside one.
/// <para>
/// Safety never rests on Orleans' single-activation guarantee (SAFETY.md): placement puts it on M's silo only,
/// <see cref="OnActivateAsync"/> refuses any other silo, the log is opened exclusively per member, and the log is
/// durable before anything that depends on it leaves the grain.
/// </para>
/// </summary>
[HomeMemberPlacement, Reentrant, KeepAlive, Immovable]
public sealed partial class ReplicaGrain(
    LocalMember localMember,
    IReplicaLogProvider logs,
    ReplicaGroupCatalog catalog,
    IOptions<ReplicaHostingOptions> options,
    ILogger<ReplicaGrain> logger) : Grain, IReplicaGrain
{
    private readonly ReplicaHostingOptions _options = options.Value;
    private ReplicaKey _key;
    private string _name = "";
    // Set by a successful activation; null while activation failed or has not finished.
    private IReplicaLog? _log;
    private Replica? _replica;
    private IReplicaStateMachine? _stateMachine;
    private IGrainTimer? _ticker; // null while the replica is quiet and nothing waits: a quiet group costs no timer
    private TimeSpan _tickInterval;
    /// <summary>Why this activation stopped serving (a failed write or apply, or deactivation); then nothing is
    /// sent, applied or answered any more: the replica in memory may be ahead of its durable log.</summary>
    private Exception? _stopped;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _name = this.GetPrimaryKeyString();
        _key = ReplicaKey.Parse(_name);
        // (2) Not this member's replica: refuse before touching any log, whatever placed it here.
        if (_key.MemberId != localMember.Id)
        {
            var refusal = new ReplicaNotHomeException(_name, localMember.Id, RuntimeIdentity);
            Log.Refused(logger, _name, RuntimeIdentity, refusal.Message);
            throw refusal;
        }
        var spec = catalog.Find(_key.GroupId)
            ?? throw new InvalidOperationException($"group {_key.GroupId} is not in member {localMember.Id}'s group catalog");
        var createStateMachine = _options.CreateStateMachine
            ?? throw new InvalidOperationException("ReplicaHostingOptions.CreateStateMachine is not set");
        // (3) Exclusive per member: a second activation here fails now, before it could write.
        var log = logs.Open(_key.GroupId);
        try
        {
            await BootstrapIfNewAsync(log, spec, cancellationToken);
            var stateMachine = createStateMachine(_key);
            var snapshot = log.SnapshotMetadata;
            if (snapshot.Index > 0) stateMachine.Restore(log.Snapshot);
            var replica = new Replica(new ReplicaOptions
            {
                Id = _key.MemberId,
                Group = _key.GroupId,
                ElectionTicks = spec.ElectionTicks,
                HeartbeatTicks = 1,
                RandomSeed = HashCode.Combine(_key.GroupId, _key.MemberId, Environment.TickCount64),
                PreVote = true,
                CheckQuorum = true,
                Applied = snapshot.Index,
                QuiesceAfterTicks = spec.QuiesceAfterTicks,
            }, log);
            _log = log;
            _stateMachine = stateMachine;
            _replica = replica;
        }
        catch
        {
            log.Dispose();
            throw;
        }
        _tickInterval = spec.TickInterval;
        EnsureTicking();
        Log.Activated(logger, _name, RuntimeIdentity, _log.HardState.Term, _log.LastIndex, string.Join(",", _replica.Membership.Voters));
        // The only voter has nobody to wait for: it campaigns at once.
        if (_replica.Membership.Voters.Count == 1 && _replica.Membership.IsVoter(_key.MemberId)) _replica.Campaign();
        Pump();
    }

    /// <summary>A new group's voters start from the same log: their AddVoter entries at term 1, committed.
    /// A member not among them (a later addition) starts empty and learns the log from the leader.</summary>
    private async Task BootstrapIfNewAsync(IReplicaLog log, ReplicaGroupSpec spec, CancellationToken cancellationToken)
    {
        if (log.LastIndex > 0 || !log.HardState.IsEmpty || !spec.Voters.Contains(_key.MemberId)) return;
        var entries = spec.Voters.Select((voter, i) =>
            new Entry((ulong)i + 1, 1, EntryType.ConfigChange, new ConfigChange(ConfigChangeType.AddVoter, voter).Encode())).ToArray();
        await log.PersistAsync(null, new HardState(1, 0, (ulong)entries.Length), entries, cancellationToken);
        Log.Bootstrapped(logger, _name, string.Join(",", spec.Voters));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _stopped ??= new InvalidOperationException($"replica {_name} deactivated: {reason}");
        _ticker?.Dispose();
        FailAllProposals(ProposalOutcome.Stopped, $"replica {_name} deactivated before the entry applied; it may still commit");
        if (_persisting is { } write)
        {
            try { await write.WaitAsync(cancellationToken); } catch { /* the log is closed below either way */ }
        }
        _log?.Dispose();
        _log = null;
    }

    public Task Step(RaftMessageBatch batch)
    {
        if (_replica is null || _stopped is not null) return Task.CompletedTask;
        foreach (var message in batch.Messages)
            if (message.To == _key.MemberId) _replica.Step(message);
        Pump();
        EnsureTicking();
        return Task.CompletedTask;
    }

    private Task OnTick(CancellationToken cancellationToken)
    {
        if (_replica is null || _stopped is not null) return Task.CompletedTask;
        _replica.Tick();
        ExpireProposals();
        Pump();
        if (_replica.IsQuiesced && _proposals.Count == 0 && _ticker is not null)
        {
            _ticker.Dispose();
            _ticker = null;
        }
        return Task.CompletedTask;
    }

    /// <summary>Restarts the timer once the replica is awake again (a message or a proposal woke it).</summary>
    private void EnsureTicking()
    {
        if (_ticker is not null || _replica is null || _stopped is not null || _replica.IsQuiesced) return;
        _ticker = this.RegisterGrainTimer(OnTick, new GrainTimerCreationOptions(_tickInterval, _tickInterval) { KeepAlive = true });
    }

    /// <summary>True while the replica is quiet and its timer stopped (for tests and status).</summary>
    internal bool IsQuiet => _ticker is null && _replica is { IsQuiesced: true };

    public Task<ReplicaGrainStatus> Status()
    {
        var replica = _replica ?? throw new InvalidOperationException($"replica {_name} is not active");
        if (_stopped is not null) throw new InvalidOperationException($"replica {_name} has stopped: {_stopped.Message}");
        var durable = _log!.HardState;
        return Task.FromResult(new ReplicaGrainStatus(_name, RuntimeIdentity, _durableSoftState.Role.ToString(), durable.Term, durable.Vote,
            _durableSoftState.Leader, replica.Committed, replica.Applied, _log.LastIndex, replica.Membership.Voters.ToArray(), IsQuiet));
    }

    public Task Wake()
    {
        if (_replica is null || _stopped is not null) return Task.CompletedTask;
        _replica.Wake();
        Pump();
        EnsureTicking();
        return Task.CompletedTask;
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>A write or apply failed: the replica in memory is no longer backed by its log. Stop serving and
    /// deactivate; the next activation starts again from what the log holds.</summary>
    private void Stop(Exception failure)
    {
        if (_stopped is not null) return;
        _stopped = failure;
        Log.Failed(logger, failure, _name);
        FailAllProposals(ProposalOutcome.Stopped, $"replica {_name} stopped after a failure ({failure.Message}); the entry may still commit");
        DeactivateOnIdle();
    }
}
