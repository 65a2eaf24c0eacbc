using Coordinator.Grains.Raft;
using Xunit;

namespace Coordinator.Tests.Simulation;

/// <summary>The shared WAL's contract, step by step on one member hosting three groups.</summary>
public sealed class SharedWalTests
{
    private readonly MultiGroupSimulator _sim = new(1, members: 1, groups: 3);
    private readonly SimMember _member;
    private readonly GroupReplica[] _replicas;
    private readonly List<string> _durable = new();

    public SharedWalTests()
    {
        _member = new SimMember(_sim, 1, maxFsyncMs: 10);
        var owners = new Dictionary<ulong, ulong>();
        _replicas = Enumerable.Range(1, 3).Select(g =>
        {
            var r = new GroupReplica(_sim, new SimGroup((ulong)g, owners), _member, (ulong)g * 100 + 1);
            _member.Replicas[(ulong)g] = r;
            return r;
        }).ToArray();
    }

    private void Append(int group, ulong index) =>
        _member.Wal.Append(_replicas[group - 1], new[] { new WalRecord((ulong)group, null, new Entry(index, 1), null) },
            () => _durable.Add($"g{group}:{index}"));

    private ulong DurableLast(int group) => _replicas[group - 1].Disk.Durable.LastIndex;

    [Fact]
    public void AppendsQueuedDuringAnFsync_ShareTheNextOne_AndContinueOnlyOnceDurable()
    {
        Append(1, 1); // starts an fsync at once
        Append(2, 1);
        Append(3, 1); // both wait for the next one
        Assert.Equal(1, _sim.Stats.Fsyncs);
        Assert.Empty(_durable);
        Assert.Equal(0UL, _replicas[0].Disk.Live.LastIndex); // nothing is handed back before its fsync ends

        _sim.Events.RunUntil(100, stop: () => _durable.Count > 0);
        Assert.Equal(new[] { "g1:1" }, _durable);
        Assert.Equal((1UL, 0UL, 0UL), (DurableLast(1), DurableLast(2), DurableLast(3)));
        Assert.Equal(2, _sim.Stats.Fsyncs);
        Assert.Equal(1, _sim.Stats.SharedFsyncs);

        _sim.Events.RunUntil(100);
        Assert.Equal(new[] { "g1:1", "g2:1", "g3:1" }, _durable);
        Assert.Equal((1UL, 1UL, 1UL), (DurableLast(1), DurableLast(2), DurableLast(3)));
        Assert.Equal(2, _sim.Stats.Fsyncs);
    }

    [Fact]
    public void RecordNeedingNoFsync_IsWrittenAtOnce_AndDurableWithTheNextFsync()
    {
        _member.Wal.Write(_replicas[0], new[] { new WalRecord(1, null, null, new HardState(1, 0, 0)) });
        Assert.Equal(1UL, _replicas[0].Disk.Live.HardState.Term);
        Assert.Equal(0UL, _replicas[0].Disk.Durable.HardState.Term);
        Assert.Equal(0, _sim.Stats.Fsyncs);

        Append(2, 1);
        _sim.Events.RunUntil(100);
        Assert.Equal(1UL, _replicas[0].Disk.Durable.HardState.Term);
    }

    [Fact]
    public void Crash_LosesUnsyncedRecordsOfEveryGroup_KeepsADurablePrefix_AndNeverContinues()
    {
        Append(1, 1);
        Append(2, 1);
        _sim.Events.RunUntil(100);
        Assert.Equal(2, _durable.Count);

        Append(1, 2); // the running fsync
        Append(2, 2); // waiting for the next
        Append(3, 1);
        _member.Wal.Crash();
        foreach (var r in _replicas) r.Crash();
        _sim.Events.RunUntil(100);

        Assert.Equal(2, _durable.Count); // no continuation of the lost life runs
        Assert.Equal(0, _member.Wal.Unsynced);
        var kept = (DurableLast(1) == 2 ? 1 : 0) + (DurableLast(2) == 2 ? 1 : 0) + (DurableLast(3) == 1 ? 1 : 0);
        // What survived is a prefix of the log (g1:2, g2:2, g3:1), and nothing synced before was lost.
        Assert.True(DurableLast(1) >= 1 && DurableLast(2) >= 1);
        Assert.Equal(new[] { kept >= 1, kept >= 2, kept >= 3 }, new[] { DurableLast(1) == 2, DurableLast(2) == 2, DurableLast(3) == 1 });
        Assert.Equal(kept, (int)_sim.Stats.UnsyncedKept);
        Assert.Equal(3 - kept, (int)_sim.Stats.UnsyncedLost);
        foreach (var r in _replicas) Assert.Equal(r.Disk.Durable.LastIndex, r.Disk.Live.LastIndex);
    }
}
