using Coordinator.Grains.Raft;

namespace Coordinator.Grains.Replicas;

public sealed partial class ReplicaGrain
{
    /// <summary>The Ready whose write is in flight; no other Ready is taken until it is finished (Advanced).</summary>
    private Ready? _inFlight;
    private Task? _persisting;
    /// <summary>Leader and role as of the latest Ready whose HardState is durable: what the grain tells callers.</summary>
    private SoftState _durableSoftState;
    /// <summary>A HardState that changed only Commit, not yet written: it goes with the next write that must sync
    /// (IRaftLogStorage lets the durable commit index lag), so advancing the commit costs no write of its own.</summary>
    private HardState? _unwrittenCommit;

    /// <summary>
    /// Runs the Ready loop as far as it goes without waiting: a Ready that needs no write is finished at once; one
    /// that does starts its write off the turn and stops here — <see cref="PersistThenFinishAsync"/> finishes it in a
    /// later turn. Called at the end of every turn that may have given the replica work.
    /// </summary>
    private void Pump()
    {
        while (_inFlight is null && _stopped is null && _replica!.HasReady)
        {
            var rd = _replica.GetReady();
            // A leader whose term and vote are unchanged ships entries while its own write runs (Ready.MessagesMayPrecedePersist).
            var sentEarly = rd.MessagesMayPrecedePersist && rd.Messages.Count > 0;
            if (sentEarly) Send(rd.Messages);
            if (rd.MustSync)
            {
                var hardState = rd.HardState ?? _unwrittenCommit;
                _unwrittenCommit = null;
                _inFlight = rd;
                _persisting = PersistThenFinishAsync(rd, hardState, sentEarly);
                return;
            }
            if (rd.HardState is { } commitOnly) _unwrittenCommit = commitOnly;
            try
            {
                Finish(rd, sentEarly);
            }
            catch (Exception e)
            {
                Stop(e); // a state machine that throws on a committed entry cannot go on: the next activation retries
                return;
            }
        }
    }

    /// <summary>(4) Writes a Ready's snapshot, HardState and entries; its messages go out only after, in the
    /// continuation — which always yields to this activation's scheduler, i.e. runs as a later turn of this grain.</summary>
    private async Task PersistThenFinishAsync(Ready rd, HardState? hardState, bool sentEarly)
    {
        try
        {
            await _log!.PersistAsync(rd.Snapshot, hardState, rd.Entries, CancellationToken.None)
                .ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.ForceYielding);
        }
        catch (Exception e)
        {
            Stop(e);
            return;
        }
        if (_stopped is not null) return;
        try
        {
            Finish(rd, sentEarly);
        }
        catch (Exception e)
        {
            Stop(e);
            return;
        }
        Pump();
    }

    /// <summary>The rest of a Ready once its writes are durable: send, restore, apply, Advance.</summary>
    private void Finish(Ready rd, bool sentEarly)
    {
        if (rd.SoftState is { } soft)
        {
            if (soft.Leader != _durableSoftState.Leader)
                Log.LeaderChanged(logger, _name, soft.Leader, _replica!.Term, soft.Role.ToString());
            _durableSoftState = soft;
        }
        if (!sentEarly && rd.Messages.Count > 0) Send(rd.Messages);
        if (rd.Snapshot is { } snapshot)
        {
            _stateMachine!.Restore(snapshot);
            FailProposalsThrough(snapshot.Metadata.Index);
        }
        foreach (var entry in rd.CommittedEntries) Apply(entry);
        _replica!.Advance(rd);
        _inFlight = null;
        _persisting = null;
    }

    /// <summary>One one-way grain call per destination member, carrying all of this Ready's messages for it.</summary>
    private void Send(IReadOnlyList<Message> messages)
    {
        foreach (var destination in messages.GroupBy(m => m.To))
        {
            if (destination.Key == _key.MemberId || destination.Key == 0) continue;
            var peer = GrainFactory.GetGrain<IReplicaGrain>(new ReplicaKey(_key.GroupId, destination.Key).ToString());
            _ = peer.Step(new RaftMessageBatch { Messages = destination.ToArray() });
        }
    }
}
