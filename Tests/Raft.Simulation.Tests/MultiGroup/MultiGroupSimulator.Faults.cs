namespace Coordinator.Tests.Simulation;

internal sealed partial class MultiGroupSimulator
{
    /// <summary>Faults on members, never on one group alone: crashes (every group of the member at once) with
    /// later restarts, partitions between members (symmetric, one-way, isolating the member that leads most
    /// groups), heals, slow disks, and changing drop/duplicate/delay rates.</summary>
    private void ScheduleFaults()
    {
        void Fault()
        {
            if (_liveness) return;
            var roll = Random.Next(100);
            if (roll < 22) CrashSomeone();
            else if (roll < 35) PartitionRandomly();
            else if (roll < 43) IsolateBusiestLeader();
            else if (roll < 50) BlockOneWay();
            else if (roll < 65) { Network.Heal(); Trace("heal"); }
            else if (roll < 75) SlowDownADisk();
            else
            {
                Network.DropRate = Random.Next(4) == 0 ? 0 : Random.NextDouble() * 0.2;
                Network.DuplicateRate = Random.NextDouble() * 0.05;
                Network.HoldRate = Random.Next(3) == 0 ? 0 : Random.NextDouble();
                Network.MaxDelay = 1 + Random.Next(15);
            }
            Events.After(40 + Random.Next(120), Fault);
        }
        Events.After(100, Fault);
    }

    /// <summary>The member leading the most groups (its WAL holds the most acknowledged-to-be work).</summary>
    private SimMember? BusiestLeader() =>
        _groups.Select(g => g.Leader).OfType<GroupReplica>().GroupBy(r => r.Member.Id)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => _members[g.Key]).FirstOrDefault();

    private void CrashSomeone()
    {
        var member = Random.Next(3) == 0 ? BusiestLeader() ?? RandomLiveMember() : RandomLiveMember();
        if (member is null) return;
        Stats.Crashes++;
        member.Crash();
        Events.After(20 + Random.Next(600), () =>
        {
            if (!member.Alive) StartMember(member);
        });
    }

    private void PartitionRandomly()
    {
        var ids = _members.Keys.ToList();
        var side = ids.Where(_ => Random.Next(2) == 0).ToList();
        Network.Partition(side, ids.Except(side).ToList());
        Trace($"partition ({string.Join(",", side.Select(m => $"m{m}"))}) | rest");
    }

    private void IsolateBusiestLeader()
    {
        if (BusiestLeader() is not { } member) return;
        Network.Isolate(member.Id, _members.Keys);
        Trace($"isolate m{member.Id}");
    }

    private void BlockOneWay()
    {
        var ids = _members.Keys.ToList();
        var from = ids[Random.Next(ids.Count)];
        var to = ids[Random.Next(ids.Count)];
        if (from == to) return;
        Network.Block(from, to);
        Trace($"block m{from} -> m{to}");
    }

    /// <summary>One member's disk becomes very slow (every group on it waits longer for its fsyncs, and a crash
    /// then loses more), or gets its usual speed back.</summary>
    private void SlowDownADisk()
    {
        var member = _members.Values.ElementAt(Random.Next(_members.Count));
        if (member.MaxFsyncMs == member.BaseFsyncMs)
        {
            member.MaxFsyncMs = 100 + Random.Next(300);
            Stats.SlowDisks++;
        }
        else member.MaxFsyncMs = member.BaseFsyncMs;
        Trace($"m{member.Id} disk: fsync up to {member.MaxFsyncMs}ms");
    }
}
