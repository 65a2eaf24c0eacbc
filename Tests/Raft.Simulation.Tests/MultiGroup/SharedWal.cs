namespace Coordinator.Tests.Simulation;

/// <summary>
/// A member's one write-ahead log, shared by every group it hosts. Appends of all groups queue in one
/// buffer, in order; one simulated fsync makes every record queued before it started durable at once, and
/// the groups waiting on it continue only then (the Ready contract: a group's Messages leave after the fsync
/// that covers its HardState and Entries). While an fsync runs, new appends wait for the next, which starts
/// as soon as this one ends — so groups under load share fsyncs (group commit).
/// A record that needs no fsync (a HardState changing only Commit) is written and becomes durable with the
/// next fsync. A crash keeps all durable records and a random prefix of the rest (the page cache flushed
/// part of it), for every group of the member at once.
/// </summary>
internal sealed class SharedWal(MultiGroupSimulator sim, SimMember member)
{
    /// <summary>Written, not yet durable, in log order (the records of the running fsync come first), each with
    /// the disk of the replica that wrote it (a replica removed and added again is a new one).</summary>
    private readonly List<(GroupDisk Disk, WalRecord Record)> _unsynced = new();
    /// <summary>Groups waiting for the next fsync: their records, and what to do once they are durable.</summary>
    private List<(GroupReplica Replica, IReadOnlyList<WalRecord> Records, Action Durable)> _waiting = new();
    private bool _syncing;
    /// <summary>Bumped at every crash, so an fsync of an earlier life completes nothing.</summary>
    private int _epoch;

    public int Unsynced => _unsynced.Count;

    /// <summary>Queues records that need no fsync, and writes them to the live image now.</summary>
    public void Write(GroupReplica replica, IReadOnlyList<WalRecord> records)
    {
        _unsynced.AddRange(records.Select(r => (replica.Disk, r)));
        foreach (var r in records) r.ApplyTo(replica.Disk.Live);
    }

    /// <summary>Queues records that must be durable before <paramref name="durable"/> runs.</summary>
    public void Append(GroupReplica replica, IReadOnlyList<WalRecord> records, Action durable)
    {
        _unsynced.AddRange(records.Select(r => (replica.Disk, r)));
        _waiting.Add((replica, records, durable));
        if (!_syncing) StartFsync();
    }

    private void StartFsync()
    {
        var covered = _unsynced.Count;
        var waiting = _waiting;
        _waiting = new();
        _syncing = true;
        var epoch = _epoch;
        sim.Stats.Fsyncs++;
        var groups = waiting.Select(w => w.Replica.Group.Id).Distinct().ToList();
        if (groups.Count > 1) sim.Stats.SharedFsyncs++;
        if (sim.Verbose) sim.Trace($"m{member.Id} fsync of {covered} records for {string.Join(",", groups.Select(g => $"g{g}"))}");
        sim.Events.After(member.FsyncLatency(), () =>
        {
            if (epoch != _epoch) return;
            FsyncDone(covered, waiting);
        });
    }

    private void FsyncDone(int covered, List<(GroupReplica Replica, IReadOnlyList<WalRecord> Records, Action Durable)> waiting)
    {
        if (sim.Bug == WalBug.FsyncCoversOneGroup)
        {
            var group = waiting[0].Replica.Group.Id;
            foreach (var (disk, r) in _unsynced.Take(covered).Where(u => u.Record.Group == group)) r.ApplyTo(disk.Durable);
            var kept = _unsynced.Take(covered).Where(u => u.Record.Group != group).Concat(_unsynced.Skip(covered)).ToList();
            _unsynced.Clear();
            _unsynced.AddRange(kept);
        }
        else
        {
            foreach (var (disk, r) in _unsynced.Take(covered)) r.ApplyTo(disk.Durable);
            _unsynced.RemoveRange(0, covered);
        }
        // Each group has one Ready in flight, so writing a group's records just before its continuation keeps
        // every group's live image in log order.
        foreach (var w in waiting)
        {
            foreach (var r in w.Records) r.ApplyTo(w.Replica.Disk.Live);
            w.Durable();
        }
        _syncing = false;
        if (_waiting.Count > 0) StartFsync();
    }

    /// <summary>The member crashed: a prefix of the unsynced records reached the disk, the rest is lost.</summary>
    public void Crash()
    {
        var kept = sim.Random.Next(_unsynced.Count + 1);
        foreach (var (disk, r) in _unsynced.Take(kept)) r.ApplyTo(disk.Durable);
        sim.Stats.UnsyncedKept += kept;
        sim.Stats.UnsyncedLost += _unsynced.Count - kept;
        if (_unsynced.Count > 0)
            sim.Trace($"m{member.Id} crash: kept {kept} of {_unsynced.Count} unsynced WAL records ({string.Join(",", _unsynced.Select(u => u.Record.Group).Distinct().Select(g => $"g{g}"))})");
        _unsynced.Clear();
        _waiting.Clear();
        _syncing = false;
        _epoch++;
    }
}
